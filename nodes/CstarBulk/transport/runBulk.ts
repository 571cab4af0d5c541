import { randomUUID } from 'crypto';
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import type { BulkPlan } from '../bulk/plan';
import { RateLimitPacer } from '../bulk/rateLimitPacer';
import { runBatches, type RunResult } from '../bulk/runBatches';
import type { SendContext } from '../bulk/sendBatch';
import type { BulkAction, CstarResource } from '../bulk/types';
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
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const checked = checkCredentials(credentials);
	if (!checked.ok) return { outcomes: new Array(plan.slotCount), fatal: checked.error };
	const { connection } = checked;

	const signal = context.getExecutionCancelSignal();
	const sendContext: SendContext = {
		transport: n8nTransport(context, connection.baseUrl, options.timeout, credentials),
		pacer: new RateLimitPacer(),
		settings: {
			maxRetries: options.maxRetries,
			maxRateLimitWaitMs: options.maxRateLimitWait * 1000,
		},
		connection,
		sleep: async (ms) => await sleep(ms, signal),
		isCancelled: () => signal?.aborted === true,
		now: () => Date.now(),
		random: Math.random,
		runKey: runKeyOf(context),
	};

	let teamId = connection.teamId;
	if (teamId === undefined) {
		const discovered = await discoverTeamId(sendContext);
		if (discovered.kind === 'fatal')
			return { outcomes: new Array(plan.slotCount), fatal: discovered.error };
		if (discovered.kind === 'failed') {
			const failure = { status: 'failed' as const, ...discovered.failure };
			return { outcomes: new Array(plan.slotCount).fill(failure) };
		}
		teamId = discovered.value;
	}
	sendContext.connection = { ...connection, teamId };
	return await runBatches(
		plan,
		{ ...target, teamPath: teamPath(teamId) },
		sendContext,
		options.parallelRequests,
	);
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
