/**
 * Shared pieces of the emulator-backed e2e suites: a Manual Trigger → Code → Cstar Bulk workflow,
 * input items whose ids come one per item, as arrays and as comma/space/newline lists, and the
 * checks every suite repeats (each (item, id) pair on exactly one output, no key in any text).
 *
 * Pure TypeScript under n8n's strict lint; everything that touches the OS is in harness/ or support/*.js.
 */
import { codeReturning } from '../../../scripts/examples';
import type { OutputItem } from '../../../harness';
import { bulkCalls, type Emulator, type LogEntry, type OnError } from '../../support/common';

export { bulkCalls, type Emulator, type LogEntry, type OnError };

export const NODE_TYPE = 'n8n-nodes-cstar.cstarBulk';
export const BULK_NODE = 'Cstar Bulk';

export interface CredentialRef {
	id: string;
	name: string;
}

export interface BulkWorkflowOptions {
	/** at most 21 characters */
	id: string;
	credential: CredentialRef;
	/** the Code node's items */
	rows: Array<Record<string, unknown>>;
	/** the Cstar Bulk node's parameters; `ids` defaults to `={{ $json.id }}` */
	parameters: Record<string, unknown>;
	onError?: OnError;
}

/** Manual Trigger "Start" → Code "Ids" (returns `rows`) → Cstar Bulk "Cstar Bulk". */
export function bulkWorkflow(options: BulkWorkflowOptions): Record<string, unknown> {
	const bulkNode: Record<string, unknown> = {
		id: 'e2e00000-0000-4000-8000-000000000003',
		name: BULK_NODE,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		parameters: { ids: '={{ $json.id }}', options: {}, ...options.parameters },
		credentials: { cstarApi: options.credential },
	};
	if (options.onError !== undefined) bulkNode.onError = options.onError;
	return {
		id: options.id,
		name: `e2e ${options.id}`,
		nodes: [
			{
				id: 'e2e00000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'e2e00000-0000-4000-8000-000000000002',
				name: 'Ids',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: codeReturning(options.rows) },
			},
			bulkNode,
		],
		connections: {
			Start: { main: [[{ node: 'Ids', type: 'main', index: 0 }]] },
			Ids: { main: [[{ node: BULK_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** One (input item, id) pair: what must come out of the node exactly once. */
export interface Pair {
	item: number;
	id: string;
}

const LIST_SEPARATORS = [', ', ' ', '\n', ','];

/**
 * Spreads ids over input items as users send them: mostly one id per item (`{ id }`), every tenth
 * item from the fourth an array of three ids, and every tenth from the eighth a text list of four
 * ids separated by commas, spaces or new lines. Returns the rows and the (item, id) pairs they name.
 */
export function spreadIds(ids: string[]): { rows: Array<Record<string, unknown>>; pairs: Pair[] } {
	const rows: Array<Record<string, unknown>> = [];
	const pairs: Pair[] = [];
	let next = 0;
	while (next < ids.length) {
		const item = rows.length;
		const take = item % 10 === 3 ? 3 : item % 10 === 7 ? 4 : 1;
		const chunk = ids.slice(next, next + take);
		next += chunk.length;
		if (take === 3) {
			rows.push({ id: chunk, shape: 'array' });
		} else if (take === 4) {
			const separator = LIST_SEPARATORS[Math.floor(item / 10) % LIST_SEPARATORS.length];
			rows.push({ id: chunk.join(separator), shape: 'list' });
		} else {
			rows.push({ id: chunk[0], shape: 'single' });
		}
		for (const id of chunk) pairs.push({ item, id });
	}
	return { rows, pairs };
}

/** `item:id` for each output item, from its `pairedItem.item` and `json.id`. */
export function pairKeys(items: OutputItem[]): string[] {
	return items.map((output) => `${pairedIndex(output)}:${String(output.json.id)}`);
}

export function keysOf(pairs: Pair[]): string[] {
	return pairs.map((pair) => `${pair.item}:${pair.id}`);
}

/** The input item an output item is paired to (n8n stores `{ item }`, or a one-element array). */
export function pairedIndex(output: OutputItem): number | undefined {
	const paired = Array.isArray(output.pairedItem) ? output.pairedItem[0] : output.pairedItem;
	return typeof paired?.item === 'number' ? paired.item : undefined;
}

/** Whether output items are in input order (paired indexes never go down). */
export function inInputOrder(items: OutputItem[]): boolean {
	let last = -1;
	for (const output of items) {
		const index = pairedIndex(output) ?? -1;
		if (index < last) return false;
		last = index;
	}
	return true;
}

export function sorted(values: string[]): string[] {
	return [...values].sort();
}

export interface BulkBody {
	action: string;
	resource: string;
	ids: string[];
	data?: Record<string, unknown>;
}

export function bodyOf(entry: LogEntry): BulkBody {
	return entry.body as BulkBody;
}

export function headerOf(entry: LogEntry, name: string): string | undefined {
	const value = entry.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Where a secret occurs in some text, with a little context, or undefined. Used instead of
 * `expect(text).not.toContain(secret)`, whose failure message would print megabytes of run data.
 */
export function leakIn(text: string, secret: string): string | undefined {
	if (secret === '') return undefined;
	const at = text.indexOf(secret);
	if (at === -1) return undefined;
	return `…${text.slice(Math.max(0, at - 200), at)}<SECRET>${text.slice(at + secret.length, at + secret.length + 200)}…`;
}

/** Ids that look like the emulator's but name no record (`tkt_` + 32 hex digits). */
export function unknownIds(prefix: string, count: number, known: Set<string>): string[] {
	const ids: string[] = [];
	for (let n = 0; ids.length < count; n++) {
		const id = `${prefix}_${'e2e0'.repeat(6)}${n.toString(16).padStart(8, '0')}`;
		if (!known.has(id)) ids.push(id);
	}
	return ids;
}

/** Puts `extra` among `ids` at regular places, so they fall into different calls. */
export function interleave(ids: string[], extra: string[]): string[] {
	const out = [...ids];
	const step = Math.max(1, Math.floor(out.length / Math.max(1, extra.length)));
	extra.forEach((id, n) => out.splice(Math.min(out.length, n * (step + 1) + 5), 0, id));
	return out;
}

/** The bulk node's parameters for a search (Records: Matching a Search), update unless said. */
export function searchParameters(
	resource: 'ticket' | 'customer' | 'article',
	filters: Record<string, unknown>,
	more: Record<string, unknown> = {},
): Record<string, unknown> {
	return { resource, operation: 'update', source: 'search', filters, options: {}, ...more };
}

/** The emulator's list calls (GET …/{resource}), oldest first. */
export function listCalls(emu: Emulator, resource = 'tickets'): LogEntry[] {
	return emu.log.filter((entry) => entry.method === 'GET' && entry.path.endsWith(`/${resource}`));
}

/** Whether every list call came before the first bulk call (the node reads first, then acts). */
export function listedBeforeWriting(emu: Emulator): boolean {
	const firstBulk = emu.log.findIndex(
		(entry) => entry.method === 'POST' && entry.path.endsWith('/bulk'),
	);
	if (firstBulk === -1) return true;
	return emu.log.slice(firstBulk).every((entry) => entry.method !== 'GET');
}

/** The page numbers that list calls asked for, each once, ascending. */
export function pagesListed(entries: LogEntry[]): number[] {
	return [...new Set(entries.map((entry) => Number(entry.query.page ?? 1)))].sort((a, b) => a - b);
}

/** 1..count */
export function pageRange(count: number): number[] {
	return Array.from({ length: count }, (_, n) => n + 1);
}
