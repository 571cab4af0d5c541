import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type NodeApiError,
} from 'n8n-workflow';

import { progressBeforeStop, type FatalRunError } from './bulk/errors';
import { planBatches } from './bulk/plan';
import type { RunResult } from './bulk/runBatches';
import { isRejected, type AcceptedItem, type BulkAction, type ItemInput } from './bulk/types';
import { optionsProperty, readOptions } from './description/options';
import {
	API_RESOURCE,
	idsProperty,
	operationProperties,
	resourceProperty,
	type ResourceChoice,
} from './description/resourceOperation';
import { toolDescriptionProperties } from './description/toolDescription';
import { updateDataProperties } from './description/updateFields';
import { readItems } from './items/readItems';
import { toOutputItems } from './items/toOutputItems';
import { isAgentToolCall } from './items/toolMode';
import { toToolResult } from './items/toolResult';
import { searchCustomers, searchMembers, searchMembersOrNobody } from './transport/listSearch';
import { toNodeApiError } from './transport/nodeError';
import { dryRunBulk, runBulk } from './transport/runBulk';

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
			idsProperty,
			...updateDataProperties,
			optionsProperty,
		],
	};

	methods = {
		listSearch: { searchMembers, searchMembersOrNobody, searchCustomers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = API_RESOURCE[this.getNodeParameter('resource', 0) as ResourceChoice];
		const action = this.getNodeParameter('operation', 0) as BulkAction;
		const options = readOptions(this.getNodeParameter('options', 0, {}) as IDataObject);

		const asTool = isAgentToolCall(this);
		// An agent gets errors as its tool result, unless On Error is set to stop (as n8n does for tools).
		const stopOnError = asTool ? this.getNode().onError === 'stopWorkflow' : !this.continueOnFail();

		const inputs = readItems(this, action);
		if (action === 'update' && stopOnError && everyItemLacksData(inputs)) {
			throw new NodeOperationError(this.getNode(), 'No fields to update', {
				itemIndex: 0,
				description:
					'Add at least one field under "Update Fields" (or give a non-empty object in "JSON Data"), then run again.',
			});
		}
		const accepted = inputs.filter((input): input is AcceptedItem => !isRejected(input));
		const plan = planBatches(accepted, { ...options, resource });

		const run = options.dryRun
			? await dryRunBulk(this, plan)
			: await runBulk(this, plan, { resource, action }, options);

		if (run.fatal && stopOnError) throw stopError(this, run.fatal, run);

		const outputs = toOutputItems(inputs, {
			resource,
			action,
			plan,
			outcomes: run.outcomes,
			fatal: run.fatal,
			fatalTo:
				!asTool && this.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'failed',
			summary: options.succeededOutput === 'summary',
		});
		if (asTool) {
			return [
				[toToolResult(outputs, { resource, action, dryRun: options.dryRun, fatal: run.fatal })],
			];
		}
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

function stopError(context: IExecuteFunctions, fatal: FatalRunError, run: RunResult): NodeApiError {
	return toNodeApiError(context.getNode(), fatal, progressBeforeStop(run.outcomes));
}
