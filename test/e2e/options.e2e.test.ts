/**
 * Options given by expressions, through a real n8n against the cStar emulator (issue 19, rule 1):
 * a value that arrives as text means what it says, and one that means nothing stops the run before
 * any call, naming the option, what it got and what it accepts.
 */
import { n8nLog, nodeError, nodeOutputs, runError } from '../../harness';
import { emulatorCredential, emulatorSuite, expectNoKeyIn } from './support/suite';
import { BULK_NODE, bulkCalls, bulkWorkflow, type OnError } from './support/workflows';

const CREDENTIAL = { id: 'cstarOptions', name: 'cStar options' };

/** Rows that carry the option values as a webhook, Set node or sheet cell would: as text. */
const rows = (ids: string[], extra: Record<string, unknown>) => ids.map((id) => ({ id, ...extra }));

describe('options given by expressions', () => {
	const ids: string[] = [];
	const suite = emulatorSuite({
		emulator: { seed: 19, tickets: 30 },
		prepare: (emu) => {
			ids.push(...emu.store.ids('tickets').slice(0, 6));
			const workflow = (
				id: string,
				options: Record<string, unknown>,
				extra: Record<string, unknown>,
				onError?: OnError,
			) =>
				bulkWorkflow({
					id,
					credential: CREDENTIAL,
					rows: rows(ids, extra),
					parameters: { resource: 'ticket', operation: 'delete', options },
					onError,
				});
			return {
				credentials: [emulatorCredential(CREDENTIAL, emu)],
				workflows: [
					workflow('dryRunText', { dryRun: '={{ $json.dry }}' }, { dry: ' True ' }),
					workflow('batchEmpty', { batchSize: '={{ $json.size }}' }, { size: '' }),
					workflow('batchMissing', { batchSize: '={{ $json.nothing }}' }, {}),
					workflow(
						'batchEmptyC',
						{ batchSize: '={{ $json.size }}' },
						{ size: '' },
						'continueRegularOutput',
					),
					workflow('batchText', { batchSize: '={{ $json.size }}' }, { size: ' 4 ' }),
				],
			};
		},
	});

	test('Dry Run "True" given as text plans the calls and sends nothing', async () => {
		const result = await suite.execute('dryRunText');
		expect(runError(result.run)).toBeUndefined();
		const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
		expect(succeeded.map((item) => item.json.status)).toEqual(ids.map(() => 'dryRun'));
		expect(failed).toEqual([]);
		expect(suite.emu.counts().requests).toBe(0);
		expect(suite.emu.store.ids('tickets').slice(0, 6)).toEqual(ids);
	});

	test.each(['batchEmpty', 'batchMissing'])(
		'%s: Batch Size from an expression that gave nothing stops the run before any call, naming it',
		async (id) => {
			const result = await suite.execute(id);
			const error = nodeError(result.run, BULK_NODE);
			expect(error?.message).toMatch(
				/^The option "Batch Size" got .+, which is not a whole number from 1 to 100$/,
			);
			expect(error?.description).toMatch(/Nothing was sent to cStar\.$/);
			expect(runError(result.run)?.message).toBe(error?.message);
			expect(suite.emu.counts().requests).toBe(0);
		},
	);

	test('with On Error = Continue, every id goes to Failed with invalid_option, none to Succeeded', async () => {
		const result = await suite.execute('batchEmptyC');
		expect(runError(result.run)).toBeUndefined();
		const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
		expect(succeeded).toEqual([]);
		expect(
			failed.map((item) => [item.json.id, (item.json.error as { code: string }).code]),
		).toEqual(ids.map((id) => [id, 'invalid_option']));
		expect(suite.emu.counts().requests).toBe(0);
	});

	test('Batch Size " 4 " given as text splits the calls as 4 would', async () => {
		const result = await suite.execute('batchText');
		expect(runError(result.run)).toBeUndefined();
		expect(bulkCalls(suite.emu).map((call) => (call.body as { ids: string[] }).ids.length)).toEqual(
			[4, 2],
		);
	});

	test('no key in any run or in n8n’s log', () => {
		expectNoKeyIn(suite.runs, n8nLog(suite.userFolder), [suite.emu.keys.secret]);
	});
});
