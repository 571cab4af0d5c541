import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { progressBeforeStop, type FatalRunError } from './bulk/errors';
import { readTypedValue } from './bulk/typedValues';
import { planBatches, type BulkPlan } from './bulk/plan';
import type { RunResult } from './bulk/runBatches';
import {
	isRejected,
	type AcceptedItem,
	type BulkAction,
	type CstarResource,
	type ItemInput,
	type RejectedItem,
} from './bulk/types';
import { optionsProperty, readOptions, type BulkOptions } from './description/options';
import {
	API_RESOURCE,
	idsProperty,
	operationProperties,
	resourceProperty,
	type ResourceChoice,
} from './description/resourceOperation';
import { searchProperties, sourceProperty, SOURCE } from './description/search';
import { toolDescriptionProperties } from './description/toolDescription';
import { updateDataProperties } from './description/updateFields';
import { readItems } from './items/readItems';
import { isSearchItem, readSearches, type SearchInput } from './items/readSearches';
import { toOutputItems } from './items/toOutputItems';
import { isAgentToolCall } from './items/toolMode';
import { toToolResult } from './items/toolResult';
import {
	dryRunBulk,
	openSession,
	plannedOutcomes,
	runBulk,
	type OpenedSession,
	type Session,
} from './transport/runBulk';
import { runSearches, type Found } from './transport/runSearches';

/**
 * Programmatic, not declarative: it gathers ids across all items into calls of up to 100 and
 * fans each call's per-id answer back out to the items that named them, on two outputs.
 */
export class CstarBulk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cstar Bulk',
		name: 'cstarBulk',
		icon: { light: 'file:../../icons/cstar.svg', dark: 'file:../../icons/cstar.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + " " + $parameter["resource"] + "s in bulk"}}',
		description: 'Update or delete thousands of cStar tickets, customers or articles, 100 per call',
		defaults: { name: 'Cstar Bulk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Succeeded', 'Failed'],
		credentials: [{ name: 'cstarApi', required: true }],
		properties: [
			resourceProperty,
			...operationProperties,
			...toolDescriptionProperties,
			sourceProperty,
			idsProperty,
			...searchProperties,
			...updateDataProperties,
			optionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const asTool = isAgentToolCall(this);
		const run: RunSettings = {
			resource: API_RESOURCE[this.getNodeParameter('resource', 0) as ResourceChoice],
			action: this.getNodeParameter('operation', 0) as BulkAction,
			options: readOptions(this.getNodeParameter('options', 0, {}) as IDataObject),
			asTool,
			// An agent gets errors as its tool result, unless On Error is set to stop (as n8n does for tools).
			stopOnError: asTool ? this.getNode().onError === 'stopWorkflow' : !this.continueOnFail(),
		};
		const source = readTypedValue(SOURCE, this.getNodeParameter('source', 0, 'input'));
		if (!source.ok)
			throw new NodeOperationError(this.getNode(), source.message, {
				description: source.description,
			});
		if (source.value === 'search') return await executeSearch(this, run);

		const inputs = readItems(this, run.action);
		if (run.action === 'update' && run.stopOnError && everyItemLacksData(inputs)) {
			throw new NodeOperationError(this.getNode(), 'No fields to update', {
				itemIndex: 0,
				description:
					'Add at least one field under "Update Fields" (or give a non-empty object in "JSON Data"), then run again.',
			});
		}
		const plan = planFor(inputs, run);
		const result = run.options.dryRun
			? await dryRunBulk(this, plan)
			: await runBulk(this, plan, run, run.options);
		return finish(this, run, { inputs, plan, result });
	}
}

interface RunSettings {
	resource: CstarResource;
	action: BulkAction;
	options: BulkOptions;
	asTool: boolean;
	stopOnError: boolean;
}

interface Ran {
	inputs: ItemInput[];
	plan: BulkPlan;
	result: RunResult;
	found?: Found;
}

function planFor(inputs: ItemInput[], run: RunSettings): BulkPlan {
	const accepted = inputs.filter((input): input is AcceptedItem => !isRejected(input));
	return planBatches(accepted, { ...run.options, resource: run.resource });
}

/**
 * Search mode: read every search, list every match (one session, shared with the bulk calls),
 * then plan and send as if the found ids had come from the input items that searched.
 */
