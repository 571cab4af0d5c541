import { startEmulator } from '../../emulator';
import type { Emulator } from './harness';
import { reportSection } from './report';
import { SCENARIOS, runScenario } from './scenarios';

/**
 * Issue 6's fault matrix: every scenario through the node's real execute() and n8n's HTTP stack,
 * against the emulator, with On Error = Continue so every id comes out; each checks the invariants
 * (a) to (e) and the canary (invariants.ts) and then what is particular to it (scenarios.ts).
 */
const report = reportSection('faultMatrix');
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ seed: 11, tickets: 400, customers: 20, articles: 20 });
});
afterAll(async () => {
	await emu.close();
	report.write();
});

describe('fault matrix: nothing is lost, nothing is applied twice, Succeeded is never a guess', () => {
	for (const scenario of SCENARIOS) {
		const row = report.row(scenario.name, scenario.checked);
		it(scenario.name, async () => {
			row.start();
			const { outcome, tally } = await runScenario(emu, scenario, 'continueRegularOutput');
			const note = scenario.verify(outcome);
			row.pass(note || `${tally.succeeded} confirmed, ${tally.failed} on Failed`);
		});
	}
});
