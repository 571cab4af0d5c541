import fc from 'fast-check';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import { movedToErrorOutput } from '../../nodes/CstarBulk/items/toOutputItems';
import type { NodeRun, OnError } from '../support/executeContext';
import {
	bulkCalls,
	codeOf,
	credentials,
	expectNoSecret,
	idOf,
	idsOfCall,
	returned,
	runNode,
	runTool,
	threw,
	type Emulator,
} from './harness';
import { reportSection } from './report';
import { fuzzSeed } from './settings';

/**
 * Issue 19: an option given by an expression means what the user meant or stops the run before
 * any call; the agent hears the per-id truth in every output mode; the summary counts what is on
 * the outputs, including what n8n moves to its Error output.
 */
const SEED = fuzzSeed(20261205);
const report = reportSection('trust');
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ seed: 19, tickets: 200 });
});
afterAll(async () => {
	await emu.close();
	report.write();
});
beforeEach(() => {
	emu.reset();
	emu.setErrorsShape('byId');
});

const MODES: OnError[] = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];
const ticketIds = (count: number, from = 0) => emu.store.ids('tickets').slice(from, from + count);
const unknown = (count: number) =>
	Array.from({ length: count }, (_, n) => `tkt_${'f'.repeat(24)}${String(n).padStart(8, '0')}`);

function run(
	ids: unknown[],
	options: Record<string, unknown>,
	extra: Partial<NodeRun> = {},
	operation = 'delete',
): NodeRun {
	return {
		items: ids.map((id) => ({ json: { id } as IDataObject })),
		parameters: {
			resource: 'ticket',
			operation,
			ids: (item: number) => ids[item],
			dataMode: 'json',
			jsonData: '{"status":"closed"}',
			options,
		},
		credentials: credentials(emu),
		...extra,
	};
}

async function runAsTool(nodeRun: NodeRun): Promise<IDataObject> {
	return returned(await runTool(nodeRun)).succeeded[0].json;
}

function rowOf(scenario: string, checked: string) {
	const row = report.row(scenario, checked);
	return async (body: () => Promise<string>) => {
		row.start();
		row.pass(await body());
	};
}

// Rule 1 ------------------------------------------------------------------------------------------

const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), maxLength: 2 });
const trueText = fc
	.tuple(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), padding, padding)
	.map(
		([upper, before, after]) =>
			`${before}${[...'true'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')}${after}`,
	);

