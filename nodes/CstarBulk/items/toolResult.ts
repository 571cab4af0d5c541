import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FatalRunError } from '../bulk/errors';
import type { BulkAction, CstarResource } from '../bulk/types';
import type { Outputs } from './toOutputItems';

/** cStar's own per-call maximum: a call of up to 100 ids comes back with every id listed. */
export const LISTED_IDS_LIMIT = 100;
/** Failed ids named in the summary sentence; the rest are in `results`. */
export const SUMMARY_IDS_LIMIT = 10;

export interface ToolRun {
	resource: CstarResource;
	action: BulkAction;
	dryRun: boolean;
	fatal?: FatalRunError;
	/** Search mode: one report per input item's search. */
	searches?: IDataObject[];
}

interface IdResult {
	id: string | null;
	status: string;
	code?: string;
	message?: string;
}

/**
 * What an AI agent gets back: n8n hands a tool's model only its first output, so Succeeded and
 * Failed become one item, a summary to read first, counts, and each id with its status.
 */
export function toToolResult(outputs: Outputs, run: ToolRun): INodeExecutionData {
	const succeeded = outputs.succeeded.map((item) => idResult(item.json, run));
	const failed = outputs.failed.map((item) => idResult(item.json, run));
	const total = succeeded.length + failed.length;
	// Failed ids first: they are what the agent has to act on.
	const listAll = total <= LISTED_IDS_LIMIT;
	const results = listAll ? [...failed, ...succeeded] : failed.slice(0, LISTED_IDS_LIMIT);

	const json: IDataObject = {
		summary: summaryOf(run, succeeded.length, total, failed),
		resource: run.resource,
		action: run.action,
		dryRun: run.dryRun,
		total,
		succeeded: succeeded.length,
		failed: failed.length,
		results: results as unknown as IDataObject[],
	};
	if (run.searches !== undefined) json.searches = run.searches;
	if (!listAll) json.listCut = listCutNote(succeeded.length, failed.length, results.length);
	if (run.fatal) {
		json.error = {
			code: run.fatal.code,
			message: run.fatal.message,
			description: run.fatal.description,
		};
	}
	return { json, pairedItem: { item: 0 } };
}

function idResult(json: IDataObject, run: ToolRun): IdResult {
	const id = typeof json.id === 'string' ? json.id : null;
	const status = typeof json.status === 'string' ? json.status : 'failed';
	const error = (json.error ?? {}) as IDataObject;
	if (status !== 'failed') return { id, status };
	// With "Continue (using error output)" shape: {error, message, details: {id, code}}.
	const details = (json.details ?? {}) as IDataObject;
	const code = String(error.code ?? details.code ?? 'failed');
	const result: IdResult = { id: id ?? stringOrNull(details.id), status: 'failed', code };
	// A fatal error's long text is said once, in `error`, not once per id.
	if (run.fatal?.code !== code) result.message = String(error.message ?? json.message ?? '');
	return result;
}

function stringOrNull(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

const DONE: Record<BulkAction, string> = { update: 'Updated', delete: 'Deleted' };
const WOULD: Record<BulkAction, string> = {
	update: 'would be updated',
	delete: 'would be deleted',
};

function summaryOf(run: ToolRun, done: number, total: number, failed: IdResult[]): string {
	const noun = nounFor(run.resource, total);
	const parts: string[] = [];
	if (run.fatal) {
		parts.push(
			`Error: ${run.fatal.message} (${run.fatal.code}). ${run.fatal.description} The call stopped here; tell the user what this says to do.`,
		);
	}
	if (run.dryRun) {
		parts.push(
			`Dry run: nothing was sent to cStar. ${done} of ${total} ${noun} ${WOULD[run.action]}; ids cStar does not know are only found by a real run.`,
		);
	} else {
		parts.push(`${DONE[run.action]} ${done} of ${total} ${noun}.`);
	}
	if (failed.length > 0)
		parts.push(`${run.dryRun ? 'Would fail' : 'Failed'}: ${failedText(failed)}.`);
	return parts.join(' ');
}

function nounFor(resource: CstarResource, count: number): string {
	return count === 1 ? resource.slice(0, -1) : resource;
}

/** "tkt_a, tkt_b (resource_missing: Ticket not found); tkt_c (invalid_id: …)", capped. */
function failedText(failed: IdResult[]): string {
	const groups = new Map<string, string[]>();
	for (const result of failed.slice(0, SUMMARY_IDS_LIMIT)) {
		const reason = result.message
			? `${result.code}: ${result.message.replace(/^cStar: /, '')}`
			: String(result.code);
		const ids = groups.get(reason) ?? [];
		ids.push(result.id ?? '(no id)');
		groups.set(reason, ids);
	}
	const text = [...groups].map(([reason, ids]) => `${ids.join(', ')} (${reason})`).join('; ');
	const more = failed.length - SUMMARY_IDS_LIMIT;
	return more > 0 ? `${text}; and ${more} more (see results)` : text;
}

function listCutNote(succeeded: number, failed: number, listed: number): string {
	const failedPart =
		failed === 0
			? 'no failed ids (none failed)'
			: listed < failed
				? `only the first ${listed} of the ${failed} failed ids`
				: `all ${failed} failed ids`;
	return `List cut: more than ${LISTED_IDS_LIMIT} ids, so results holds ${failedPart} and none of the ${succeeded} that succeeded. The counts are complete.`;
}
