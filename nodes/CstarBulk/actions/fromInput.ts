import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { planItems, type BulkPlan } from '../bulk/plan';
import type { RunResult } from '../bulk/runBatches';
import { isRejected, type ItemInput } from '../bulk/types';
import { readItems } from '../items/readItems';
import { dryRunBulk, runBulk } from '../transport/runBulk';
import { finishRun } from './finishRun';
import type { RunSettings } from './runSettings';

/** Ids from the input items: read, plan, send (or only plan, in a dry run), then the outputs. */
export async function executeFromInput(
	context: IExecuteFunctions,
	run: RunSettings,
): Promise<INodeExecutionData[][]> {
	const inputs = readItems(context, run.action);
	if (run.action === 'update' && run.stopOnError && everyItemLacksData(inputs)) {
		throw new NodeOperationError(context.getNode(), 'No fields to update', {
			itemIndex: 0,
			description:
				'Add at least one field under "Update Fields" (or give a non-empty object in "JSON Data"), then run again.',
		});
	}
	const plan = planItems(inputs, { ...run.options, resource: run.resource });
	const result = await runPlan(context, plan, run);
	return finishRun(context, run, { inputs, plan, result });
}

/** An option that can't be read sends nothing; its ids are affected by the stop it causes. */
async function runPlan(
	context: IExecuteFunctions,
	plan: BulkPlan,
	run: RunSettings,
): Promise<RunResult> {
	if (run.optionsRefused !== undefined)
		return { outcomes: new Array(plan.slotCount), fatal: run.optionsRefused };
	if (run.options.dryRun) return await dryRunBulk(context, plan);
	return await runBulk(context, plan, run, run.options);
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
