import type { AcceptedItem, UpdateData } from './types';

export const MAX_IDS_PER_CALL = 100;

/** One call to cStar: `ids[k]` answers for result slot `slots[k]`. */
export interface PlannedBatch {
	seq: number;
	data?: UpdateData;
	ids: string[];
	slots: number[];
}

/**
 * A slot is one thing cStar is asked to do: one id with one set of data (and, without
 * deduplication, one occurrence of it). Every (item, id) pair points at exactly one slot, so a
 * result fans back out to every item that named the id.
 */
export interface BulkPlan {
	batches: PlannedBatch[];
	slotCount: number;
	/** For each accepted item, in the same order: the slot of each of its ids. */
	itemSlots: number[][];
}

export interface PlanOptions {
	batchSize: number;
	deduplicate: boolean;
}

interface DataGroup {
	data?: UpdateData;
	slotById: Map<string, number>;
	occurrencesById: Map<string, number>;
	/** rounds[r] holds the slots of the r-th occurrence of ids; with deduplication there is one round. */
	rounds: number[][];
}

/**
 * Items with equal data share calls and items with different data never do. No call holds the
 * same id twice, because cStar's answer for a repeated id would be ambiguous.
 */
export function planBatches(items: AcceptedItem[], options: PlanOptions): BulkPlan {
	const batchSize = clampBatchSize(options.batchSize);
	const groups = new Map<string, DataGroup>();
	const keyOfData = memoizedCanonicalJson();
	const slotIds: string[] = [];
	const itemSlots: number[][] = [];

	for (const item of items) {
		const group = groupFor(groups, item.data, keyOfData);
		const slots: number[] = [];
		for (const id of item.ids) {
			slots.push(
				options.deduplicate ? sharedSlot(group, id, slotIds) : ownSlot(group, id, slotIds),
			);
		}
		itemSlots.push(slots);
	}

	const batches: PlannedBatch[] = [];
	for (const group of groups.values()) {
		for (const round of group.rounds) {
			for (let start = 0; start < round.length; start += batchSize) {
				const slots = round.slice(start, start + batchSize);
				batches.push({
					seq: batches.length,
					data: group.data,
					ids: slots.map((slot) => slotIds[slot]),
					slots,
				});
			}
		}
	}
	return { batches, slotCount: slotIds.length, itemSlots };
}

function groupFor(
	groups: Map<string, DataGroup>,
	data: UpdateData | undefined,
	keyOfData: (data: UpdateData) => string,
): DataGroup {
	const key = data === undefined ? '' : keyOfData(data);
	let group = groups.get(key);
	if (!group) {
		group = { data, slotById: new Map(), occurrencesById: new Map(), rounds: [] };
		groups.set(key, group);
	}
	return group;
}

function sharedSlot(group: DataGroup, id: string, slotIds: string[]): number {
	const existing = group.slotById.get(id);
	if (existing !== undefined) return existing;
	const slot = newSlot(group, 0, id, slotIds);
	group.slotById.set(id, slot);
	return slot;
}

function ownSlot(group: DataGroup, id: string, slotIds: string[]): number {
	const occurrence = group.occurrencesById.get(id) ?? 0;
	group.occurrencesById.set(id, occurrence + 1);
	return newSlot(group, occurrence, id, slotIds);
}

function newSlot(group: DataGroup, round: number, id: string, slotIds: string[]): number {
	const slot = slotIds.length;
	slotIds.push(id);
	while (group.rounds.length <= round) group.rounds.push([]);
	group.rounds[round].push(slot);
	return slot;
}

export function clampBatchSize(size: number): number {
	if (!Number.isFinite(size)) return MAX_IDS_PER_CALL;
	return Math.min(MAX_IDS_PER_CALL, Math.max(1, Math.floor(size)));
}

/** Items often share one data object (data without expressions is read once), so key it once. */
function memoizedCanonicalJson(): (data: UpdateData) => string {
	const keys = new Map<UpdateData, string>();
	return (data) => {
		let key = keys.get(data);
		if (key === undefined) {
			key = canonicalJson(data);
			keys.set(data, key);
		}
		return key;
	};
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same data. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return Object.fromEntries(
			Object.keys(record)
				.sort()
				.map((key) => [key, sortKeys(record[key])]),
		);
	}
	return value;
}
