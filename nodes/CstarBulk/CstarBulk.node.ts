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

import type { FatalRunError } from './bulk/errors';
import { planBatches, type BulkPlan } from './bulk/plan';
import type { RunResult } from './bulk/runBatches';
import {
	isRejected,
	type AcceptedItem,
	type BulkAction,
	type IdOutcome,
	type ItemInput,
} from './bulk/types';
import { optionsProperty, readOptions } from './description/options';
import {
	API_RESOURCE,
	idsProperty,
	operationProperties,
	resourceProperty,
	type ResourceChoice,
} from './description/resourceOperation';
import { updateDataProperties } from './description/updateFields';
import { readItems } from './items/readItems';
import { toOutputItems } from './items/toOutputItems';
import { runBulk } from './transport/runBulk';

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
			idsProperty,
			...updateDataProperties,
			optionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = API_RESOURCE[this.getNodeParameter('resource', 0) as ResourceChoice];
		const action = this.getNodeParameter('operation', 0) as BulkAction;
		const options = readOptions(this.getNodeParameter('options', 0, {}) as IDataObject);

		const inputs = readItems(this, action);
		if (action === 'update' && !this.continueOnFail() && everyItemLacksData(inputs)) {
			throw new NodeOperationError(this.getNode(), 'No fields to update', {
				itemIndex: 0,
				description:
					'Add at least one field under "Update Fields" (or give a non-empty object in "JSON Data"), then run again.',
			});
		}
		const accepted = inputs.filter((input): input is AcceptedItem => !isRejected(input));
		const plan = planBatches(accepted, options);

		const run = options.dryRun
			? planOnly(plan)
			: plan.batches.length === 0
				? { outcomes: [] }
				: await runBulk(this, plan, { resource, action }, options);

		if (run.fatal && !this.continueOnFail()) throw stopError(this, run.fatal, run);

		const outputs = toOutputItems(inputs, {
			resource,
			action,
			plan,
			outcomes: run.outcomes,
			fatal: run.fatal,
			fatalTo: this.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'failed',
			summary: options.succeededOutput === 'summary',
		});
		return [outputs.succeeded, outputs.failed];
	}
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

function planOnly(plan: BulkPlan): RunResult {
	const outcomes: IdOutcome[] = new Array(plan.slotCount);
	for (const batch of plan.batches) {
		for (const slot of batch.slots) outcomes[slot] = { status: 'planned', batch: batch.seq };
	}
	return { outcomes };
}

function stopError(context: IExecuteFunctions, fatal: FatalRunError, run: RunResult): NodeApiError {
	const done = run.outcomes.filter((outcome) => outcome !== undefined);
	const confirmed = done.filter((outcome) => outcome?.status === 'succeeded').length;
	const progress =
		done.length > 0
			? ` Before this, cStar confirmed ${confirmed} id${confirmed === 1 ? '' : 's'} and ${done.length - confirmed} failed; set On Error to "Continue" to see them per id.`
			: '';
	const response: JsonObject = { code: fatal.code, message: fatal.message };
	if (fatal.httpStatus !== undefined) response.httpStatus = fatal.httpStatus;
	if (fatal.requestId !== undefined) response.requestId = fatal.requestId;
	return new NodeApiError(context.getNode(), response, {
		message: fatal.message,
		description: `${fatal.description}${progress}`,
		httpCode: fatal.httpStatus !== undefined ? String(fatal.httpStatus) : undefined,
	});
}
