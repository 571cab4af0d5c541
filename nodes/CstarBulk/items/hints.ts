import type { IDataObject, IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import type { BulkPlan } from '../bulk/plan';
import { formatDuration } from '../bulk/progress';
import type { RunResult } from '../bulk/runBatches';
import type { BulkAction, CstarResource } from '../bulk/types';
import type { Outputs } from './toOutputItems';

/** What the search stage adds: its listing's matches against the ids acted on, over every search. */
export interface SearchSummary {
	/** Records that matched every filter in the listing used. */
	matched: number;
	/** Records acted on (or, in a dry run, planned) from those matches. */
	actedOn: number;
	/** cStar's count at the first page, and at the last page read. */
	totalAtStart: number;
	totalAtEnd: number;
	/** The most listings one search needed (more than one when records moved while listing). */
	listings: number;
}

/** One run, as the editor's hints describe it; built after the outputs, so counts match them. */
export interface RunSummary {
	resource: CstarResource;
	action: BulkAction;
	dryRun: boolean;
	/** Changes planned (one per id and its data): what a dry run would send. */
	planned: number;
	calls: number;
	/** Codes of the items on the Failed output, one per item. */
	failedCodes: string[];
	/** Whether any node is connected to the Failed output; undefined when n8n can't tell. */
	failedOutputConnected?: boolean;
	rateLimitWaitMs: number;
	batchSize: number;
	/** Set in search mode. */
	search?: SearchSummary;
}

const OUTPUT_PANE = 'outputPane' as const;

/** One sentence per hint, each saying what to do; none when the run needs nothing. */
export function runHints(run: RunSummary): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	if (run.failedCodes.length > 0) {
		hints.push({ message: failedHint(run), type: 'warning', location: OUTPUT_PANE });
	}
	if (run.search !== undefined) {
		hints.push({ message: searchHint(run, run.search), type: 'info', location: OUTPUT_PANE });
		const drift = driftHint(run.search);
		if (drift !== undefined) hints.push({ message: drift, type: 'warning', location: OUTPUT_PANE });
	}
	if (run.dryRun) hints.push({ message: dryRunHint(run), type: 'info', location: OUTPUT_PANE });
	if (run.rateLimitWaitMs > 0) {
		hints.push({ message: rateLimitHint(run), type: 'info', location: OUTPUT_PANE });
	}
	return hints;
}

function failedHint(run: RunSummary): string {
	const count = run.failedCodes.length;
	const verb = run.dryRun ? 'would fail' : 'failed';
	const { code, times } = commonest(run.failedCodes);
	const why =
		times === count ? ` with ${code}` : `, most often with ${code} (${times} of ${count})`;
	const next =
		run.failedOutputConnected === false
			? 'nothing is connected to the Failed output, so connect the Failed output to handle them'
			: 'the Failed output lists each id with its error';
	return `${count} ${count === 1 ? 'id' : 'ids'} ${verb}${why}; ${next}.`;
}

function searchHint(run: RunSummary, search: SearchSummary): string {
	const noun = search.matched === 1 ? run.resource.slice(0, -1) : run.resource;
	const acted = run.dryRun ? 'would be acted on' : 'were acted on';
	if (search.matched === 0)
		return `The search matched no ${run.resource}, so nothing was ${run.dryRun ? 'planned' : 'changed'}; check the filters if you expected matches.`;
	if (search.actedOn === search.matched)
		return `The search matched ${search.matched} ${noun}, and all of them ${acted}.`;
	return `The search matched ${search.matched} ${noun} and ${search.actedOn} ${acted}, as Limit chose; set Limit to "No Limit" or raise Max Records to act on all of them.`;
}

function driftHint(search: SearchSummary): string | undefined {
	if (search.totalAtStart === search.totalAtEnd && search.listings <= 1) return undefined;
	return `Records changed in cStar while the node listed them (${search.totalAtStart} matched cStar's filters at the first page, ${search.totalAtEnd} at the last), so it listed ${search.listings === 1 ? 'once' : `${search.listings} times`} and acted only on records that still matched; run it again to catch records that changed later.`;
}

