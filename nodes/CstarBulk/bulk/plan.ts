import { recordKeyOf } from './ids';
import {
	isRejected,
	type AcceptedItem,
	type CstarResource,
	type ItemInput,
	type UpdateData,
} from './types';

export const MAX_IDS_PER_CALL = 100;

/** One call to cStar: `ids[k]` answers for result slot `slots[k]`. */
export interface PlannedBatch {
	seq: number;
	data?: UpdateData;
	ids: string[];
	slots: number[];
	/** Seqs of earlier batches carrying an earlier instruction for one of these ids. */
	after?: number[];
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
	/** Lets two forms of one record's id (prefixed, raw UUID) count as one id. */
	resource?: CstarResource;
}

/** The slots of one data group within one layer. */
interface DataGroup {
	data?: UpdateData;
	slots: number[];
}

/** The latest instruction planned for one id. */
interface IdState {
	dataKey: string;
	slot: number;
	layer: number;
}

/**
 * Items with equal data share calls and items with different data never do. An id's k-th
 * instruction (in input order) goes to layer k, and its call waits for the call of instruction
 * k-1 (`after`), so cStar ends in the state the last item asked for. With deduplication a repeat of
 * the id's latest instruction shares its slot. No call holds the same id twice. "Same id" means the
 * same record: a raw UUID and its prefixed form are one id here (recordKeyOf).
 */
/** The plan for every input whose ids and data were accepted; rejected ones send nothing. */
export function planItems(inputs: ItemInput[], options: PlanOptions): BulkPlan {
	return planBatches(
		inputs.filter((input): input is AcceptedItem => !isRejected(input)),
		options,
	);
}

export function planBatches(items: AcceptedItem[], options: PlanOptions): BulkPlan {
	const batchSize = clampBatchSize(options.batchSize);
	const layers: Array<Map<string, DataGroup>> = [];
	const keyOfData = memoizedCanonicalJson();
	const slotIds: string[] = [];
	const previousSlot = new Map<number, number>();
	const latest = new Map<string, IdState>();
	const itemSlots: number[][] = [];

	for (const item of items) {
		const dataKey = item.data === undefined ? '' : keyOfData(item.data);
		const slots: number[] = [];
		for (const id of item.ids) {
			const record = options.resource === undefined ? id : recordKeyOf(id, options.resource);
			const state = latest.get(record);
			if (state !== undefined && options.deduplicate && state.dataKey === dataKey) {
				slots.push(state.slot);
				continue;
			}
			const layer = state === undefined ? 0 : state.layer + 1;
			const slot = slotIds.length;
			slotIds.push(id);
			if (state !== undefined) previousSlot.set(slot, state.slot);
			groupFor(layers, layer, dataKey, item.data).slots.push(slot);
			latest.set(record, { dataKey, slot, layer });
			slots.push(slot);
		}
		itemSlots.push(slots);
	}

	const batches = chunk(layers, batchSize, slotIds);
	if (previousSlot.size > 0) linkLayers(batches, previousSlot, slotIds.length);
	return { batches, slotCount: slotIds.length, itemSlots };
}

function groupFor(
	layers: Array<Map<string, DataGroup>>,
	layer: number,
	dataKey: string,
	data: UpdateData | undefined,
): DataGroup {
	while (layers.length <= layer) layers.push(new Map());
	let group = layers[layer].get(dataKey);
	if (!group) {
		group = { data, slots: [] };
		layers[layer].set(dataKey, group);
	}
	return group;
}

function chunk(
	layers: Array<Map<string, DataGroup>>,
	batchSize: number,
	slotIds: string[],
): PlannedBatch[] {
	const batches: PlannedBatch[] = [];
	for (const layer of layers) {
		for (const group of layer.values()) {
			for (let start = 0; start < group.slots.length; start += batchSize) {
				const slots = group.slots.slice(start, start + batchSize);
				batches.push({
					seq: batches.length,
					data: group.data,
					ids: slots.map((slot) => slotIds[slot]),
					slots,
				});
			}
		}
	}
	return batches;
}

/** Each batch of a later layer waits for the batches holding its ids' previous instructions. */
function linkLayers(
	batches: PlannedBatch[],
	previousSlot: Map<number, number>,
	slotCount: number,
): void {
	const batchOfSlot = new Int32Array(slotCount);
	for (const batch of batches) for (const slot of batch.slots) batchOfSlot[slot] = batch.seq;
	for (const batch of batches) {
		const after = new Set<number>();
		for (const slot of batch.slots) {
			const previous = previousSlot.get(slot);
			if (previous !== undefined) after.add(batchOfSlot[previous]);
		}
		if (after.size > 0) batch.after = [...after].sort((a, b) => a - b);
	}
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
