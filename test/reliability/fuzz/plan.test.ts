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
		"every call holds 1 to min(100, Batch Size) distinct ids of one data group; every (item, id) maps to one slot whose call carries that id and that item's data; one slot per instruction for an id (with Deduplicate a repeat of its latest instruction merges into it); calls are packed (ceil(n / size) per layer and data); each later instruction's call waits for the call of the one before, with the data asked; odd batch sizes (NaN, ±Infinity, 0, fractions) are clamped",
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
				});
			});
			checkInstructionOrder(plan, accepted, deduplicate, limit);
		},
	);

	/**
	 * The model of "the last instruction wins": per id, its instructions in input order (with
	 * Deduplicate, a repeat of the latest one merges into it); the k-th goes to layer k, one call
	 * per (layer, data) chunk, and its call comes after the call of instruction k-1.
	 */
	function checkInstructionOrder(
		plan: ReturnType<typeof planBatches>,
		accepted: AcceptedItem[],
		deduplicate: boolean,
		limit: number,
	): void {
		const versions = new Map<string, string[]>();
		const perLayer = new Map<string, number>();
		for (const item of accepted) {
			const key = canonicalJson(item.data ?? null);
			for (const id of item.ids) {
				const list = versions.get(id) ?? [];
				if (!(deduplicate && list[list.length - 1] === key)) {
					perLayer.set(`${list.length}\n${key}`, (perLayer.get(`${list.length}\n${key}`) ?? 0) + 1);
					list.push(key);
				}
				versions.set(id, list);
			}
		}
		const slots = [...versions.values()].reduce((sum, list) => sum + list.length, 0);
		assert(plan.slotCount === slots, () => `slotCount ${plan.slotCount}, ${slots} instructions`);
		const packed = [...perLayer.values()].reduce((sum, n) => sum + Math.ceil(n / limit), 0);
		assert(
			plan.batches.length === packed,
			() => `${plan.batches.length} calls, ${packed} would do`,
		);
		const callsOf = new Map<string, number[]>();
		for (const batch of plan.batches)
			for (const id of batch.ids) callsOf.set(id, [...(callsOf.get(id) ?? []), batch.seq]);
		for (const [id, list] of versions) {
			const calls = callsOf.get(id) ?? [];
			assert(calls.length === list.length, () => `${id}: ${calls.length} calls for ${list.length}`);
			calls.forEach((seq, k) => {
				const batch = plan.batches[seq];
				assert(
					canonicalJson(batch.data ?? null) === list[k],
					() => `${id}: call ${k} has other data`,
				);
				if (k > 0)
					assert(
						(batch.after ?? []).includes(calls[k - 1]),
						() => `${id}: call ${seq} does not wait for call ${calls[k - 1]}`,
					);
			});
		}
	}
});
