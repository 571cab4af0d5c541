import type { INodeExecutionData } from 'n8n-workflow';

import { canonicalId, resourceByName } from '../../emulator/resources';
import { canonicalJson } from '../../nodes/CstarBulk/bulk/plan';
import type { BulkAction, CstarResource } from '../../nodes/CstarBulk/bulk/types';
import {
	bulkCalls,
	codeOf,
	expectNoSecret,
	idOf,
	itemOf,
	messageOf,
	type Emulator,
	type NodeResult,
} from './harness';

/** One (input item, id) pair the input names. */
export interface ExpectedPair {
	item: number;
	/** The id as the node should echo it; null where it can't (the item gave no usable id, or a too-long one). */
	id: string | null;
	/** Whether the node may send it: its item's ids and data are valid. */
	accepted: boolean;
}

export interface Expectation {
	resource: CstarResource;
	action: BulkAction;
	pairs: ExpectedPair[];
	/** The update data each accepted item asked for. */
	dataOf?: (item: number) => Record<string, unknown> | undefined;
	/** The node's Deduplicate IDs option (default true). */
	deduplicate?: boolean;
	secret: string;
}

export interface Tally {
	succeeded: number;
	failed: number;
	applied: number;
	calls: number;
}

/** Pairs for items that each name the given ids, all valid. */
export function acceptedPairs(idsPerItem: string[][]): ExpectedPair[] {
	return idsPerItem.flatMap((ids, item) => ids.map((id) => ({ item, id, accepted: true })));
}

