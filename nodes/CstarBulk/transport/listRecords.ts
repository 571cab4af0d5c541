import type { FatalRunError } from '../bulk/errors';
import { listingFailed } from '../bulk/errors';
import {
	decideOnFirstPage,
	driftSigns,
	hasNodeFilters,
	keepOf,
	limitAfterListing,
	listQuery,
	LIST_PAGE_SIZE,
	matchesNodeFilters,
	MAX_LISTINGS,
	recordsOf,
	sameIds,
	slimmer,
	totalChangedNote,
	type DriftSign,
	type Keep,
	type ListedPage,
	type ListedRecord,
	type SearchFilters,
	type SearchLimit,
	type SearchReport,
} from '../bulk/search';
import { sendWithRetries, type SendContext } from '../bulk/sendWithRetries';
import type { CstarResource, IdFailure } from '../bulk/types';

export interface SearchTarget {
	resource: CstarResource;
	teamPath: string;
	filters: SearchFilters;
	limit: SearchLimit;
	keep: Keep;
	/** Pages after the first may be read this many at a time (Parallel Requests). */
	parallel: number;
}

export type SearchResult =
	| { kind: 'found'; records: ListedRecord[]; report: SearchReport }
	/** More match than the limit allows ("Stop if More Match"): nothing more was listed. */
	| { kind: 'overLimit'; matched: number }
	/** Every listing drifted and no two agreed: nothing can be trusted, so nothing is acted on. */
	| { kind: 'drifted'; listings: number; totalAtStart: number; totalAtEnd: number }
	| { kind: 'failed'; failure: IdFailure }
	| { kind: 'fatal'; error: FatalRunError };

export type Page = { kind: 'page'; page: ListedPage } | Exclude<SearchResult, { kind: 'found' }>;
/** Reads one list page (1-based) of the search. */
export type ReadPage = (page: number) => Promise<Page>;

type RawRecord = Record<string, unknown>;

/**
 * Lists what one search matches, through the run's one send context (the same retry policy,
 * pacer and cancel-aware waits as the bulk calls). Reads cStar's count on page 1, decides the
 * limit there, reads the other pages (in parallel), checks the listing for drift and lists again,
 * up to MAX_LISTINGS times, until a listing shows no drift or two consecutive ones agree.
 */
export async function searchRecords(ctx: SendContext, target: SearchTarget): Promise<SearchResult> {
	return await searchPages(async (page) => await readPage(ctx, target, page), target);
}

/** The listing and its checks over any page reader (the node's reads through cStar's API). */
export async function searchPages(
	read: ReadPage,
	target: Omit<SearchTarget, 'teamPath' | 'resource'>,
): Promise<SearchResult> {
	let previous: RawRecord[] | undefined;
	let totalAtStart: number | undefined;
	let totalAtEnd = 0;
	for (let listing = 1; listing <= MAX_LISTINGS; listing++) {
		const listed = await listOnce(read, target);
		if (listed.kind !== 'listing') return listed;
		totalAtStart ??= listed.totalAtStart;
		totalAtEnd = listed.totalAtEnd;
		const agrees = previous !== undefined && sameIds(previous, listed.records);
		if (listed.drift.length === 0 || agrees)
			return found(target, listed.records, { totalAtStart, totalAtEnd, listings: listing });
		previous = listed.records;
	}
	return { kind: 'drifted', listings: MAX_LISTINGS, totalAtStart: totalAtStart ?? 0, totalAtEnd };
}

function found(
	target: Omit<SearchTarget, 'teamPath' | 'resource'>,
	records: RawRecord[],
	counts: { totalAtStart: number; totalAtEnd: number; listings: number },
): SearchResult {
	const matching = records.filter((record) => matchesNodeFilters(record, target.filters.node));
	const limited = limitAfterListing(matching, target.limit);
	if ('stop' in limited) return { kind: 'overLimit', matched: limited.matched };
	// Act on the First N with only cStar's filters lists just the first N: cStar's count is what matches.
	const listedOnlyN = target.limit.mode === 'first' && !hasNodeFilters(target.filters);
	const matched = listedOnlyN ? Math.max(matching.length, counts.totalAtEnd) : matching.length;
	const report: SearchReport = { ...counts, matched, actOn: limited.act.length };
	const note = totalChangedNote(counts.totalAtStart, counts.totalAtEnd);
	if (note !== undefined) report.note = note;
	return {
		kind: 'found',
		records: limited.act.map((record) => keepOf(record, target.keep)),
		report,
	};
}

