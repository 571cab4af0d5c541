import { startEmulator } from '../../emulator';
import type { Emulator } from '../support/common';
import { runCstarBulk } from '../support/executeContext';

/**
 * Issue 19, rule 8, in the node against the emulator: n8n-workflow 1.x's `sleep(ms)` ignores the
 * abort signal (docs/cancel.md). With that sleep in place of 2.x's, a cancel during a long
 * Retry-After must still end the wait within a second, and the waiting ids go to Failed as
 * cancelled. Time is simulated: the stand-in sleep advances a clock instead of waiting.
 */
const slept: number[] = [];
let sleptMs = 0;
let onSleep: () => void = () => undefined;

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		// n8n-workflow 1.120's sleep, without the timer: no abort signal parameter.
		sleep: async (ms: number) => {
			slept.push(ms);
			sleptMs += ms;
			onSleep();
		},
	};
});

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 19, tickets: 20, customers: 1, articles: 1 });
});
afterAll(async () => await emu.close());
beforeEach(() => {
	emu.reset();
	slept.length = 0;
	sleptMs = 0;
});

it.each([
	['a 429 asking for 120 s', 3000, { retryAfter: 120 }],
	[
		'a 429 whose only wait is the body’s retryAfter of 250 s',
		1500,
		{ retryAfter: 250, retryAfterFormat: 'none' },
	],
])(
	'%s, cancelled %i ms into the wait: the wait ends within a second, every id on Failed as cancelled, "Not sent"',
	async (_, cancelAfterMs, rateLimit) => {
		emu.faults.script([{ type: 'rateLimit', ...rateLimit } as never]);
		const controller = new AbortController();
		onSleep = () => {
			if (sleptMs >= cancelAfterMs) controller.abort();
		};
		const ids = emu.store.ids('tickets').slice(0, 5);
		const { succeeded, failed } = await runCstarBulk({
			items: ids.map((id) => ({ json: { id } })),
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ids: (i: number) => ids[i],
				dataMode: 'fields',
				updateFields: { status: 'closed' },
				options: { maxRateLimitWait: 600 },
			},
			credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
			signal: controller.signal,
		});
		expect(succeeded).toEqual([]);
		expect(failed).toHaveLength(5);
		for (const item of failed) {
			const error = item.json.error as { code: string; message: string };
			expect(error.code).toBe('cancelled');
			expect(error.message).toMatch(/^Not sent/);
		}
		expect(sleptMs - cancelAfterMs).toBeLessThanOrEqual(1000);
		expect(emu.counts().idsApplied).toBe(0);
	},
);
