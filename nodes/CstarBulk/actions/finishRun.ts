import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';

import { progressBeforeStop, type FatalRunError } from '../bulk/errors';
import type { BulkPlan } from '../bulk/plan';
import { maskKeysDeep } from '../bulk/redact';
import type { RunResult } from '../bulk/runBatches';
import type { ItemInput } from '../bulk/types';
import {
	isOutputConnected,
	runHints,
	showHints,
	summarizeRun,
	type SearchSummary,
} from '../items/hints';
import { toOutputItems, type OutputContext, type Outputs } from '../items/toOutputItems';
import { toToolResult } from '../items/toolResult';
import { toNodeApiError } from '../transport/nodeError';
import type { RunSettings } from './runSettings';

/** What a run did, ready to become its outputs. */
export interface Ran {
	inputs: ItemInput[];
	plan: BulkPlan;
	result: RunResult;
	/** Search mode: what each found id's item carries, the searches' reports and counts. */
	search?: {
		extraFor: OutputContext['extraFor'];
		reports: IDataObject[];
		summary: SearchSummary;
	};
}

const FAILED_OUTPUT = 1;

/**
 * The run's outputs: a stop error (On Error set to stop), the agent's one result, or Succeeded
 * and Failed with the editor's hints. Every key the credential holds is masked in all of them.
 */
export function finishRun(
	context: IExecuteFunctions,
	run: RunSettings,
	ran: Ran,
): INodeExecutionData[][] {
	if (ran.result.fatal && run.stopOnError)
		throw stopError(context, ran.result.fatal, ran.result, run.secrets);
	const reports = ran.search?.reports;
	const outputContext: OutputContext = {
		resource: run.resource,
		action: run.action,
		plan: ran.plan,
		outcomes: ran.result.outcomes,
		fatal: ran.result.fatal,
		fatalTo:
			!run.asTool && context.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'failed',
		summary: run.options.succeededOutput === 'summary',
		extraFor: ran.search?.extraFor,
		summaryExtra: reports !== undefined && reports.length > 0 ? { searches: reports } : undefined,
	};
	if (run.asTool) {
		// The agent is told about every id, whatever Succeeded Output is set to.
		const perId = toOutputItems(ran.inputs, { ...outputContext, summary: false });
		const tool = { ...run, dryRun: run.options.dryRun, fatal: ran.result.fatal, searches: reports };
		const result = toToolResult(perId, tool);
		return [[{ ...result, json: maskKeysDeep(result.json, run.secrets) }]];
	}
	const outputs = maskOutputs(toOutputItems(ran.inputs, outputContext), run.secrets);
	// Not as a tool: the agent's result says all of this already, and has no Failed output to connect.
	const summary = summarizeRun({
		...run,
		dryRun: run.options.dryRun,
		batchSize: run.options.batchSize,
		plan: ran.plan,
		run: ran.result,
		outputs,
		failedOutputConnected: isOutputConnected(context, FAILED_OUTPUT),
		search: ran.search?.summary,
	});
	showHints(context, runHints(summary));
	return [outputs.succeeded, outputs.failed];
}

function maskOutputs(outputs: Outputs, secrets: string[]): Outputs {
	const mask = (items: INodeExecutionData[]) =>
		items.map((item) => {
			const json = maskKeysDeep(item.json, secrets);
			return json === item.json ? item : { ...item, json };
		});
	return { succeeded: mask(outputs.succeeded), failed: mask(outputs.failed) };
}

export function stopError(
	context: IExecuteFunctions,
	fatal: FatalRunError,
	run: Pick<RunResult, 'outcomes'>,
	secrets: string[],
): NodeApiError {
	return toNodeApiError(context.getNode(), fatal, progressBeforeStop(run.outcomes), secrets);
}
