import type { CstarResource } from './types';
import { readTypedValue } from './typedValues';

/**
 * Search mode, pure: which filters cStar applies (sent as list query parameters) and which the
 * node applies to the listed records, the safety limit, drift between list pages, and what the
 * node keeps of each listed record. The listing itself is transport/listRecords.ts.
 */

export const LIST_PAGE_SIZE = 100;
export const DEFAULT_SEARCH_LIMIT = 1000;
export const AGENT_SEARCH_LIMIT = 100;
/** Listings of one search at most: the first, and two more to recover from drift. */
export const MAX_LISTINGS = 3;

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CUSTOMER_STATUSES = ['active', 'inactive'] as const;
// The cStar docs list both sets (positive/neutral/negative and happy/neutral/frustrated/angry).
export const CUSTOMER_SENTIMENTS = [
	'positive',
	'neutral',
	'negative',
	'happy',
	'frustrated',
	'angry',
] as const;
export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;

export type LimitMode = 'stop' | 'first' | 'none';

type CstarFilterKind = 'choice' | 'text' | 'boolean' | 'uuid';
interface CstarFilter {
	kind: CstarFilterKind;
	label: string;
	values?: readonly string[];
}

/** The list filters cStar documents for each resource (https://www.cstar.help/developers/api-reference). */
export const CSTAR_FILTERS: Record<CstarResource, Record<string, CstarFilter>> = {
	tickets: {
		status: { kind: 'choice', label: 'Status', values: TICKET_STATUSES },
		priority: { kind: 'choice', label: 'Priority', values: TICKET_PRIORITIES },
		assignedTo: { kind: 'text', label: 'Assigned To' },
		customerId: { kind: 'text', label: 'Customer ID' },
		search: { kind: 'text', label: 'Search Text' },
	},
	customers: {
		status: { kind: 'choice', label: 'Status', values: CUSTOMER_STATUSES },
		sentiment: { kind: 'choice', label: 'Sentiment', values: CUSTOMER_SENTIMENTS },
		search: { kind: 'text', label: 'Search Text' },
		tag: { kind: 'text', label: 'Tag' },
	},
	articles: {
		status: { kind: 'choice', label: 'Status', values: ARTICLE_STATUSES },
		category: { kind: 'uuid', label: 'Category ID' },
		isPublic: { kind: 'boolean', label: 'Is Public' },
		search: { kind: 'text', label: 'Search Text' },
		tag: { kind: 'text', label: 'Tag' },
	},
};

/** Node-applied date filters: the record field each reads, and which side of the moment it keeps. */
const DATE_FILTERS = {
	createdAfter: { field: 'createdAt', after: true, label: 'Created After' },
	createdBefore: { field: 'createdAt', after: false, label: 'Created Before' },
	updatedAfter: { field: 'updatedAt', after: true, label: 'Updated After' },
	updatedBefore: { field: 'updatedAt', after: false, label: 'Updated Before' },
	closedAfter: { field: 'closedAt', after: true, label: 'Closed After' },
	closedBefore: { field: 'closedAt', after: false, label: 'Closed Before' },
} as const;
type DateFilterName = keyof typeof DATE_FILTERS;
const TICKET_ONLY = new Set(['closedAfter', 'closedBefore', 'hasTag']);

export interface NodeFilters {
	dates: Array<{ name: DateFilterName; atMs: number }>;
	hasTag?: string;
}

export interface SearchFilters {
	/** Sent to cStar as list query parameters. */
	cstar: Record<string, string>;
	node: NodeFilters;
}

export type Checked<T> =
	| { ok: true; value: T }
	| { ok: false; message: string; description: string };

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The Filters collection as n8n hands it over → what cStar and the node apply, or why not. */
export function readFilters(
	resource: CstarResource,
	raw: Record<string, unknown>,
): Checked<SearchFilters> {
	const filters: SearchFilters = { cstar: {}, node: { dates: [] } };
	for (const [name, value] of Object.entries(raw)) {
		if (isBlank(value)) continue;
		const problem = readOneFilter(resource, name, value, filters);
		if (problem !== undefined) return problem;
	}
	return { ok: true, value: filters };
}