describe('rule 1: an option given by an expression', () => {
	const dryRunRow = rowOf(
		'Dry Run given as text',
		'"true" in any case with spaces around, in all 3 On Error modes and as a tool: no request reaches the emulator, every id on Succeeded with status dryRun',
	);
	it('Dry Run "true" as text means a dry run: nothing is sent', async () => {
		await dryRunRow(async () => {
			let cases = 0;
			await fc.assert(
				fc.asyncProperty(trueText, fc.constantFrom(...MODES), async (text, onError) => {
					emu.reset();
					const ids = ticketIds(3);
					const result = returned(await runNode(run(ids, { dryRun: text }, { onError })));
					expect(emu.counts().requests).toBe(0);
					expect(result.succeeded.map((item) => item.json.status)).toEqual(ids.map(() => 'dryRun'));
					const tool = await runAsTool(run(ids, { dryRun: text }));
					expect(tool).toMatchObject({ dryRun: true, total: 3 });
					expect(emu.counts().requests).toBe(0);
					cases++;
				}),
				{ seed: SEED, numRuns: 30 },
			);
			return `${cases} cases, seed ${SEED}`;
		});
	});

	/** Values an expression may give that no option can mean, per option. */
	const refusedValues = fc.oneof(
		fc.record({
			name: fc.constantFrom(
				'batchSize',
				'maxRetries',
				'timeout',
				'parallelRequests',
				'maxRateLimitWait',
			),
			value: fc.constantFrom('', ' ', null, 'abc', '-1', '1e9', NaN, '12px', true),
		}),
		fc.record({
			name: fc.constantFrom('dryRun', 'deduplicate'),
			value: fc.constantFrom('', 'yes', 'no', '1', 0, null, 'tru e'),
		}),
		fc.record({
			name: fc.constant('succeededOutput'),
			value: fc.constantFrom('', 'all', null, 7),
		}),
		fc.record({
			name: fc.constantFrom('batchSize', 'parallelRequests'),
			value: fc.constantFrom('2.5', 0, '0', '101'),
		}),
	);
	const LABELS: Record<string, string> = {
		batchSize: 'Batch Size',
		maxRetries: 'Max Retries',
		timeout: 'Timeout (Ms)',
		parallelRequests: 'Parallel Requests',
		maxRateLimitWait: 'Max Rate Limit Wait (Seconds)',
		dryRun: 'Dry Run',
		deduplicate: 'Deduplicate IDs',
		succeededOutput: 'Succeeded Output',
	};
	const refusedRow = rowOf(
		'an option that means nothing',
		'empty text, spaces, null, NaN, words, out of range or not whole, for every option, in all 3 On Error modes and as a tool: no request; Stop throws a NodeOperationError naming the option; Continue puts every id on Failed with invalid_option; Continue (using error output) moves every id to the Error output; the tool result carries the error',
	);
	it('refuses it before any call, in every On Error mode', async () => {
		await refusedRow(async () => {
			let cases = 0;
			await fc.assert(
				fc.asyncProperty(
					refusedValues,
					fc.constantFrom(...MODES),
					async ({ name, value }, onError) => {
						emu.reset();
						const ids = ticketIds(2);
						const result = await runNode(run(ids, { [name]: value }, { onError }));
						expect(emu.counts().requests).toBe(0);
						if (onError === 'stopWorkflow') {
							const { error } = threw(result);
							expect(error).toBeInstanceOf(NodeOperationError);
							expect(error.message).toContain(`"${LABELS[name]}"`);
							expect(error.description).toMatch(/Nothing was sent to cStar\.$/);
						} else {
							const { succeeded, failed } = returned(result);
							expect(succeeded).toEqual([]);
							expect(failed.map(idOf)).toEqual(ids);
							for (const item of failed) {
								expect(codeOf(item)).toBe('invalid_option');
								expect(movedToErrorOutput(item)).toBe(onError === 'continueErrorOutput');
							}
						}
						const tool = await runAsTool(run(ids, { [name]: value }));
						expect((tool.error as IDataObject).code).toBe('invalid_option');
						expect(tool.summary).toContain(`"${LABELS[name]}"`);
						expect(emu.counts().requests).toBe(0);
						cases++;
					},
				),
				{ seed: SEED, numRuns: 60 },
			);
			return `${cases} cases, seed ${SEED}`;
		});
	});

	const numbersRow = rowOf(
		'numbers given as text',
		'Batch Size as the text " 3 " splits the calls as the number would; an expression that gave nothing is refused, not defaulted',
	);
	it('numbers as text mean the number', async () => {
		await numbersRow(async () => {
			const ids = ticketIds(7);
			returned(await runNode(run(ids, { batchSize: ' 3 ' })));
			expect(bulkCalls(emu).map((call) => idsOfCall(call).length)).toEqual([3, 3, 1]);
			emu.reset();
			const result = await runNode(
				run(ids, { batchSize: undefined }, { rawParameters: { options: { batchSize: '={{ }}' } } }),
			);
			expect(threw(result).error.message).toContain('"Batch Size"');
			expect(emu.counts().requests).toBe(0);
			return '2 cases';
		});
	});
});

// Rule 3 ------------------------------------------------------------------------------------------

