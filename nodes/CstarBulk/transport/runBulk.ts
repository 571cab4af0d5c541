import { randomUUID } from 'crypto';
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import type { BulkPlan } from '../bulk/plan';
import { cancelled } from '../bulk/errors';
import { RateLimitPacer } from '../bulk/rateLimitPacer';
import { runBatches, type RunResult } from '../bulk/runBatches';
import { sleepInSlices } from '../bulk/sleepInSlices';
import type { SendContext } from '../bulk/sendWithRetries';
import type { BulkAction, CstarResource, IdOutcome } from '../bulk/types';
import type { BulkOptions } from '../description/options';
import { checkCredentials, discoverTeamId, teamPath } from './connection';
import { CREDENTIAL_TYPE, n8nTransport } from './n8nTransport';

/** Connects the pure batch runner to this execution: credential, HTTP helper, cancel signal. */
export async function runBulk(
	context: IExecuteFunctions,
	plan: BulkPlan,
	target: { resource: CstarResource; action: BulkAction },
	options: BulkOptions,
): Promise<RunResult> {
	if (plan.batches.length === 0) return { outcomes: [] };
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const checked = checkCredentials(credentials);
	if (!checked.ok) return { outcomes: new Array(plan.slotCount), fatal: checked.error };
	const { connection } = checked;

	const signal = context.getExecutionCancelSignal();
	const isCancelled = () => signal?.aborted === true;
	const sendContext: SendContext = {
		transport: n8nTransport(context, connection.baseUrl, options.timeout, credentials),
		pacer: new RateLimitPacer(),
		settings: {
			maxRetries: options.maxRetries,
			maxRateLimitWaitMs: options.maxRateLimitWait * 1000,
		},
		connection,
		// n8n-workflow 1.x ignores the signal (docs/cancel.md): slices notice a cancel within 1 s.
		sleep: async (ms) =>
			await sleepInSlices(async (slice) => await sleep(slice, signal), ms, isCancelled),
		isCancelled,
		now: () => Date.now(),
		random: Math.random,
		runKey: runKeyOf(context),
	};

	let teamId = connection.teamId;
	if (teamId === undefined) {
		const discovered = await discoverTeamId(sendContext);
		if (discovered.kind === 'fatal')
			return { outcomes: new Array(plan.slotCount), fatal: discovered.error };
		// Anything but a team id or a stop is a cancel during the lookup: nothing was sent.
		if (discovered.kind !== 'done') {
			const failure = { status: 'failed' as const, ...cancelled(false) };
			return { outcomes: new Array(plan.slotCount).fill(failure) };
		}
		teamId = discovered.value;
	}
	sendContext.connection = { ...connection, teamId };
	const result = await runBatches(
		plan,
		{ ...target, teamPath: teamPath(teamId) },
		sendContext,
		options.parallelRequests,
	);
	if (isCancelled()) logCancelled(context, result);
	return result;
}

/**
 * n8n records a stopped execution at once and keeps nothing the node returns later, so the log is
 * the only place that says when the node stopped waiting, and what became of its ids.
 */
function logCancelled(context: IExecuteFunctions, result: RunResult): void {
	const cancelledIds = result.outcomes.filter(
		(outcome) => outcome?.status === 'failed' && outcome.code === 'cancelled',
	).length;
	context.logger?.info(
		`Cstar Bulk: execution ${context.getExecutionId() ?? '(unknown)'} was cancelled; ${cancelledIds} ids went to Failed as cancelled`,
	);
}

/**
 * Dry Run: every check the real run makes before its first request (the credential's key type,
 * Base URL and Team ID), then the plan, with nothing sent.
 */
export async function dryRunBulk(context: IExecuteFunctions, plan: BulkPlan): Promise<RunResult> {
	if (plan.batches.length === 0) return { outcomes: [] };
	const checked = checkCredentials(await context.getCredentials(CREDENTIAL_TYPE));
	if (!checked.ok) return { outcomes: new Array(plan.slotCount), fatal: checked.error };
	const outcomes: IdOutcome[] = new Array(plan.slotCount);
	for (const batch of plan.batches) {
		for (const slot of batch.slots) outcomes[slot] = { status: 'planned', batch: batch.seq };
	}
	return { outcomes };
}

/**
 * Same execution, node and run → same Idempotency-Keys, so n8n's Retry On Fail (which re-runs the
 * node within the same run) replays instead of applying twice; a loop's next run of the node is a new
 * run index and gets new keys, so an identical batch sent again in a loop is really applied again.
 */
function runKeyOf(context: IExecuteFunctions): string {
	const runIndex = Number(context.getWorkflowDataProxy(0).$runIndex ?? 0);
	return `${context.getExecutionId() ?? randomUUID()}:${context.getNode().id}:${runIndex}`;
}
