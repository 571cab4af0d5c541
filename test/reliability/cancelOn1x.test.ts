import { startEmulator } from '../../emulator';
import type { Emulator } from './harness';
import { SCENARIOS, runScenario } from './scenarios';

/**
 * Issue 19, rule 8: the fault matrix's cancel scenario again, with n8n-workflow 1.x's `sleep(ms)`
 * (a timer, no abort signal: n8n-workflow 1.120.31 dist/cjs/utils.js) in place of 2.x's, which is
 * what the node gets on n8n 1.x (docs/cancel.md). The scenario's own check holds: execute()
 * returns within a second of the abort, every id on Failed as cancelled, "Not sent".
 */
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		// The real timer, but the signal is never passed on: what 1.x's sleep(ms) does.
		sleep: async (ms: number) => await actual.sleep(ms),
	};
});

const CANCEL = SCENARIOS.filter((scenario) => /cancelled during a long/.test(scenario.name));

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 11, tickets: 400, customers: 20, articles: 20 });
});
afterAll(async () => await emu.close());

it('the cancel scenario exists', () => expect(CANCEL).toHaveLength(1));

it.each(['continueRegularOutput', 'stopWorkflow'] as const)(
	'with n8n-workflow 1.x’s sleep, On Error %s: the cancel during a 600 s Retry-After ends the run within a second',
	async (mode) => {
		const { outcome } = await runScenario(emu, CANCEL[0], mode);
		CANCEL[0].verify(outcome);
	},
	20_000,
);
