import type { FatalRunError } from '../bulk/errors';
import { limitExceededError, type ListedRecord, type SearchReport } from '../bulk/search';
import type { SendContext } from '../bulk/sendWithRetries';
import type { AcceptedItem, CstarResource, ItemInput, RejectedPair } from '../bulk/types';
import { isSearchItem, type SearchInput } from '../items/readSearches';
import { searchRecords, type SearchResult } from './listRecords';

/** What the searches of a run found: input items for the planner, and what each id's item shows. */
export interface Found {
	inputs: ItemInput[];
	/** Per input item: what was listed of each record it found (before values, or the record). */
	listed: Map<number, Map<string, ListedRecord>>;
	reports: Map<number, SearchReport>;
	/** A search stopped by a failure no later call can get past (key, team): nothing was written. */
	fatal?: FatalRunError;
}

/**
 * Runs every search before anything is written (read first, then act), one after the other, each
 * reading its pages in parallel. A search that can't be trusted or is over its limit becomes a
 * rejected item: it acts on nothing.
 */
export async function runSearches(
	send: SendContext,
	target: { resource: CstarResource; teamPath: string; parallel: number },
	searches: SearchInput[],
): Promise<Found> {
	const found: Found = { inputs: [], listed: new Map(), reports: new Map() };
	for (const search of searches) {
		if (!isSearchItem(search)) {
			found.inputs.push(search);
			continue;
		}
		if (found.fatal !== undefined) {
			found.inputs.push(rejected(search.itemIndex, fatalPair(found.fatal)));
			continue;
		}
		const result = await searchRecords(send, { ...target, ...search });
		if (result.kind === 'fatal') found.fatal = result.error;
		if (result.kind !== 'found') {
			found.inputs.push(
				rejected(search.itemIndex, refusal(target.resource, search.limit.max, result)),
			);
			continue;
		}
		const accepted: AcceptedItem = {
			itemIndex: search.itemIndex,
			ids: result.records.map((record) => record.id),
		};
		if (search.data !== undefined) accepted.data = search.data;
		found.inputs.push(accepted);
		found.listed.set(
			search.itemIndex,
			new Map(result.records.map((record) => [record.id, record])),
		);
		found.reports.set(search.itemIndex, result.report);
	}
	return found;
}

function rejected(itemIndex: number, pair: RejectedPair): ItemInput {
	return { itemIndex, rejected: [pair] };
}

function fatalPair(fatal: FatalRunError): RejectedPair {
	return { id: null, code: fatal.code, message: `${fatal.message}. ${fatal.description}` };
}

/** Why a search acts on nothing; the first line of each is what the Stop error shows. */
export function refusal(
	resource: CstarResource,
	limit: number,
	result: Exclude<SearchResult, { kind: 'found' }>,
): RejectedPair {
	switch (result.kind) {
		case 'overLimit': {
			const { message, description } = limitExceededError(resource, result.matched, limit);
			return { id: null, code: 'search_limit_exceeded', message: `${message}. ${description}` };
		}
		case 'drifted':
			return {
				id: null,
				code: 'search_unstable',
				message: `Nothing written: the ${resource} kept changing while the node listed them (${result.listings} listings, ${result.totalAtStart} matched at the first page, ${result.totalAtEnd} at the last), so it could not tell which ones match. Run the workflow again when cStar is quieter.`,
			};
		case 'failed':
			return { id: null, ...result.failure };
		default:
			return fatalPair(result.error);
	}
}