describe('rule 3: the agent is told the truth', () => {
	const countsRow = rowOf(
		'tool result with either Succeeded Output',
		'random numbers of known and unknown ids, with One Item per ID and One Summary Item: the tool result counts and lists from the per-id results (succeeded + failed = total = ids given), the same in both modes, and its text says "Updated <confirmed> of <total>"',
	);
	it('counts per id whatever Succeeded Output is', async () => {
		await countsRow(async () => {
			let cases = 0;
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 1, max: 12 }),
					fc.integer({ min: 0, max: 5 }),
					fc.constantFrom('perId', 'summary'),
					async (known, missing, succeededOutput) => {
						emu.reset();
						const ids = [...ticketIds(known, 20), ...unknown(missing)];
						const tool = await runAsTool(
							run(ids, { succeededOutput }, { onError: 'continueRegularOutput' }, 'update'),
						);
						expect(tool).toMatchObject({ total: ids.length, succeeded: known, failed: missing });
						expect(tool.summary).toMatch(new RegExp(`^Updated ${known} of ${ids.length} ticket`));
						expect((tool.results as IDataObject[]).length).toBe(ids.length);
						cases++;
					},
				),
				{ seed: SEED, numRuns: 25 },
			);
			return `${cases} cases, seed ${SEED}`;
		});
	});

	const listRow = rowOf(
		'ids as JSON text or quoted lists',
		'\'["a","b"]\', "[\'a\', \'b\']", \'"a", "b"\' and "\'a\',\'b\'" given as IDs, as a tool and as a node: cStar receives exactly the ids, no bracket or quote; an id holding one is refused with nothing sent',
	);
	it('reads ids the model gives as text of a list', async () => {
		await listRow(async () => {
			const ids = ticketIds(2, 40);
			const shapes = [
				JSON.stringify(ids),
				`[${ids.map((id) => `'${id}'`).join(', ')}]`,
				ids.map((id) => `"${id}"`).join(', '),
				ids.map((id) => `'${id}'`).join(','),
			];
			for (const given of shapes) {
				emu.reset();
				const tool = await runAsTool(run([given], {}, {}, 'update'));
				expect(tool).toMatchObject({ total: 2, succeeded: 2 });
				expect(bulkCalls(emu).map(idsOfCall)).toEqual([ids]);
			}
			for (const bad of [`${ids[0]}"`, `[${ids[0]}`, `{"id":"${ids[0]}"}`]) {
				emu.reset();
				const { failed } = returned(
					await runNode(run([bad], {}, { onError: 'continueRegularOutput' })),
				);
				expect(failed.map(codeOf)).toContain('invalid_id');
				expect(emu.counts().requests).toBe(0);
			}
			return `${shapes.length} list shapes, 3 refused ids`;
		});
	});
});

// Rule 4 ------------------------------------------------------------------------------------------

describe('rule 4: the summary counts what is on its outputs', () => {
	const row = rowOf(
		'summary with Continue (using error output)',
		'a key refused (401) on the second call (or the only one) of a run with One Summary Item, random sizes, unknown ids and a refused id, in both Continue modes: "failed" counts the items left on Failed, "movedToErrorOutput" those n8n moves to its Error output, and succeeded + failed + moved = every (item, id) pair',
	);
	it('accounts for every id', async () => {
		await row(async () => {
			let cases = 0;
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 2, max: 12 }),
					fc.integer({ min: 1, max: 4 }),
					fc.integer({ min: 0, max: 3 }),
					fc.constantFrom<OnError>('continueRegularOutput', 'continueErrorOutput'),
					async (count, batchSize, missing, onError) => {
						emu.reset();
						const ids = [...ticketIds(count, 60), ...unknown(missing), 'bad"id'];
						const calls = Math.ceil((count + missing) / batchSize);
						const refusedAt = calls > 1 ? 1 : 0;
						// A 0 ms "slow" answers normally: the 401 lands on the chosen call.
						emu.faults.script([
							...Array.from({ length: refusedAt }, () => ({ type: 'slow' as const, delayMs: 0 })),
							{ type: 'status' as const, status: 401 },
						]);
						const { succeeded, failed } = returned(
							await runNode(run(ids, { succeededOutput: 'summary', batchSize }, { onError })),
						);
						const moved = failed.filter(movedToErrorOutput).length;
						if (onError === 'continueRegularOutput') expect(moved).toBe(0);
						const summary = succeeded[0]?.json;
						if (summary === undefined) {
							expect(failed).toHaveLength(ids.length);
						} else {
							expect(summary.failed).toBe(failed.length - moved);
							if (onError === 'continueErrorOutput') expect(summary.movedToErrorOutput).toBe(moved);
							expect((summary.succeeded as number) + (summary.failed as number) + moved).toBe(
								ids.length,
							);
						}
						expectNoSecret(await runNode(run(ids, {}, { onError })), emu.keys.secret);
						cases++;
					},
				),
				{ seed: SEED, numRuns: 30 },
			);
			return `${cases} cases, seed ${SEED}`;
		});
	});
});