interface Listing {
	kind: 'listing';
	records: RawRecord[];
	drift: DriftSign[];
	totalAtStart: number;
	totalAtEnd: number;
}

async function listOnce(
	read: ReadPage,
	target: Omit<SearchTarget, 'teamPath' | 'resource'>,
): Promise<Listing | Exclude<SearchResult, { kind: 'found' }>> {
	const page1 = await read(1);
	if (page1.kind !== 'page') return page1;
	const decision = decideOnFirstPage(
		page1.page.total,
		target.limit,
		hasNodeFilters(target.filters),
	);
	if ('stop' in decision) return { kind: 'overLimit', matched: decision.matched };
	const wanted = decision.read;
	const pageCount = Math.ceil(wanted / LIST_PAGE_SIZE);
	const rest = await readPages(read, target.parallel, pageCount);
	if (!Array.isArray(rest)) return rest;
	const pages = [page1.page, ...rest];
	const drift: DriftSign[] = driftSigns(pages, wanted);
	let totalAtEnd = pages[pages.length - 1].total;
	if (pageCount > 1) {
		// Records that appear or leave at the front shift every later page without changing the count.
		const again = await read(1);
		if (again.kind !== 'page') return again;
		if (!sameIds(page1.page.records, again.page.records)) drift.push('front_changed');
		if (again.page.total !== page1.page.total) drift.push('total_changed');
		totalAtEnd = again.page.total;
	}
	return {
		kind: 'listing',
		records: recordsOf(pages, wanted),
		drift,
		totalAtStart: page1.page.total,
		totalAtEnd,
	};
}

/** Pages 2..count, `parallel` at a time; the first failure stops the rest. */
async function readPages(
	read: ReadPage,
	parallel: number,
	count: number,
): Promise<ListedPage[] | Exclude<Page, { kind: 'page' }>> {
	const pages: ListedPage[] = [];
	let stop: Exclude<Page, { kind: 'page' }> | undefined;
	let next = 2;
	const worker = async () => {
		while (stop === undefined && next <= count) {
			const answer = await read(next++);
			if (answer.kind === 'page') pages.push(answer.page);
			else stop ??= answer;
		}
	};
	const workers = Math.max(1, Math.min(parallel, count - 1));
	await Promise.all(Array.from({ length: workers }, worker));
	return stop ?? pages.sort((a, b) => a.page - b.page);
}

async function readPage(ctx: SendContext, target: SearchTarget, page: number): Promise<Page> {
	const slim = slimmer(target.filters, target.keep);
	ctx.progress?.callsPlanned(1);
	const sent = await sendWithRetries<ListedPage>(
		ctx,
		{
			method: 'GET',
			path: `${target.teamPath}/${target.resource}?${listQuery(target.filters, page)}`,
		},
		(response) => readListAnswer(response.body, page, slim),
	);
	ctx.progress?.callDone();
	if (sent.kind === 'done') return { kind: 'page', page: sent.value };
	if (sent.kind === 'fatal') return { kind: 'fatal', error: sent.error };
	const failure: IdFailure =
		sent.kind === 'failed'
			? sent.failure
			: { code: 'request_too_large', message: 'cStar answered HTTP 413', httpStatus: 413 };
	return { kind: 'failed', failure: listingFailed(target.resource, failure) };
}

/**
 * A list answer: `data` is the page's records; cStar documents its count both at the top
 * (`pagination.total`) and in `meta.pagination.total`.
 */
export function readListAnswer(
	body: unknown,
	page: number,
	slim: (record: RawRecord) => RawRecord = (record) => record,
): { value: ListedPage } | { unreadable: string } {
	if (body === null || typeof body !== 'object') return { unreadable: 'not a JSON object' };
	const record = body as Record<string, unknown>;
	if (!Array.isArray(record.data)) return { unreadable: 'no "data" list' };
	const meta = record.meta as Record<string, unknown> | undefined;
	const pagination = (record.pagination ?? meta?.pagination) as Record<string, unknown> | undefined;
	const total = pagination?.total;
	if (typeof total !== 'number' || !Number.isInteger(total) || total < 0)
		return { unreadable: 'no pagination total' };
	const records = record.data.filter(
		(entry): entry is RawRecord =>
			entry !== null && typeof entry === 'object' && typeof (entry as RawRecord).id === 'string',
	);
	if (records.length !== record.data.length) return { unreadable: 'a listed record has no id' };
	return { value: { page, total, records: records.map(slim) } };
}
