import { readOptions } from '../../nodes/CstarBulk/description/options';
import { planBatches } from '../../nodes/CstarBulk/bulk/plan';
import {
	isRejected,
	type AcceptedItem,
	type IdOutcome,
	type ItemInput,
} from '../../nodes/CstarBulk/bulk/types';
import {
	movedToErrorOutput,
	toOutputItems,
	type OutputContext,
} from '../../nodes/CstarBulk/items/toOutputItems';
import { FatalRunError } from '../../nodes/CstarBulk/bulk/errors';

const inputs: ItemInput[] = [
	{ itemIndex: 0, ids: ['a', 'b'] },
	{ itemIndex: 1, rejected: [{ id: 'bad id', code: 'invalid_id', message: 'Not an id' }] },
	{ itemIndex: 2, ids: ['c', 'a'] },
	{ itemIndex: 3, ids: ['d'] },
];
const plan = planBatches(
	inputs.filter((input): input is AcceptedItem => !isRejected(input)),
	{ batchSize: 100, deduplicate: true },
);
/** Slots a, b, c, d in plan order; d failed at cStar. */
const outcomes: IdOutcome[] = [
	{ status: 'succeeded', requestId: 'req_1' },
	{ status: 'succeeded', requestId: 'req_1' },
	{ status: 'succeeded', requestId: 'req_1' },
	{ status: 'failed', code: 'not_found', message: 'No such ticket' },
];
const context = (extra: Partial<OutputContext> = {}): OutputContext => ({
	resource: 'tickets',
	action: 'update',
	plan,
	outcomes,
	fatalTo: 'failed',
	...extra,
});

describe('toOutputItems', () => {
	it('gives one Succeeded item per (item, id) pair by default', () => {
		const { succeeded, failed } = toOutputItems(inputs, context());
		expect(succeeded.map((item) => [item.pairedItem, item.json.id])).toEqual([
			[{ item: 0 }, 'a'],
			[{ item: 0 }, 'b'],
			[{ item: 2 }, 'c'],
			[{ item: 2 }, 'a'],
		]);
		expect(failed.map((item) => item.json.id)).toEqual(['bad id', 'd']);
	});

	it('with the summary, gives one Succeeded item counting the same pairs; Failed keeps every id', () => {
		const perId = toOutputItems(inputs, context());
		const { succeeded, failed } = toOutputItems(inputs, context({ summary: true }));
		expect(succeeded).toEqual([
			{
				json: {
					resource: 'tickets',
					action: 'update',
					status: 'succeeded',
					succeeded: 4,
					failed: 2,
				},
				pairedItem: [{ item: 0 }, { item: 2 }],
			},
		]);
		expect(succeeded[0].json.succeeded).toBe(perId.succeeded.length);
		expect(failed).toEqual(perId.failed);
	});

	it('with the summary, counts planned ids in a dry run', () => {
		const planned: IdOutcome[] = plan.batches.flatMap((batch) =>
			batch.slots.map(() => ({ status: 'planned' as const, batch: batch.seq })),
		);
		const { succeeded } = toOutputItems(inputs, context({ summary: true, outcomes: planned }));
		expect(succeeded.map((item) => item.json)).toEqual([
			{ resource: 'tickets', action: 'update', status: 'dryRun', planned: 5, failed: 1 },
		]);
	});

	it('with the summary, leaves Succeeded empty when no id succeeded', () => {
		const allFailed: IdOutcome[] = outcomes.map(() => ({
			status: 'failed',
			code: 'not_found',
			message: 'No such ticket',
		}));
		const { succeeded, failed } = toOutputItems(
			inputs,
			context({ summary: true, outcomes: allFailed }),
		);
		expect(succeeded).toEqual([]);
		expect(failed).toHaveLength(6);
	});

	it.each([
		['failed', [true, true, true, true]],
		['errorOutput', [true, true, true, true]],
		['errorOutput', [true, false, true, false]],
		['errorOutput', [false, false, false, false]],
		['failed', [true, false, false, true]],
	] as const)(
		'with fatalTo %s and outcomes known %p, the summary counts each pair where it went',
		(fatalTo, known) => {
			const fatal = new FatalRunError('invalid_api_key', 'Key refused', 'Fix the key.');
			const partial = outcomes.map((outcome, slot) => (known[slot] ? outcome : undefined));
			const { succeeded, failed } = toOutputItems(
				inputs,
				context({ summary: true, outcomes: partial, fatal, fatalTo }),
			);
			const onFailed = failed.filter((item) => !movedToErrorOutput(item)).length;
			const moved = failed.length - onFailed;
			const pairs = 6;
			if (succeeded.length === 0) {
				expect(failed).toHaveLength(pairs);
				return;
			}
			const summary = succeeded[0].json;
			expect(summary.failed).toBe(onFailed);
			if (fatalTo === 'errorOutput') expect(summary.movedToErrorOutput).toBe(moved);
			else expect(summary).not.toHaveProperty('movedToErrorOutput');
			expect((summary.succeeded as number) + (summary.failed as number) + moved).toBe(pairs);
		},
	);

	it('reads the option: per id unless "summary" is chosen; anything else is refused', () => {
		const succeededOutput = (raw: Record<string, unknown>) => {
			const read = readOptions(raw);
			return read.ok ? read.options.succeededOutput : `refused: ${read.message}`;
		};
		expect(succeededOutput({})).toBe('perId');
		expect(succeededOutput({ succeededOutput: 'summary' })).toBe('summary');
		expect(succeededOutput({ succeededOutput: 'other' })).toMatch(
			/^refused: The option "Succeeded Output" got the text "other", which is not one of/,
		);
	});
});
