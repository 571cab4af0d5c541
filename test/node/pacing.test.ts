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

/** Issue 19, rule 5: the real node against a cStar whose clock is minutes off ours. */
describe('a cStar clock skewed by minutes', () => {
	afterEach(() => emu.setClockSkew(0));

	const run = async (ids: string[], options: Record<string, unknown>) =>
		await runCstarBulk({
			items: ids.map((id) => ({ json: { id } })),
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ids: (i: number) => ids[i],
				dataMode: 'fields',
				updateFields: { status: 'closed' },
				options,
			},
			credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
		});

	it.each([
		['ahead', 400_000, 'epochSeconds'],
		['behind', -400_000, 'epochSeconds'],
		['ahead', 420_000, 'epochMs'],
		['behind', -90_000, 'epochMs'],
	] as const)(
		'cStar %s by %i ms, reset in %s, 3 calls per 2 s: 8 ids, every one confirmed within Max Rate Limit Wait 10 s, no 429',
		async (_, skewMs, resetUnit) => {
			emu.setRateLimit({ limit: 3, windowSeconds: 2 });
			emu.setClockSkew(skewMs);
			emu.faults.set({ resetUnit });
			const ids = emu.store.ids('tickets').slice(0, 8);
			const { succeeded, failed } = await run(ids, {
				batchSize: 1,
				parallelRequests: 2,
				maxRateLimitWait: 10,
			});
			expect(failed).toEqual([]);
			expect(succeeded).toHaveLength(8);
			expect(emu.counts().rateLimited).toBe(0);
		},
		30_000,
	);

	it('cStar 400 s ahead, budget spent for a minute, Max Rate Limit Wait 5 s: the ids left say what the headers said, no 429 was sent or reported', async () => {
		emu.setRateLimit({ limit: 2, windowSeconds: 60 });
		emu.setClockSkew(400_000);
		const ids = emu.store.ids('tickets').slice(0, 4);
		const { succeeded, failed } = await run(ids, { batchSize: 1, maxRateLimitWait: 5 });
		expect(succeeded).toHaveLength(2);
		expect(failed).toHaveLength(2);
		for (const item of failed) {
			const error = item.json.error as { code: string; message: string; httpStatus?: number };
			expect(error.code).toBe('rate_limited');
			expect(error.httpStatus).toBeUndefined();
			// About a minute from now on our clock, not 400 s more.
			expect(error.message).toMatch(/headers said 0 requests remain .* a (5\d|6[0-3]) s wait/);
		}
		expect(emu.counts().rateLimited).toBe(0);
	});
});
