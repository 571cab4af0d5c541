import { startEmulator } from '../../emulator';
import type { Emulator } from '../support/common';
import { runCstarBulk } from '../support/executeContext';

/** Issue 12, goal 1: when the headers give the budget, no call is spent on a 429, at any Parallel Requests. */
let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 12, tickets: 60, customers: 1, articles: 1 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

it.each([4, 10])(
	'Parallel Requests %i under 12 calls per 2 s: 40 calls, every id confirmed, no 429',
	async (parallel) => {
		emu.setRateLimit({ limit: 12, windowSeconds: 2 });
		emu.faults.set({ latencyMs: 20 });
		const ids = emu.store.ids('tickets').slice(0, 40);
		const { succeeded, failed } = await runCstarBulk({
			items: ids.map((id) => ({ json: { id } })),
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ids: (i: number) => ids[i],
				dataMode: 'fields',
				updateFields: { status: 'closed' },
				options: { batchSize: 1, parallelRequests: parallel },
			},
			credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
		});
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(40);
		expect(emu.counts().rateLimited).toBe(0);
		expect(emu.log.filter((entry) => entry.status === 429)).toEqual([]);
	},
	30_000,
);
