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

import { fatalBadConfiguration, progressBeforeStop, type FatalRunError } from './bulk/errors';
import { planBatches, type BulkPlan } from './bulk/plan';
import { maskKeys, maskKeysDeep, secretForms } from './bulk/redact';
import type { RunResult } from './bulk/runBatches';
import {
	isRejected,
	type AcceptedItem,
	type BulkAction,
	type CstarResource,
	type ItemInput,
} from './bulk/types';
import {
	DEFAULT_OPTIONS,
	optionsProperty,
	readOptions,
	type ReadOptions,
} from './description/options';
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
import { toOutputItems, type Outputs } from './items/toOutputItems';
import { isAgentToolCall } from './items/toolMode';
import { toToolResult } from './items/toolResult';
import { CREDENTIAL_TYPE } from './transport/n8nTransport';
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

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = API_RESOURCE[this.getNodeParameter('resource', 0) as ResourceChoice];
		const action = this.getNodeParameter('operation', 0) as BulkAction;
		const secrets = await credentialSecrets(this);

		const asTool = isAgentToolCall(this);
		// An agent gets errors as its tool result, unless On Error is set to stop (as n8n does for tools).
		const stopOnError = asTool ? this.getNode().onError === 'stopWorkflow' : !this.continueOnFail();

		const read = readNodeOptions(this, secrets);
		if (!read.ok && stopOnError) {
			throw new NodeOperationError(this.getNode(), read.message, {
				description: read.description,
			});
		}
		const options = read.ok ? read.options : DEFAULT_OPTIONS;

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

		const run = await runPlan(this, read, plan, { resource, action });

		if (run.fatal && stopOnError) throw stopError(this, run.fatal, run, secrets);

		const context = {
			resource,
			action,
			plan,
			outcomes: run.outcomes,
			fatal: run.fatal,
			fatalTo: !asTool && this.getNode().onError === 'continueErrorOutput' ? errorOutput : failed,
			summary: options.succeededOutput === 'summary',
		};
		if (asTool) {
			// The agent is told about every id, whatever Succeeded Output is set to.
			const perId = toOutputItems(inputs, { ...context, summary: false });
			const result = toToolResult(perId, {
				resource,
				action,
				dryRun: options.dryRun,
				fatal: run.fatal,
			});
			return [[{ ...result, json: maskKeysDeep(result.json, secrets) }]];
		}
		const outputs = maskOutputs(toOutputItems(inputs, context), secrets);
		return [outputs.succeeded, outputs.failed];
	}
}

/** The credential's key in the forms a text may quote it, for masking; none without a credential. */
async function credentialSecrets(context: IExecuteFunctions): Promise<string[]> {
	try {
		return secretForms((await context.getCredentials(CREDENTIAL_TYPE)).apiKey);
	} catch {
		// The run reads the credential again before its first call, and reports a missing one there.
		return [];
	}
}

function readNodeOptions(context: IExecuteFunctions, secrets: string[]): ReadOptions {
	const given = context.getNodeParameter('options', 0, {}, { rawExpressions: true });
	return readOptions(
		context.getNodeParameter('options', 0, {}) as IDataObject,
		given !== null && typeof given === 'object' ? Object.keys(given) : undefined,
		secrets,
	);
}

const errorOutput = 'errorOutput' as const;
const failed = 'failed' as const;

/** An option that can't be read sends nothing; its ids are affected by the stop it causes. */
async function runPlan(
	context: IExecuteFunctions,
	read: ReadOptions,
	plan: BulkPlan,
	target: { resource: CstarResource; action: BulkAction },
): Promise<RunResult> {
	if (!read.ok) return { outcomes: new Array(plan.slotCount), fatal: optionRefused(read) };
	if (read.options.dryRun) return await dryRunBulk(context, plan);
	return await runBulk(context, plan, target, read.options);
}

/** An option that can't be read stops the whole run; with Continue its ids go to Failed. */
function optionRefused(read: Extract<ReadOptions, { ok: false }>): FatalRunError {
	return fatalBadConfiguration('invalid_option', read.message, read.description);
}

function maskOutputs(outputs: Outputs, secrets: string[]): Outputs {
	const mask = (items: INodeExecutionData[]) =>
		items.map((item) => {
			const json = maskKeysDeep(item.json, secrets);
			return json === item.json ? item : { ...item, json };
		});
	return { succeeded: mask(outputs.succeeded), failed: mask(outputs.failed) };
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

function stopError(
	context: IExecuteFunctions,
	fatal: FatalRunError,
	run: RunResult,
	secrets: string[],
): NodeApiError {
	const progress = progressBeforeStop(run.outcomes);
	const message = maskKeys(fatal.message, secrets);
	const response: JsonObject = { code: fatal.code, message };
	if (fatal.httpStatus !== undefined) response.httpStatus = fatal.httpStatus;
	if (fatal.requestId !== undefined) response.requestId = maskKeys(fatal.requestId, secrets);
	return new NodeApiError(context.getNode(), response, {
		message,
		description: maskKeys(`${fatal.description}${progress}`, secrets),
		httpCode: fatal.httpStatus !== undefined ? String(fatal.httpStatus) : undefined,
	});
}
