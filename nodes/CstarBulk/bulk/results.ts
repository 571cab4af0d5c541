import { countsDoNotReconcile, failedWithoutReason, rejectedRequest } from './errors';
import { requestIdOf } from './responseReaders';
import type { IdFailure, IdOutcome } from './types';

export type BulkAnswer =
	| { kind: 'outcomes'; outcomes: IdOutcome[] }
	/** success:false: cStar refused the whole call. */
	| { kind: 'refused'; failure: IdFailure }
	| { kind: 'unreadable'; detail: string };

/**
 * Turns cStar's 200 answer for one call into one outcome per id sent (same order).
 * An id is succeeded only when the counts reconcile and no error entry names it; an id named in
 * `errors` fails with cStar's code; anything else that cannot be attributed is "outcome_unknown".
 * The shape of `errors` entries is undocumented, so entries by id, by index, and bare strings
 * are all read.
 */
export function interpretBulkAnswer(ids: string[], body: unknown): BulkAnswer {
	if (body === undefined || body === null || body === '')
		return { kind: 'unreadable', detail: 'empty body' };
	if (typeof body !== 'object') return { kind: 'unreadable', detail: 'not JSON' };
	const record = body as Record<string, unknown>;
	const requestId = requestIdOf(body);
	if (record.success === false) return { kind: 'refused', failure: rejectedRequest(200, body) };
	const data = record.data as Record<string, unknown> | undefined;
	if (data === null || typeof data !== 'object')
		return { kind: 'unreadable', detail: 'no "data" object' };
	const succeeded = count(data.succeeded);
	const failedCount = count(data.failed);
	const total = count(data.total);
	if (succeeded === undefined || failedCount === undefined) {
		return { kind: 'unreadable', detail: 'no "succeeded" and "failed" counts' };
	}

	const attribution = attributeErrors(ids, Array.isArray(data.errors) ? data.errors : []);
	const countsAddUp =
		succeeded + failedCount === ids.length && (total === undefined || total === ids.length);

	if (countsAddUp && attribution.unattributed === 0 && attribution.failures.size === failedCount) {
		return {
			kind: 'outcomes',
			outcomes: ids.map((_, position) => {
				const failure = attribution.failures.get(position);
				return failure ? failed({ ...failure, requestId }) : { status: 'succeeded', requestId };
			}),
		};
	}
	const everyIdFailed = countsAddUp && failedCount === ids.length;
	const fallback: IdFailure = everyIdFailed
		? failedWithoutReason(requestId)
		: countsDoNotReconcile(
				`sent ${ids.length}, cStar counted ${succeeded} succeeded and ${failedCount} failed` +
					`${total !== undefined ? ` of ${total}` : ''}, and named ${attribution.failures.size} of them`,
				requestId,
			);
	return {
		kind: 'outcomes',
		outcomes: ids.map((_, position) =>
			failed({ ...(attribution.failures.get(position) ?? fallback), requestId }),
		),
	};
}

interface Attribution {
	failures: Map<number, IdFailure>;
	unattributed: number;
}

function attributeErrors(ids: string[], entries: unknown[]): Attribution {
	const positionById = new Map<string, number>();
	ids.forEach((id, position) => positionById.set(id, position));
	// An entry whose index names another id than its own shows the indexes are not 0-based.
	const indexesTrusted = !entries.some((entry) => indexContradictsId(entry, ids));
	const failures = new Map<number, IdFailure>();
	let unattributed = 0;
	for (const entry of entries) {
		const position = positionOf(entry, ids, positionById, indexesTrusted);
		if (position === undefined || failures.has(position)) unattributed++;
		else failures.set(position, failureOf(entry));
	}
	return { failures, unattributed };
}

const ID_KEYS = ['id', 'resourceId', 'resource_id', 'itemId', 'item_id'];
const INDEX_KEYS = ['index', 'idx', 'position'];

function firstValue(entry: unknown, keys: string[]): unknown {
	if (entry === null || typeof entry !== 'object') return undefined;
	const record = entry as Record<string, unknown>;
	const key = keys.find((name) => record[name] !== undefined);
	return key === undefined ? undefined : record[key];
}