const WOULD: Record<BulkAction, string> = { update: 'updated', delete: 'deleted' };

function dryRunHint(run: RunSummary): string {
	const noun = run.planned === 1 ? run.resource.slice(0, -1) : run.resource;
	const calls = run.calls === 1 ? '1 call' : `${run.calls} calls`;
	return `Dry run: nothing was sent to cStar, and ${run.planned} ${noun} would be ${WOULD[run.action]} in ${calls}; turn off Dry Run under Options to apply it.`;
}

function rateLimitHint(run: RunSummary): string {
	const waited = `cStar's rate limit made this run wait ${formatDuration(run.rateLimitWaitMs)} in total`;
	if (run.batchSize < 100)
		return `${waited}; raise Batch Size to 100 under Options so each call carries more ids and fewer calls are needed.`;
	return `${waited} (cStar allows 1,000 calls an hour per key), and the run resumed by itself; nothing needs fixing, but a run this size takes at least as long again.`;
}

function commonest(codes: string[]): { code: string; times: number } {
	const counts = new Map<string, number>();
	for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
	let best = { code: codes[0], times: 0 };
	for (const [code, times] of counts) if (times > best.times) best = { code, times };
	return best;
}

export interface SummaryInput {
	resource: CstarResource;
	action: BulkAction;
	dryRun: boolean;
	batchSize: number;
	plan: BulkPlan;
	run: RunResult;
	outputs: Outputs;
	failedOutputConnected?: boolean;
	search?: SearchSummary;
}

/** The run as the hints see it: Failed counts what that output holds, `planned` what was planned. */
export function summarizeRun(input: SummaryInput): RunSummary {
	const onFailedOutput = input.outputs.failed.filter((item) => item.json.status === 'failed');
	return {
		resource: input.resource,
		action: input.action,
		dryRun: input.dryRun,
		planned: input.run.outcomes.filter((outcome) => outcome?.status === 'planned').length,
		calls: input.plan.batches.length,
		failedCodes: onFailedOutput.map((item) => codeOf(item.json)),
		failedOutputConnected: input.failedOutputConnected,
		rateLimitWaitMs: input.run.rateLimitWaitMs ?? 0,
		batchSize: input.batchSize,
		search: input.search,
	};
}

function codeOf(json: IDataObject): string {
	const error = json.error as IDataObject | undefined;
	return typeof error?.code === 'string' ? error.code : 'failed';
}

/** The methods n8n-core has had on its execute context for a long time, but n8n 1.x's may lack. */
interface OptionalContext {
	addExecutionHints?: (...hints: NodeExecutionHint[]) => void;
	getConnections?: (
		destination: { name: string },
		type: 'main',
	) => Array<Array<{ node: string; index: number }> | null> | undefined;
	getChildNodes?: (name: string) => Array<{ name: string }>;
}

/** Shows the hints on the node's output panel, where this n8n can (a no-op where it can't). */
export function showHints(context: IExecuteFunctions, hints: NodeExecutionHint[]): void {
	const optional = context as unknown as OptionalContext;
	if (hints.length > 0 && typeof optional.addExecutionHints === 'function')
		optional.addExecutionHints.call(context, ...hints);
}

/**
 * Whether a node takes this node's output `index`: n8n gives a node its descendants and, per
 * destination, its incoming connections with their source output. Undefined when it can't tell.
 */
export function isOutputConnected(context: IExecuteFunctions, index: number): boolean | undefined {
	const optional = context as unknown as OptionalContext;
	if (typeof optional.getConnections !== 'function' || typeof optional.getChildNodes !== 'function')
		return undefined;
	const self = context.getNode().name;
	try {
		return optional.getChildNodes
			.call(context, self)
			.some((child) =>
				(optional.getConnections?.call(context, child, 'main') ?? []).some((input) =>
					(input ?? []).some((from) => from.node === self && from.index === index),
				),
			);
	} catch {
		return undefined;
	}
}
