import fc from 'fast-check';

import { canonicalJson, planBatches } from '../../../nodes/CstarBulk/bulk/plan';
import type { AcceptedItem } from '../../../nodes/CstarBulk/bulk/types';
import { RUNS, assert, fuzzSection } from './support';

const { check } = fuzzSection('fuzzPlan');

// planBatches

describe('planBatches', () => {
	const smallId = fc.constantFrom(
		'a',
		'b',
		'c',
		'd',
		'e',
		'f',
		'g',
		'h',
		'tkt_1',
		'tkt_2',
		'1',
		'01',
	);
	const dataPool: Array<Record<string, unknown> | undefined> = [
		undefined,
		{ status: 'closed' },
		{ status: 'open' },
		{ a: 1, b: { x: 1, y: 2 } },
		{ b: { y: 2, x: 1 }, a: 1 },
		{ tags: ['x', 'y'] },
		{ tags: ['y', 'x'] },
	];
	const items: fc.Arbitrary<Array<{ ids: string[]; data: Record<string, unknown> | undefined }>> =
		fc.oneof(
			{
				arbitrary: fc.array(
					fc.record({
						ids: fc.array(smallId, { minLength: 1, maxLength: 25 }),
						data: fc.constantFrom(...dataPool),
					}),
					{ maxLength: 15 },
				),
				weight: 8,
			},
			{
				arbitrary: fc
					.tuple(fc.integer({ min: 101, max: 450 }), fc.integer({ min: 1, max: 50 }))
					.map(([count, distinctLess]) => [
						{
							ids: Array.from(
								{ length: count },
								(_, i) => `id${i % Math.max(1, count - distinctLess)}`,
							),
							data: undefined,
						},
					]),
				weight: 1,
			},
		);
	const batchSize = fc.oneof(
		fc.integer({ min: -3, max: 130 }),
		fc.double(),
		fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.5, 99.9),
	);
	const expectedSize = (size: number) =>
		Number.isFinite(size) ? Math.min(100, Math.max(1, Math.floor(size))) : 100;

	check(
		'planBatches: grouping and chunking',
		"every call holds 1 to min(100, Batch Size) distinct ids of one data group; every (item, id) maps to one slot whose call carries that id and that item's data; slots = distinct (data, id) with Deduplicate, all pairs without; calls are packed (ceil(n / size) per group and round); odd batch sizes (NaN, ±Infinity, 0, fractions) are clamped",
		RUNS.plan,
		fc.record({ items, batchSize, deduplicate: fc.boolean() }),
		({ items: raw, batchSize: size, deduplicate }) => {
			const accepted: AcceptedItem[] = raw.map((item, itemIndex) => ({
				itemIndex,
				ids: item.ids,
				data: item.data,
			}));
			const plan = planBatches(accepted, { batchSize: size, deduplicate });
			const limit = expectedSize(size);
			const where = new Map<number, { batch: number; position: number }>();
			plan.batches.forEach((batch, index) => {
				assert(batch.seq === index, () => `call ${index} has seq ${batch.seq}`);
				assert(
					batch.ids.length >= 1 && batch.ids.length <= limit,
					() => `a call of ${batch.ids.length} ids with Batch Size ${size}`,
				);
				assert(
					new Set(batch.ids).size === batch.ids.length,
					() => `a call holds an id twice: ${JSON.stringify(batch.ids)}`,
				);
				assert(batch.slots.length === batch.ids.length, () => 'slots and ids differ in length');
				batch.slots.forEach((slot, position) => {
					assert(!where.has(slot), () => `slot ${slot} is in two calls`);
					where.set(slot, { batch: index, position });
				});
			});
			assert(
				where.size === plan.slotCount,
				() => `${where.size} slots in calls, slotCount ${plan.slotCount}`,
			);
			assert(plan.itemSlots.length === accepted.length, () => 'itemSlots does not match the items');
			const slotOf = new Map<string, Set<number>>();
			accepted.forEach((item, i) => {
				assert(
					plan.itemSlots[i].length === item.ids.length,
					() => `item ${i} has ${plan.itemSlots[i].length} slots for ${item.ids.length} ids`,
				);
				item.ids.forEach((id, k) => {
					const at = where.get(plan.itemSlots[i][k]);
					if (!at) throw new Error('an (item, id) pair points at no call');
					const batch = plan.batches[at.batch];
					assert(
						batch.ids[at.position] === id,
						() => `item ${i} id ${id} points at ${batch.ids[at.position]}`,
					);
					assert(
						canonicalJson(batch.data ?? null) === canonicalJson(item.data ?? null),
						() => `item ${i} id ${id} is sent with other data`,
					);
					const key = `${canonicalJson(item.data ?? null)}\n${id}`;
					slotOf.set(key, (slotOf.get(key) ?? new Set()).add(plan.itemSlots[i][k]));
				});
			});
			const pairs = accepted.reduce((sum, item) => sum + item.ids.length, 0);
			assert(
				plan.slotCount === (deduplicate ? slotOf.size : pairs),
				() => `slotCount ${plan.slotCount}`,
			);
			if (deduplicate)
				for (const slots of slotOf.values())
					assert(slots.size === 1, () => 'one (data, id) has several slots');

			const groups = new Map<string, Map<string, number>>();
			for (const item of accepted) {
				const group = groups.get(canonicalJson(item.data ?? null)) ?? new Map<string, number>();
				for (const id of item.ids) group.set(id, (group.get(id) ?? 0) + 1);
				groups.set(canonicalJson(item.data ?? null), group);
			}
			for (const [key, occurrences] of groups) {
				const rounds = deduplicate ? [occurrences.size] : roundSizes([...occurrences.values()]);
				const calls = plan.batches.filter(
					(batch) => canonicalJson(batch.data ?? null) === key,
				).length;
				const packed = rounds.reduce((sum, n) => sum + Math.ceil(n / limit), 0);
				assert(calls === packed, () => `${calls} calls for data ${key}, ${packed} would do`);
			}
		},
	);

	/** Without deduplication, round r holds the ids named more than r times. */
	function roundSizes(occurrences: number[]): number[] {
		const rounds: number[] = [];
		for (let r = 0; r < Math.max(...occurrences); r++)
			rounds.push(occurrences.filter((n) => n > r).length);
		return rounds;
	}
});

// ---------------------------------------------------------------------------------------------
// interpretBulkAnswer