/** C0, DEL and C1: no id sent may hold one. */
export function hasControlCharacter(text: string): boolean {
	for (const char of text) {
		const code = char.charCodeAt(0);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}

/**
 * The invariants every run must keep, whatever happened on the way:
 * (a) items out = (item, id) pairs in; (b) every id on Succeeded was changed in the store, once per
 * change asked for; (c) every id on Failed has a code and a message; (d) nothing applied more often
 * than asked (idsAppliedTwice === 0 when each id was asked once); (e) an id said to be "Not sent"
 * was never applied; and the canary: the key appears nowhere the run exposes.
 * The bulk calls themselves must be well formed (see checkBulkCalls).
 */
export function checkInvariants(
	emu: Emulator,
	expectation: Expectation,
	result: NodeResult,
): Tally {
	expectNoSecret(result, expectation.secret);
	checkBulkCalls(emu, expectation);
	if (result.kind === 'threw') {
		// Nothing came out, so only (d) is left to check.
		checkApplications(emu, expectation, [], []);
		return {
			succeeded: 0,
			failed: 0,
			applied: emu.counts().idsApplied,
			calls: bulkCalls(emu).length,
		};
	}
	const { succeeded, failed } = result;
	checkPairs(expectation, succeeded, failed);
	checkFailedHaveCodes(failed);
	checkApplications(emu, expectation, succeeded, failed);
	return {
		succeeded: succeeded.length,
		failed: failed.length,
		applied: emu.counts().idsApplied,
		calls: bulkCalls(emu).length,
	};
}

/** (a): per input item, as many outputs as pairs, with the ids it named; in input order; Succeeded only for sendable pairs. */
function checkPairs(
	expectation: Expectation,
	succeeded: INodeExecutionData[],
	failed: INodeExecutionData[],
): void {
	const expected = new Map<number, ExpectedPair[]>();
	for (const pair of expectation.pairs)
		expected.set(pair.item, [...(expected.get(pair.item) ?? []), pair]);
	const got = new Map<number, unknown[]>();
	for (const output of [...succeeded, ...failed]) {
		const item = itemOf(output);
		if (!Number.isInteger(item))
			throw new Error(`an output item has no pairedItem: ${JSON.stringify(output)}`);
		got.set(item, [...(got.get(item) ?? []), idOf(output)]);
	}
	const counts = (map: Map<number, unknown[]>) =>
		[...map.entries()].map(([item, list]) => [item, list.length]).sort((x, y) => x[0] - y[0]);
	expect(counts(got)).toEqual(counts(expected));
	for (const [item, pairs] of expected) {
		const ids = [...(got.get(item) ?? [])];
		for (const pair of pairs) {
			if (pair.id === null) continue;
			const at = ids.indexOf(pair.id);
			if (at === -1)
				throw new Error(`item ${item} named ${JSON.stringify(pair.id)}, but no output carries it`);
			ids.splice(at, 1);
		}
	}
	for (const output of [...succeeded, ...failed]) {
		const pairs = expected.get(itemOf(output)) ?? [];
		if (succeeded.includes(output)) {
			expect(output.json.status).toBe('succeeded');
			if (!pairs.some((pair) => pair.accepted && pair.id === output.json.id)) {
				throw new Error(
					`Succeeded holds ${JSON.stringify(output.json.id)} for item ${itemOf(output)}, which could not be sent`,
				);
			}
		}
	}
	for (const list of [succeeded, failed]) {
		const order = list.map(itemOf);
		expect(order).toEqual([...order].sort((x, y) => x - y));
	}
}

/** (c) */
function checkFailedHaveCodes(failed: INodeExecutionData[]): void {
	for (const output of failed) {
		const code = codeOf(output);
		const message = messageOf(output);
		if (typeof code !== 'string' || code === '' || typeof message !== 'string' || message === '') {
			throw new Error(`a Failed item lacks a code or message: ${JSON.stringify(output.json)}`);
		}
	}
}

/** (b), (d), (e), counted per stored record and per change asked for. */
function checkApplications(
	emu: Emulator,
	expectation: Expectation,
	succeeded: INodeExecutionData[],
	failed: INodeExecutionData[],
): void {
	const def = resourceByName(expectation.resource);
	if (!def) throw new Error(`unknown resource ${expectation.resource}`);
	const dedupe = expectation.deduplicate ?? true;
	const recordOf = (id: string) => canonicalId(def, id);
	const dataKey = (item: number) => canonicalJson(expectation.dataOf?.(item) ?? null);
	const acceptedItems = new Set(
		expectation.pairs.filter((pair) => pair.accepted).map((pair) => pair.item),
	);

	// A change is one instruction for an id: with deduplication, a run of items asking the same data
	// for it (in input order) is one change; without, every occurrence is.
	const changeOfPair = new Map<string, string>();
	const latest = new Map<string, { key: string; change: string; item: number }>();
	const asked = new Map<string, Set<string>>();
	expectation.pairs.forEach((pair, index) => {
		if (!pair.accepted || pair.id === null) return;
		const record = recordOf(pair.id);
		const key = dataKey(pair.item);
		const last = latest.get(record);
		const change = !dedupe ? `#${index}` : last?.key === key ? last.change : `${record}#${index}`;
		latest.set(record, { key, change, item: pair.item });
		changeOfPair.set(`${pair.item}\n${pair.id}`, change);
		asked.set(record, (asked.get(record) ?? new Set()).add(change));
	});
	const changesOf = (outputs: INodeExecutionData[]) => {
		const changes = new Map<string, Set<string>>();
		outputs.forEach((output, index) => {
			const id = idOf(output);
			if (typeof id !== 'string' || !acceptedItems.has(itemOf(output))) return;
			const change = dedupe ? changeOfPair.get(`${itemOf(output)}\n${id}`) : `#${index}`;
			changes.set(recordOf(id), (changes.get(recordOf(id)) ?? new Set()).add(change ?? id));
		});
		return changes;
	};
	const confirmed = changesOf(succeeded);
	const notSent = changesOf(
		failed.filter((output) => String(messageOf(output)).startsWith('Not sent')),
	);
	const applied = new Map<string, number>();
	const prefix = `${expectation.resource}:`;
	for (const [key, times] of Object.entries(emu.appliedCounts())) {
		if (key.startsWith(prefix)) applied.set(key.slice(prefix.length), times);
		else throw new Error(`the run changed ${key}, a resource it was not asked to touch`);
	}

	for (const [record, times] of applied) {
		const askedCount = asked.get(record)?.size ?? 0;
		const refused = notSent.get(record)?.size ?? 0;
		if (times > askedCount - refused) {
			throw new Error(
				`${record} was applied ${times} time(s), but the input asked for ${askedCount} change(s) and the node said ${refused} of them were not sent`,
			);
		}
	}
	for (const [record, changes] of confirmed) {
		const times = applied.get(record) ?? 0;
		if (times < changes.size)
			throw new Error(
				`${record} is on Succeeded ${changes.size} time(s) but was applied ${times} time(s)`,
			);
	}
	if ([...asked.values()].every((changes) => changes.size <= 1))
		expect(emu.counts().idsAppliedTwice).toBe(0);

	for (const output of succeeded) {
		const id = output.json.id as string;
		const stored = emu.store.get(expectation.resource, recordOf(id));
		if (expectation.action === 'delete') {
			if (stored !== undefined) throw new Error(`${id} is on Succeeded but still in the store`);
			continue;
		}
		if (stored === undefined) throw new Error(`${id} is on Succeeded but not in the store`);
		// The last instruction for an id, once confirmed, is what the store holds: nothing earlier ran after it.
		if (latest.get(recordOf(id))?.item === itemOf(output)) {
			for (const [field, value] of Object.entries(expectation.dataOf?.(itemOf(output)) ?? {})) {
				if (canonicalJson(stored[field]) !== canonicalJson(value))
					throw new Error(
						`${id}: the last instruction (${field} ${JSON.stringify(value)}) was confirmed, but the store holds ${JSON.stringify(stored[field])}`,
					);
			}
		}
		for (const [field, value] of Object.entries(expectation.dataOf?.(itemOf(output)) ?? {})) {
			const candidates = expectation.pairs
				.filter((pair) => pair.accepted && pair.id !== null && recordOf(pair.id) === recordOf(id))
				.map((pair) => expectation.dataOf?.(pair.item) ?? {})
				.filter((data) => field in data)
				.map((data) => canonicalJson(data[field]));
			if (!candidates.includes(canonicalJson(stored[field]))) {
				throw new Error(
					`${id} is on Succeeded, but its ${field} is ${JSON.stringify(stored[field])}, not ${JSON.stringify(value)}`,
				);
			}
		}
	}
}

/**
 * Every bulk call the emulator received: the team's bulk path, a well-formed body of 1 to 100
 * distinct ids the input allowed (no control characters), the action and resource asked for, data
 * exactly for updates and equal to some accepted item's data, and an Idempotency-Key.
 */
export function checkBulkCalls(emu: Emulator, expectation: Expectation): void {
	const sendable = new Set(
		expectation.pairs
			.filter((pair) => pair.accepted && pair.id !== null)
			.map((pair) => pair.id as string),
	);
	const dataSets = new Set(
		expectation.pairs
			.filter((pair) => pair.accepted)
			.map((pair) => canonicalJson(expectation.dataOf?.(pair.item) ?? null)),
	);
	for (const call of emu.log) {
		if (call.path === '/api/v1/auth/whoami') continue;
		expect(call.method).toBe('POST');
		expect(call.path).toBe(`/api/v1/teams/${emu.teamId}/bulk`);
		expect(Object.keys(call.query)).toEqual([]);
		expect(call.headers['idempotency-key']).toMatch(/^n8n-cstar-[0-9a-f]{40}$/);
		const body = call.body as Record<string, unknown>;
		if (body === null || typeof body !== 'object' || Array.isArray(body))
			throw new Error(`malformed body: ${JSON.stringify(body)}`);
		expect(Object.keys(body).sort()).toEqual(
			expectation.action === 'update'
				? ['action', 'data', 'ids', 'resource']
				: ['action', 'ids', 'resource'],
		);
		expect(body.action).toBe(expectation.action);
		expect(body.resource).toBe(expectation.resource);
		const ids = body.ids as unknown[];
		if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100)
			throw new Error(`a call held ${Array.isArray(ids) ? ids.length : 'no'} ids`);
		if (new Set(ids).size !== ids.length) throw new Error('a call held the same id twice');
		for (const id of ids) {
			if (typeof id !== 'string' || hasControlCharacter(id))
				throw new Error(`a call held the id ${JSON.stringify(id)}`);
			if (!sendable.has(id))
				throw new Error(`a call held ${JSON.stringify(id)}, which the input did not allow`);
		}
		if (expectation.action === 'update' && !dataSets.has(canonicalJson(body.data))) {
			throw new Error(
				`a call carried data no accepted item asked for: ${JSON.stringify(body.data)}`,
			);
		}
	}
}
