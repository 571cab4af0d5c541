import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FatalRunError } from '../bulk/errors';
import type { BulkPlan } from '../bulk/plan';
import {
	isRejected,
	type BulkAction,
	type CstarResource,
	type IdFailure,
	type IdOutcome,
	type ItemInput,
} from '../bulk/types';

export interface OutputContext {
	resource: CstarResource;
	action: BulkAction;
	/** Data per batch seq, shown on dry-run items. */
	plan: BulkPlan;
	outcomes: Array<IdOutcome | undefined>;
	/** Set when the run stopped early; ids without an outcome are affected by it. */
	fatal?: FatalRunError;
	/** Where ids affected by a fatal failure go: our Failed output, or n8n's Error output. */
	fatalTo: 'failed' | 'errorOutput';
	/** One Succeeded item that counts the confirmed (item, id) pairs instead of one item each. */
	summary?: boolean;
	/** Search mode: what a Succeeded (or dry-run) item of this (input item, id) also carries. */
	extraFor?: (itemIndex: number, id: string) => IDataObject | undefined;
	/** Search mode: what the summary item also carries; with it, the summary item always comes out. */
	summaryExtra?: IDataObject;
}

export interface Outputs {
	succeeded: INodeExecutionData[];
	failed: INodeExecutionData[];
}

/**
 * One output item per (input item, id), in input order, each paired to the item that named it; with
 * `summary`, Succeeded gets one item counting those pairs instead (none when no id succeeded).
 */
export function toOutputItems(inputs: ItemInput[], context: OutputContext): Outputs {
	const outputs: Outputs = { succeeded: [], failed: [] };
	const summary = context.summary === true ? newSummary() : undefined;
	let accepted = 0;
	for (const input of inputs) {
		const pairedItem = { item: input.itemIndex };
		if (isRejected(input)) {
			for (const pair of input.rejected) {
				outputs.failed.push({ json: failedJson(context, pair.id, pair), pairedItem });
			}
			continue;
		}
		const slots = context.plan.itemSlots[accepted++];
		let itemSucceeded = false;
		input.ids.forEach((id, position) => {
			const outcome = context.outcomes[slots[position]];
			if (outcome === undefined) {
				outputs.failed.push(affectedByFatal(context, id, pairedItem));
			} else if (outcome.status === 'failed') {
				outputs.failed.push({ json: failedJson(context, id, outcome), pairedItem });
			} else if (summary !== undefined) {
				summary.count++;
				summary.status = outcome.status === 'planned' ? 'dryRun' : 'succeeded';
				itemSucceeded = true;
			} else {
				const json =
					outcome.status === 'succeeded'
						? succeededJson(context, id, outcome.requestId)
						: plannedJson(context, id, outcome.batch);
				const extra = context.extraFor?.(input.itemIndex, id);
				outputs.succeeded.push({ json: extra ? { ...json, ...extra } : json, pairedItem });
			}
		});
		if (itemSucceeded) summary?.pairedItems.push(pairedItem);
	}
	// A search that matched nothing still says so (its report), where ids would say nothing.
	if (summary !== undefined && (summary.count > 0 || context.summaryExtra !== undefined))
		outputs.succeeded.push(summaryItem(context, summary, outputs.failed.length));
	return outputs;
}

interface Summary {
	count: number;
	status: 'succeeded' | 'dryRun';
	pairedItems: Array<{ item: number }>;
}

function newSummary(): Summary {
	return { count: 0, status: 'succeeded', pairedItems: [] };
}

/** `succeeded` (or `planned` in a dry run) counts the same pairs the per-id output would list. */
function summaryItem(context: OutputContext, summary: Summary, failed: number): INodeExecutionData {
	const counted = summary.status === 'dryRun' ? 'planned' : 'succeeded';
	return {
		json: {
			resource: context.resource,
			action: context.action,
			status: summary.status,
			[counted]: summary.count,
			failed,
			...context.summaryExtra,
		},
		// Nothing matched: pair to the first item, as the tool result does.
		pairedItem: summary.pairedItems.length > 0 ? summary.pairedItems : [{ item: 0 }],
	};
}

function succeededJson(context: OutputContext, id: string, requestId?: string): IDataObject {
	const json: IDataObject = {
		id,
		resource: context.resource,
		action: context.action,
		status: 'succeeded',
	};
	if (requestId !== undefined) json.requestId = requestId;
	return json;
}

function plannedJson(context: OutputContext, id: string, batch: number): IDataObject {
	const json: IDataObject = {
		id,
		resource: context.resource,
		action: context.action,
		status: 'dryRun',
		batch,
	};
	const data = context.plan.batches[batch]?.data;
	if (data !== undefined) json.data = data as IDataObject;
	return json;
}

function failedJson(context: OutputContext, id: string | null, failure: IdFailure): IDataObject {
	const error: IDataObject = { code: failure.code, message: failure.message };
	if (failure.httpStatus !== undefined) error.httpStatus = failure.httpStatus;
	if (failure.requestId !== undefined) error.requestId = failure.requestId;
	return { id, resource: context.resource, action: context.action, status: 'failed', error };
}

/**
 * With "Continue (using error output)", n8n moves items whose json is only {error, message,
 * details} to its Error output (merged with the input item), so that is the shape used there.
 */
function affectedByFatal(
	context: OutputContext,
	id: string,
	pairedItem: { item: number },
): INodeExecutionData {
	const fatal = context.fatal;
	const failure: IdFailure = {
		code: fatal?.code ?? 'not_sent',
		message: fatal
			? `${fatal.message}. ${fatal.description}`
			: 'Not sent: the run stopped before this id.',
		httpStatus: fatal?.httpStatus,
		requestId: fatal?.requestId,
	};
	if (context.fatalTo === 'errorOutput') {
		return {
			json: {
				error: fatal?.message ?? failure.message,
				message: fatal?.description ?? failure.message,
				details: { id, resource: context.resource, action: context.action, code: failure.code },
			},
			pairedItem,
		};
	}
	return { json: failedJson(context, id, failure), pairedItem };
}
