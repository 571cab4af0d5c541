import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { FatalRunError } from '../bulk/errors';
import { planItems } from '../bulk/plan';
import { maskKeys } from '../bulk/redact';
import type { RunResult } from '../bulk/runBatches';
import type { IdFailure, ItemInput, RejectedItem } from '../bulk/types';
import type { SearchSummary } from '../items/hints';
import type { OutputContext } from '../items/toOutputItems';
import { isSearchItem, readSearches, type SearchInput } from '../items/readSearches';
import {
	closeSession,
	openSession,
	plannedOutcomes,
	runBulk,
	type Session,
} from '../transport/runBulk';
import { runSearches, type Found } from '../transport/runSearches';
import { finishRun, stopError } from './finishRun';
import type { RunSettings } from './runSettings';

/**
 * Search mode: read every search, list every match (one session, shared with the bulk calls),
 * then plan and send as if the found ids had come from the input items that searched.
 */
export async function executeSearch(
	context: IExecuteFunctions,
	run: RunSettings,
): Promise<INodeExecutionData[][]> {
	const searches = readSearches(context, run);
	if (run.stopOnError) throwFirstRefusal(context, searches, run.secrets);
	const refusedAtRead = searches.filter((search): search is RejectedItem => !isSearchItem(search));
	let found: Found = { inputs: refusedAtRead, listed: new Map(), reports: new Map() };
	let session: Session | undefined;
	try {
		const refused = run.optionsRefused;
		if (refused !== undefined) {
			found.inputs = searches.map((search) => refuseSearch(search, refused));
		} else if (searches.some(isSearchItem)) {
			const opened = await openSession(context, run.options);
			if (opened.kind === 'fatal' && run.stopOnError)
				throw stopError(context, opened.error, { outcomes: [] }, run.secrets);
			if (opened.kind === 'open') {
				session = opened.session;
				found = await listEverySearch(session, run, searches);
			} else {
				const why = opened.kind === 'fatal' ? opened.error : opened.failure;
				found.inputs = searches.map((search) => refuseSearch(search, why));
			}
		}
		if (found.fatal && run.stopOnError)
			throw stopError(context, found.fatal, { outcomes: [] }, run.secrets);
		if (run.stopOnError) throwFirstRefusal(context, found.inputs, run.secrets);
		return await actOnFound(context, run, found, session);
	} finally {
		if (session !== undefined) closeSession(session);
	}
}

async function listEverySearch(
	session: Session,
	run: RunSettings,
	searches: SearchInput[],
): Promise<Found> {
	session.progress.startPhase('listing records');
	const target = { ...run, teamPath: session.teamPath, parallel: run.options.parallelRequests };
	return await runSearches(session.send, target, searches);
}

async function actOnFound(
	context: IExecuteFunctions,
	run: RunSettings,
	found: Found,
	session: Session | undefined,
): Promise<INodeExecutionData[][]> {
	const plan = planItems(found.inputs, { ...run.options, resource: run.resource });
	const result: RunResult =
		run.options.dryRun || session === undefined
			? {
					outcomes: plannedOutcomes(plan),
					rateLimitWaitMs: session?.progress.totals().rateLimitWaitMs,
				}
			: await runBulk(context, plan, run, run.options, session);
	const search = {
		extraFor: extraFor(found),
		reports: [...found.reports].map(([itemIndex, report]) => ({ itemIndex, ...report })),
		summary: searchSummary(found),
	};
	return finishRun(context, run, { inputs: found.inputs, plan, result, search });
}

/** A search that could not run: its item fails with why (one Failed item, no id). */
function refuseSearch(search: SearchInput, why: FatalRunError | IdFailure): RejectedItem {
	if (!isSearchItem(search)) return search;
	const message = 'description' in why ? `${why.message}. ${why.description}` : why.message;
	return { itemIndex: search.itemIndex, rejected: [{ id: null, code: why.code, message }] };
}

/** With On Error set to stop, a search that acts on nothing stops the run before any write. */
function throwFirstRefusal(
	context: IExecuteFunctions,
	inputs: Array<ItemInput | SearchInput>,
	secrets: string[],
): void {
	for (const input of inputs) {
		if (!('rejected' in input)) continue;
		const message = maskKeys(input.rejected[0].message, secrets);
		const cut = message.indexOf('. ');
		throw new NodeOperationError(context.getNode(), cut === -1 ? message : message.slice(0, cut), {
			itemIndex: input.itemIndex,
			description: cut === -1 ? undefined : message.slice(cut + 2),
		});
	}
}

/** Every search's counts added up, as the editor's hint tells them. */
function searchSummary(found: Found): SearchSummary {
	const summary: SearchSummary = {
		matched: 0,
		actedOn: 0,
		totalAtStart: 0,
		totalAtEnd: 0,
		listings: 0,
	};
	for (const report of found.reports.values()) {
		summary.matched += report.matched;
		summary.actedOn += report.actOn;
		summary.totalAtStart += report.totalAtStart;
		summary.totalAtEnd += report.totalAtEnd;
		summary.listings = Math.max(summary.listings, report.listings);
	}
	return summary;
}

/** A found record's item carries its before values (update) or the listed record (delete). */
function extraFor(found: Found): NonNullable<OutputContext['extraFor']> {
	return (itemIndex, id) => {
		const listed = found.listed.get(itemIndex)?.get(id);
		const report = found.reports.get(itemIndex);
		if (listed === undefined) return undefined;
		const extra: IDataObject = {};
		if (listed.before !== undefined) extra.before = listed.before as IDataObject;
		if (listed.record !== undefined) extra.record = listed.record as IDataObject;
		if (report !== undefined) extra.search = report as unknown as IDataObject;
		return extra;
	};
}