async function executeSearch(
	context: IExecuteFunctions,
	run: RunSettings,
): Promise<INodeExecutionData[][]> {
	const searches = readSearches(context, run);
	if (run.stopOnError) throwFirstRefusal(context, searches);
	const refusedAtRead = searches.filter((search): search is RejectedItem => !isSearchItem(search));
	let found: Found = { inputs: refusedAtRead, listed: new Map(), reports: new Map() };
	let session: Session | undefined;
	if (searches.some(isSearchItem)) {
		const opened = await openSession(context, run.options);
		if (opened.kind === 'fatal' && run.stopOnError)
			throw stopError(context, opened.error, { outcomes: [] });
		if (opened.kind === 'open') {
			session = opened.session;
			found = await runSearches(
				session.send,
				{ ...run, teamPath: session.teamPath, parallel: run.options.parallelRequests },
				searches,
			);
		} else {
			found.inputs = searches.map((search) => refuseAll(search, opened));
		}
		if (found.fatal && run.stopOnError) throw stopError(context, found.fatal, { outcomes: [] });
		if (run.stopOnError) throwFirstRefusal(context, found.inputs);
	}
	const plan = planFor(found.inputs, run);
	const result: RunResult =
		run.options.dryRun || session === undefined
			? { outcomes: plannedOutcomes(plan) }
			: await runBulk(context, plan, run, run.options, session);
	return finish(context, run, { inputs: found.inputs, plan, result, found });
}

function refuseAll(
	search: SearchInput,
	opened: Exclude<OpenedSession, { kind: 'open' }>,
): RejectedItem {
	if (!isSearchItem(search)) return search;
	const pair =
		opened.kind === 'fatal'
			? {
					id: null,
					code: opened.error.code,
					message: `${opened.error.message}. ${opened.error.description}`,
				}
			: { id: null, ...opened.failure };
	return { itemIndex: search.itemIndex, rejected: [pair] };
}

/** With On Error set to stop, a search that acts on nothing stops the run before any write. */
function throwFirstRefusal(context: IExecuteFunctions, inputs: Array<ItemInput | SearchInput>) {
	for (const input of inputs) {
		if (!('rejected' in input)) continue;
		const [first] = input.rejected;
		const cut = first.message.indexOf('. ');
		throw new NodeOperationError(
			context.getNode(),
			cut === -1 ? first.message : first.message.slice(0, cut),
			{
				itemIndex: input.itemIndex,
				description: cut === -1 ? undefined : first.message.slice(cut + 2),
			},
		);
	}
}

function finish(context: IExecuteFunctions, run: RunSettings, ran: Ran): INodeExecutionData[][] {
	if (ran.result.fatal && run.stopOnError) throw stopError(context, ran.result.fatal, ran.result);
	const searches = ran.found && searchReports(ran.found);
	const outputs = toOutputItems(ran.inputs, {
		resource: run.resource,
		action: run.action,
		plan: ran.plan,
		outcomes: ran.result.outcomes,
		fatal: ran.result.fatal,
		fatalTo:
			!run.asTool && context.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'failed',
		summary: run.options.succeededOutput === 'summary',
		extraFor: ran.found && extraFor(ran.found),
		summaryExtra: searches && searches.length > 0 ? { searches } : undefined,
	});
	if (run.asTool) {
		const tool = { ...run, dryRun: run.options.dryRun, fatal: ran.result.fatal, searches };
		return [[toToolResult(outputs, tool)]];
	}
	return [outputs.succeeded, outputs.failed];
}

function searchReports(found: Found): IDataObject[] {
	return [...found.reports].map(([itemIndex, report]) => ({ itemIndex, ...report }));
}

/** A found record's item carries its before values (update) or the listed record (delete). */
function extraFor(found: Found): (itemIndex: number, id: string) => IDataObject | undefined {
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

function everyItemLacksData(inputs: ItemInput[]): boolean {
	return (
		inputs.length > 0 &&
		inputs.every(
			(input) =>
				isRejected(input) && input.rejected.every((pair) => pair.code === 'no_update_fields'),
		)
	);
}

function stopError(context: IExecuteFunctions, fatal: FatalRunError, run: RunResult): NodeApiError {
	const progress = progressBeforeStop(run.outcomes);
	const response: JsonObject = { code: fatal.code, message: fatal.message };
	if (fatal.httpStatus !== undefined) response.httpStatus = fatal.httpStatus;
	if (fatal.requestId !== undefined) response.requestId = fatal.requestId;
	return new NodeApiError(context.getNode(), response, {
		message: fatal.message,
		description: `${fatal.description}${progress}`,
		httpCode: fatal.httpStatus !== undefined ? String(fatal.httpStatus) : undefined,
	});
}