function readOneFilter(
	resource: CstarResource,
	name: string,
	value: unknown,
	filters: SearchFilters,
): Checked<never> | undefined {
	const cstar = CSTAR_FILTERS[resource][name];
	if (cstar !== undefined) {
		const read = readCstarFilter(cstar, value);
		if (!read.ok) return read;
		filters.cstar[name] = read.value;
		return undefined;
	}
	if (TICKET_ONLY.has(name) && resource !== 'tickets') return unknownFilter(resource, name);
	if (name === 'hasTag') {
		if (typeof value !== 'string') return refuse('Has Tag', value, 'a tag, as text');
		filters.node.hasTag = value.trim();
		return undefined;
	}
	if (name in DATE_FILTERS) {
		const spec = DATE_FILTERS[name as DateFilterName];
		const atMs = momentOf(value);
		if (atMs === undefined)
			return refuse(
				spec.label,
				value,
				'a date: an ISO date like 2026-01-31T00:00:00Z, a Luxon DateTime such as {{ $now.minus(7, "days") }}, or epoch seconds or milliseconds',
			);
		filters.node.dates.push({ name: name as DateFilterName, atMs });
		return undefined;
	}
	return unknownFilter(resource, name);
}

function readCstarFilter(filter: CstarFilter, value: unknown): Checked<string> {
	if (filter.kind === 'boolean') {
		const read = readTypedValue({ kind: 'boolean', label: filter.label, default: true }, value);
		return read.ok ? { ok: true, value: String(read.value) } : read;
	}
	if (filter.kind === 'choice') {
		const choices = (filter.values ?? []).map((value) => ({ name: value, value }));
		const read = readTypedValue(
			{ kind: 'choice', label: filter.label, default: '', choices },
			typeof value === 'string' ? value.toLowerCase() : value,
		);
		return read;
	}
	if (typeof value !== 'string' && typeof value !== 'number')
		return refuse(filter.label, value, 'text');
	const text = String(value).trim();
	if (filter.kind === 'uuid' && !UUID.test(text))
		return refuse(
			filter.label,
			value,
			'the category’s UUID, like 550e8400-e29b-41d4-a716-446655440000 (cStar silently matches nothing for a name or slug)',
		);
	return { ok: true, value: text };
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

function refuse(label: string, value: unknown, accepts: string): Checked<never> {
	const shown =
		typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
			? JSON.stringify(String(value).slice(0, 80))
			: `a value of type ${Array.isArray(value) ? 'list' : typeof value}`;
	return {
		ok: false,
		message: `The filter "${label}" cannot be ${shown}`,
		description: `"${label}" takes ${accepts}. Fix the filter (or its expression) and run again; nothing was listed or changed.`,
	};
}

function unknownFilter(resource: CstarResource, name: string): Checked<never> {
	const known = [...Object.keys(CSTAR_FILTERS[resource]), ...nodeFilterNames(resource)];
	return {
		ok: false,
		message: `"${name.slice(0, 40)}" is not a filter for ${resource}`,
		description: `The ${resource} filters are: ${known.join(', ')}. Remove it and run again; nothing was listed or changed.`,
	};
}

export function nodeFilterNames(resource: CstarResource): string[] {
	return [...Object.keys(DATE_FILTERS), 'hasTag'].filter(
		(name) => resource === 'tickets' || !TICKET_ONLY.has(name),
	);
}

/** Epoch below this is seconds, above it milliseconds (as the rate-limit reset is read). */
const EPOCH_MS_FROM = 1e11;

/**
 * A moment as n8n may hand it over: a Luxon DateTime (an expression such as $now.minus(…)), a JS
 * Date, ISO text, or epoch seconds/milliseconds (as a number or numeric text).
 */
export function momentOf(value: unknown): number | undefined {
	if (value instanceof Date) return finite(value.getTime());
	if (typeof value === 'number') return finite(value < EPOCH_MS_FROM ? value * 1000 : value);
	if (typeof value === 'string') {
		const text = value.trim();
		if (/^\d+(\.\d+)?$/.test(text)) return momentOf(Number(text));
		if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
		return finite(Date.parse(text));
	}
	if (value !== null && typeof value === 'object') {
		const luxon = value as { toMillis?: unknown; isValid?: unknown };
		if (typeof luxon.toMillis === 'function' && luxon.isValid !== false)
			return finite(Number((luxon.toMillis as () => number).call(value)));
	}
	return undefined;
}

function finite(ms: number): number | undefined {
	return Number.isFinite(ms) ? ms : undefined;
}

export function hasAnyFilter(filters: SearchFilters): boolean {
	return (
		Object.keys(filters.cstar).length > 0 ||
		filters.node.dates.length > 0 ||
		filters.node.hasTag !== undefined
	);
}

export function hasNodeFilters(filters: SearchFilters): boolean {
	return filters.node.dates.length > 0 || filters.node.hasTag !== undefined;
}

/** The query of one list page: cStar's filters, then page and pageSize. */
export function listQuery(filters: SearchFilters, page: number): string {
	const params = new URLSearchParams(filters.cstar);
	params.set('page', String(page));
	params.set('pageSize', String(LIST_PAGE_SIZE));
	return params.toString();
}

type RawRecord = Record<string, unknown>;

/** Whether a listed record passes the node-applied filters; a record without the date fails it. */
export function matchesNodeFilters(record: RawRecord, filters: NodeFilters): boolean {
	for (const { name, atMs } of filters.dates) {
		const { field, after } = DATE_FILTERS[name];
		const ms = momentOf(dateField(record, field));
		if (ms === undefined || (after ? ms <= atMs : ms >= atMs)) return false;
	}
	if (filters.hasTag !== undefined) {
		const tags = record.tags;
		if (!Array.isArray(tags) || !tags.includes(filters.hasTag)) return false;
	}
	return true;
}

/**
 * The docs name a ticket's close time closedAt (one page) and resolvedAt (another); a resolved
 * ticket may carry closedAt: null next to its resolvedAt, so null falls back too.
 */
function dateField(record: RawRecord, field: string): unknown {
	const value = record[field];
	if (field === 'closedAt' && (value === undefined || value === null)) return record.resolvedAt;
	return typeof value === 'string' ? value : undefined;
}

/** What the node keeps of a listed record: the fields an update sets, or the whole record to delete. */
export type Keep = { kind: 'fields'; fields: string[] } | { kind: 'record' };

export interface ListedRecord {
	id: string;
	/** The values the record had for the fields the update sets (null where it had none). */
	before?: Record<string, unknown>;
	/** The whole listed record, for a delete. */
	record?: RawRecord;
}

/**
 * The fields of a listed record that the node needs while listing (its id, what the node-applied
 * filters read, and what it keeps), so 100,000 listed records do not stay whole in memory.
 */
export function slimmer(filters: SearchFilters, keep: Keep): (record: RawRecord) => RawRecord {
	if (keep.kind === 'record') return (record) => record;
	const fields = new Set(['id', ...keep.fields]);
	for (const { name } of filters.node.dates) {
		fields.add(DATE_FILTERS[name].field);
		if (name.startsWith('closed')) fields.add('resolvedAt');
	}
	if (filters.node.hasTag !== undefined) fields.add('tags');
	const names = [...fields];
	return (record) => {
		const slim: RawRecord = {};
		for (const name of names) if (name in record) slim[name] = record[name];
		return slim;
	};
}

export function keepOf(record: RawRecord, keep: Keep): ListedRecord {
	const id = String(record.id);
	if (keep.kind === 'record') return { id, record };
	const before: Record<string, unknown> = {};
	for (const field of keep.fields) before[field] = record[field] ?? null;
	return { id, before };
}

/** The limit of one search, as read from the node. */
export interface SearchLimit {
	mode: LimitMode;
	max: number;
}

/**
 * How many records a listing must read, decided on cStar's count at the first page: all of them,
 * the first N, or none because more match than the limit allows (`stop`). With node-applied
 * filters cStar's count is not the number that matches, so everything is listed and the limit is
 * applied to what matches (limitAfterListing).
 */
export type FirstPageDecision = { read: number } | { stop: true; matched: number };

export function decideOnFirstPage(
	total: number,
	limit: SearchLimit,
	nodeFiltered: boolean,
): FirstPageDecision {
	if (nodeFiltered || limit.mode === 'none') return { read: total };
	if (limit.mode === 'first') return { read: Math.min(total, limit.max) };
	return total > limit.max ? { stop: true, matched: total } : { read: total };
}

/** After node-side filtering: the records to act on, or a stop when more match than allowed. */
export function limitAfterListing<T>(
	matched: T[],
	limit: SearchLimit,
): { act: T[] } | { stop: true; matched: number } {
	if (limit.mode === 'none' || matched.length <= limit.max) return { act: matched };
	if (limit.mode === 'first') return { act: matched.slice(0, limit.max) };
	return { stop: true, matched: matched.length };
}

export function limitExceededError(
	resource: CstarResource,
	matched: number,
	limit: number,
): { message: string; description: string } {
	return {
		message: `${matched} ${resource} match this search, more than the limit of ${limit}`,
		description: `Nothing was changed. To act on all of them, raise "Max Records" to at least ${matched} or set "Limit" to "No Limit"; to work through them in bounded runs, set "Limit" to "Act on the First N".`,
	};
}

export function noFilterError(resource: CstarResource): { message: string; description: string } {
	return {
		message: `This search has no filter, so it would act on every one of your ${resource}`,
		description: `Nothing was listed or changed. Add at least one filter under "Filters", or, if you really mean every ${resource.replace(/s$/, '')}, turn on "Act on Every Record".`,
	};
}

/** One list page as read from cStar. */
export interface ListedPage {
	page: number;
	total: number;
	records: RawRecord[];
}

export type DriftSign = 'total_changed' | 'duplicate_ids' | 'page_size' | 'front_changed';

/**
 * Signs that records moved while the pages were read, which offset paging turns into skipped or
 * repeated records: cStar's count changed between pages, an id came twice, or a page held
 * fewer or more records than the count at the first page implies.
 */
export function driftSigns(pages: ListedPage[], wanted: number): DriftSign[] {
	const signs = new Set<DriftSign>();
	const first = pages[0];
	const seen = new Set<string>();
	for (const page of pages) {
		if (page.total !== first.total) signs.add('total_changed');
		const expected = Math.max(
			0,
			Math.min(LIST_PAGE_SIZE, wanted - (page.page - 1) * LIST_PAGE_SIZE),
		);
		// The first page was read alone, so it holds the window by definition.
		if (page.page > 1 && page.records.length < expected) signs.add('page_size');
		for (const record of page.records) {
			const id = String(record.id);
			if (seen.has(id)) signs.add('duplicate_ids');
			seen.add(id);
		}
	}
	return [...signs];
}

/** The records of one listing in cStar's order, the first `wanted` of them. */
export function recordsOf(pages: ListedPage[], wanted: number): RawRecord[] {
	const sorted = [...pages].sort((a, b) => a.page - b.page);
	return sorted.flatMap((page) => page.records).slice(0, wanted);
}

/** Whether two listings hold the same ids, each once (a listing with a repeat agrees with none). */
export function sameIds(a: RawRecord[], b: RawRecord[]): boolean {
	const ids = new Set(a.map((record) => String(record.id)));
	const others = new Set(b.map((record) => String(record.id)));
	if (ids.size !== a.length || others.size !== b.length || ids.size !== others.size) return false;
	return [...others].every((id) => ids.has(id));
}

/** What a search reports on each of its output items. */
export interface SearchReport {
	/** cStar's count at the first page of the first listing, when the search began. */
	totalAtStart: number;
	/** cStar's count at the last page read. */
	totalAtEnd: number;
	/** Records that match every filter (cStar's and the node's) in the listing used. */
	matched: number;
	/** Records the node acts on (after "Act on the First N"). */
	actOn: number;
	/** Full listings made (more than one when records moved during listing). */
	listings: number;
	/** Said when cStar's count changed while listing. */
	note?: string;
}

export function totalChangedNote(start: number, end: number): string | undefined {
	if (start === end) return undefined;
	return `Records changed in cStar while the node listed them: ${start} matched cStar's filters at the first page, ${end} at the last.`;
}