function idOf(entry: unknown): string | undefined {
	if (entry === null || typeof entry !== 'object') return undefined;
	const record = entry as Record<string, unknown>;
	for (const key of ID_KEYS) {
		const value = record[key];
		if (typeof value === 'string' || typeof value === 'number') return String(value);
	}
	return undefined;
}

/** An entry naming an id and an index where the call's id at that 0-based index is another. */
function indexContradictsId(entry: unknown, ids: string[]): boolean {
	const id = idOf(entry);
	const index = firstValue(entry, INDEX_KEYS);
	if (id === undefined || index === undefined) return false;
	const position = typeof index === 'string' && /^\d+$/.test(index.trim()) ? Number(index) : index;
	return !(typeof position === 'number' && Number.isInteger(position) && ids[position] === id);
}

function positionOf(
	entry: unknown,
	ids: string[],
	positionById: Map<string, number>,
	indexesTrusted: boolean,
): number | undefined {
	if (typeof entry === 'string') return positionInText(entry, positionById);
	if (entry === null || typeof entry !== 'object') return undefined;
	const id = idOf(entry);
	if (id !== undefined) return positionById.get(id);
	const value = firstValue(entry, INDEX_KEYS);
	// Indexes are read as 0-based; one outside the call makes the whole entry unattributable.
	if (
		indexesTrusted &&
		typeof value === 'number' &&
		Number.isInteger(value) &&
		value >= 0 &&
		value < ids.length
	)
		return value;
	return undefined;
}

const WORD_BOUNDARY = /[\s:;,()[\]"'=]/;

/**
 * A bare string names the id it is about only when that is unambiguous: it names exactly one id
 * of the call, or it starts with one ("tkt_1: Ticket not found"). Ids may themselves contain ":"
 * and the like, so two can start at the same place ("a" and "a:b" in "a:b: not found"): then only
 * the one followed by ": " is read. Anything else is not attributed to any id.
 */
function positionInText(text: string, positionById: Map<string, number>): number | undefined {
	const named: Array<{ id: string; position: number }> = [];
	for (const [id, position] of positionById) {
		if (wholeWordAt(text, id) !== undefined) named.push({ id, position });
	}
	if (named.length === 1) return named[0].position;
	const atStart = named.filter(({ id }) => startsWithWord(text, id));
	if (atStart.length === 1) return atStart[0].position;
	const formatted = atStart.filter(({ id }) => text.startsWith(': ', id.length));
	return formatted.length === 1 ? formatted[0].position : undefined;
}

function startsWithWord(text: string, word: string): boolean {
	return (
		text.startsWith(word) && (text.length === word.length || WORD_BOUNDARY.test(text[word.length]))
	);
}

function wholeWordAt(text: string, word: string): number | undefined {
	for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
		const end = at + word.length;
		if (
			(at === 0 || WORD_BOUNDARY.test(text[at - 1])) &&
			(end === text.length || WORD_BOUNDARY.test(text[end]))
		)
			return at;
	}
	return undefined;
}

function failureOf(entry: unknown): IdFailure {
	if (typeof entry === 'string') {
		return { code: 'cstar_reported_failure', message: `cStar: ${entry}` };
	}
	const record = entry as Record<string, unknown>;
	const nested =
		record.error !== null && typeof record.error === 'object'
			? (record.error as Record<string, unknown>)
			: {};
	const code =
		firstText(record.code, nested.code, record.type, nested.type) ?? 'cstar_reported_failure';
	const message = firstText(
		record.message,
		nested.message,
		record.reason,
		record.detail,
		typeof record.error === 'string' ? record.error : undefined,
	);
	return {
		code: code.toLowerCase(),
		message: message ? `cStar: ${message}` : `cStar reported this id as failed (${code}).`,
	};
}

function firstText(...values: unknown[]): string | undefined {
	for (const value of values) if (typeof value === 'string' && value !== '') return value;
	return undefined;
}

function count(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function failed(failure: IdFailure): IdOutcome {
	return { status: 'failed', ...failure };
}
