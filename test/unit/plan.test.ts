import { canonicalJson, clampBatchSize, planBatches } from '../../nodes/CstarBulk/bulk/plan';
import type { AcceptedItem } from '../../nodes/CstarBulk/bulk/types';

const ids = (count: number, prefix = 'tkt_') =>
	Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('planBatches', () => {
	it('sends ceil(n/100) calls of at most 100 ids for ids spread over items', () => {
		const items: AcceptedItem[] = ids(250).map((id, itemIndex) => ({ itemIndex, ids: [id] }));
		const plan = planBatches(items, { batchSize: 100, deduplicate: true });
		expect(plan.batches.map((batch) => batch.ids.length)).toEqual([100, 100, 50]);
		expect(plan.batches.flatMap((batch) => batch.ids)).toEqual(ids(250));
	});

	it('splits one item naming more than 100 ids across calls', () => {
		const plan = planBatches([{ itemIndex: 0, ids: ids(230) }], {
			batchSize: 100,
			deduplicate: true,
		});
		expect(plan.batches).toHaveLength(3);
		expect(plan.itemSlots[0]).toHaveLength(230);
	});

	it('never puts more than 100 ids in a call, whatever batch size is asked', () => {
		expect(clampBatchSize(500)).toBe(100);
		expect(clampBatchSize(0)).toBe(1);
		expect(clampBatchSize(Number.NaN)).toBe(100);
		const plan = planBatches([{ itemIndex: 0, ids: ids(150) }], {
			batchSize: 1000,
			deduplicate: true,
		});
		expect(Math.max(...plan.batches.map((batch) => batch.ids.length))).toBe(100);
	});

	it('sends a duplicated id once and points every pair at the same result', () => {
		const plan = planBatches(
			[
				{ itemIndex: 0, ids: ['a', 'b'] },
				{ itemIndex: 1, ids: ['b', 'a', 'a'] },
			],
			{ batchSize: 100, deduplicate: true },
		);
		expect(plan.batches).toHaveLength(1);
		expect(plan.batches[0].ids).toEqual(['a', 'b']);
		expect(plan.itemSlots).toEqual([
			[0, 1],
			[1, 0, 0],
		]);
	});

	it('without deduplication sends each occurrence, never twice in one call', () => {
		const plan = planBatches(
			[
				{ itemIndex: 0, ids: ['a', 'b'] },
				{ itemIndex: 1, ids: ['a'] },
			],
			{ batchSize: 100, deduplicate: false },
		);
		expect(plan.batches.map((batch) => batch.ids)).toEqual([['a', 'b'], ['a']]);
		expect(new Set(plan.itemSlots.flat()).size).toBe(3);
	});

	it('groups items by data: equal data share calls, different data never do', () => {
		const plan = planBatches(
			[
				{ itemIndex: 0, ids: ['a'], data: { status: 'closed', priority: 'low' } },
				{ itemIndex: 1, ids: ['b'], data: { priority: 'low', status: 'closed' } },
				{ itemIndex: 2, ids: ['c'], data: { status: 'open' } },
				{ itemIndex: 3, ids: ['a'], data: { status: 'open' } },
			],
			{ batchSize: 100, deduplicate: true },
		);
		expect(plan.batches.map((batch) => [batch.ids, batch.data])).toEqual([
			[['a', 'b'], { status: 'closed', priority: 'low' }],
			[['c'], { status: 'open' }],
			// a's second instruction waits for its first: cStar ends as the last item asked.
			[['a'], { status: 'open' }],
		]);
		expect(plan.batches.map((batch) => batch.after)).toEqual([undefined, undefined, [0]]);
		expect(plan.slotCount).toBe(4);
	});

	it('numbers batches in order', () => {
		const plan = planBatches([{ itemIndex: 0, ids: ids(30) }], {
			batchSize: 10,
			deduplicate: true,
		});
		expect(plan.batches.map((batch) => batch.seq)).toEqual([0, 1, 2]);
	});
});

describe('canonicalJson', () => {
	it('ignores key order at every depth', () => {
		expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: 2 } })).toBe(
			canonicalJson({ a: { c: 2, d: [1, { e: 2, f: 1 }] }, b: 1 }),
		);
	});

	it('keeps a __proto__ key as data', () => {
		const data = JSON.parse('{"__proto__": {"x": 1}, "a": 1}');
		expect(canonicalJson(data)).toBe('{"__proto__":{"x":1},"a":1}');
	});
});
