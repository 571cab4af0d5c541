import type { IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import { planBatches } from '../../nodes/CstarBulk/bulk/plan';
import type { IdOutcome } from '../../nodes/CstarBulk/bulk/types';
import {
	isOutputConnected,
	runHints,
	showHints,
	summarizeRun,
	type RunSummary,
} from '../../nodes/CstarBulk/items/hints';
import { toOutputItems } from '../../nodes/CstarBulk/items/toOutputItems';

/** A real run with nothing to say: every hint below adds one thing to it. */
const quiet: RunSummary = {
	resource: 'tickets',
	action: 'update',
	dryRun: false,
	planned: 0,
	calls: 3,
	failedCodes: [],
	failedOutputConnected: false,
	rateLimitWaitMs: 0,
	batchSize: 100,
};

const warning = (message: string): NodeExecutionHint => ({
	message,
	type: 'warning',
	location: 'outputPane',
});
const info = (message: string): NodeExecutionHint => ({
	message,
	type: 'info',
	location: 'outputPane',
});

describe('runHints', () => {
	test('a run where every id succeeded without waiting: no hint', () => {
		expect(runHints(quiet)).toEqual([]);
	});

	test('failed ids, nothing connected to Failed: the count, the commonest code and "connect the Failed output"', () => {
		const failedCodes = ['resource_missing', 'invalid_id', 'resource_missing', 'resource_missing'];
		expect(runHints({ ...quiet, failedCodes })).toEqual([
			warning(
				'4 ids failed, most often with resource_missing (3 of 4); nothing is connected to the Failed output, so connect the Failed output to handle them.',
			),
		]);
	});

	test('one failed id with one code, Failed connected: the sentence points at the output instead', () => {
		expect(
			runHints({ ...quiet, failedCodes: ['resource_missing'], failedOutputConnected: true }),
		).toEqual([
			warning('1 id failed with resource_missing; the Failed output lists each id with its error.'),
		]);
	});

	test('when n8n cannot tell what is connected, the hint does not claim nothing is', () => {
		const [hint] = runHints({
			...quiet,
			failedCodes: ['x', 'x'],
			failedOutputConnected: undefined,
		});
		expect(hint.message).toBe(
			'2 ids failed with x; the Failed output lists each id with its error.',
		);
	});

	test('a dry run: nothing sent, how many would change in how many calls, and how to apply', () => {
		expect(runHints({ ...quiet, dryRun: true, planned: 250, action: 'delete' })).toEqual([
			info(
				'Dry run: nothing was sent to cStar, and 250 tickets would be deleted in 3 calls; turn off Dry Run under Options to apply it.',
			),
		]);
		expect(
			runHints({ ...quiet, dryRun: true, planned: 1, calls: 1, resource: 'customers' })[0].message,
		).toBe(
			'Dry run: nothing was sent to cStar, and 1 customer would be updated in 1 call; turn off Dry Run under Options to apply it.',
		);
	});

	test('ids rejected in a dry run "would fail"', () => {
		const [failed] = runHints({ ...quiet, dryRun: true, planned: 9, failedCodes: ['invalid_id'] });
		expect(failed.message).toMatch(/^1 id would fail with invalid_id;/);
	});

	test('a rate-limit wait: how long in total, and what (if anything) to change', () => {
		expect(runHints({ ...quiet, rateLimitWaitMs: 250_000 })).toEqual([
			info(
				"cStar's rate limit made this run wait 4 min 10 s in total (cStar allows 1,000 calls an hour per key), and the run resumed by itself; nothing needs fixing, but a run this size takes at least as long again.",
			),
		]);
		expect(runHints({ ...quiet, rateLimitWaitMs: 61_000, batchSize: 20 })[0].message).toBe(
			"cStar's rate limit made this run wait 1 min 1 s in total; raise Batch Size to 100 under Options so each call carries more ids and fewer calls are needed.",
		);
	});

	test('failed ids and a rate-limit wait: both hints, the warning first', () => {
		const hints = runHints({ ...quiet, failedCodes: ['a'], rateLimitWaitMs: 5_000 });
		expect(hints.map((hint) => hint.type)).toEqual(['warning', 'info']);
	});
});

describe('summarizeRun', () => {
	test('counts what the Failed output holds and what the plan would send', () => {
		const inputs = [
			{ itemIndex: 0, ids: ['tkt_a', 'tkt_b', 'tkt_c'], data: { status: 'closed' } },
			{ itemIndex: 1, rejected: [{ id: 'bad id', code: 'invalid_id', message: 'not an id' }] },
		];
		const plan = planBatches([inputs[0] as { itemIndex: number; ids: string[] }], {
			batchSize: 2,
			deduplicate: true,
		});
		const outcomes: IdOutcome[] = [
			{ status: 'succeeded' },
			{ status: 'failed', code: 'resource_missing', message: 'cStar: Ticket not found' },
			{ status: 'succeeded' },
		];
		const run = { outcomes, rateLimitWaitMs: 1234 };
		const outputs = toOutputItems(inputs, {
			resource: 'tickets',
			action: 'update',
			plan,
			outcomes,
			fatalTo: 'failed',
		});
		expect(
			summarizeRun({
				resource: 'tickets',
				action: 'update',
				dryRun: false,
				batchSize: 2,
				plan,
				run,
				outputs,
				failedOutputConnected: true,
			}),
		).toEqual({
			resource: 'tickets',
			action: 'update',
			dryRun: false,
			planned: 0,
			calls: 2,
			failedCodes: ['resource_missing', 'invalid_id'],
			failedOutputConnected: true,
			rateLimitWaitMs: 1234,
			batchSize: 2,
		});
	});
});

describe('n8n context', () => {
	/** A context whose workflow is Cstar Bulk → {output 0: "Next", output 1: given node names}. */
	function contextWith(
		failedTo: string[],
		methods: { connections?: boolean; hints?: NodeExecutionHint[] } = {},
	): IExecuteFunctions {
		const connections: Record<string, Array<Array<{ node: string; index: number }>>> = {
			Next: [[{ node: 'Cstar Bulk', index: 0 }]],
			Later: [[{ node: 'Next', index: 0 }]],
		};
		for (const name of failedTo) connections[name] = [[{ node: 'Cstar Bulk', index: 1 }]];
		const context: Record<string, unknown> = {
			getNode: () => ({ name: 'Cstar Bulk' }),
			getChildNodes: () => ['Next', 'Later', ...failedTo].map((name) => ({ name })),
		};
		if (methods.connections !== false)
			context.getConnections = (node: { name: string }) => connections[node.name] ?? [];
		if (methods.hints) {
			const shown = methods.hints;
			context.addExecutionHints = (...hints: NodeExecutionHint[]) => shown.push(...hints);
		}
		return context as unknown as IExecuteFunctions;
	}

	test('isOutputConnected reads the connections into each descendant by their source output', () => {
		expect(isOutputConnected(contextWith([]), 1)).toBe(false);
		expect(isOutputConnected(contextWith([]), 0)).toBe(true);
		expect(isOutputConnected(contextWith(['Handle failures']), 1)).toBe(true);
	});

	test('isOutputConnected cannot tell on an n8n without getConnections', () => {
		expect(isOutputConnected(contextWith([], { connections: false }), 1)).toBeUndefined();
	});

	test('showHints hands the hints to n8n, and does nothing where n8n has no addExecutionHints', () => {
		const shown: NodeExecutionHint[] = [];
		showHints(contextWith([], { hints: shown }), [info('one'), warning('two')]);
		expect(shown).toEqual([info('one'), warning('two')]);
		expect(() => showHints(contextWith([]), [info('one')])).not.toThrow();
	});
});

describe('runHints in search mode', () => {
	const search = { matched: 40, actedOn: 40, totalAtStart: 40, totalAtEnd: 40, listings: 1 };

	test('every match acted on: one info hint with the count', () => {
		expect(runHints({ ...quiet, search })).toEqual([
			info('The search matched 40 tickets, and all of them were acted on.'),
		]);
	});

	test('fewer acted on than matched: the counts and how to act on all', () => {
		const [hint] = runHints({ ...quiet, search: { ...search, actedOn: 25 } });
		expect(hint.message).toContain('matched 40 tickets and 25 were acted on');
		expect(hint.message).toContain('Max Records');
	});

	test('no match: says nothing was changed, not "all of them"', () => {
		const [hint] = runHints({ ...quiet, search: { ...search, matched: 0, actedOn: 0 } });
		expect(hint.message).toBe(
			'The search matched no tickets, so nothing was changed; check the filters if you expected matches.',
		);
	});

	test.each([
		{ totalAtEnd: 43, listings: 2 },
		{ totalAtEnd: 40, listings: 2 },
		{ totalAtEnd: 37, listings: 1 },
	])('drift while listing (%o): a warning with both counts and the listings', (drift) => {
		const hints = runHints({ ...quiet, search: { ...search, ...drift } });
		expect(hints).toHaveLength(2);
		expect(hints[1].type).toBe('warning');
		expect(hints[1].message).toContain(
			`40 matched cStar's filters at the first page, ${drift.totalAtEnd} at the last`,
		);
		expect(hints[1].message).toContain(
			drift.listings === 1 ? 'listed once' : `listed ${drift.listings} times`,
		);
	});

	test('a dry run says "would be acted on"', () => {
		const hints = runHints({ ...quiet, dryRun: true, planned: 40, search });
		expect(hints[0].message).toBe(
			'The search matched 40 tickets, and all of them would be acted on.',
		);
	});
});
