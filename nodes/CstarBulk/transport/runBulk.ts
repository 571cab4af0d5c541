import { randomUUID } from 'crypto';
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import type { BulkPlan } from '../bulk/plan';
import { cancelled, type FatalRunError } from '../bulk/errors';
import { RateLimitPacer } from '../bulk/rateLimitPacer';
import { runBatches, type RunResult } from '../bulk/runBatches';
import type { SendContext } from '../bulk/sendWithRetries';
import type { BulkAction, CstarResource, IdFailure, IdOutcome } from '../bulk/types';
import type { BulkOptions } from '../description/options';
import { checkCredentials, discoverTeamId, teamPath } from './connection';
import { CREDENTIAL_TYPE, n8nTransport } from './n8nTransport';

/** What one run shares between its list and bulk calls: one send context, one team. */
export interface Session {
	send: SendContext;
	teamPath: string;
}

export type OpenedSession =
	| { kind: 'open'; session: Session }
	| { kind: 'fatal'; error: FatalRunError }
	/** Cancelled during the team lookup: nothing was sent. */
	| { kind: 'cancelled'; failure: IdFailure };

/**
 * Connects this execution once: credential, HTTP helper, cancel signal, one pacer and retry
 * policy, and the team (looked up once when the credential leaves it empty). Listing and bulk
 * calls of the run all go through it, so they share one rate-limit budget.
 */
export async function openSession(
	context: IExecuteFunctions,
	options: BulkOptions,
): Promise<OpenedSession> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const checked = checkCredentials(credentials);
	if (!checked.ok) return { kind: 'fatal', error: checked.error };
	const { connection } = checked;

	const signal = context.getExecutionCancelSignal();
	const send: SendContext = {
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
		const discovered = await discoverTeamId(send);
		if (discovered.kind === 'fatal') return { kind: 'fatal', error: discovered.error };
		// Anything but a team id or a stop is a cancel during the lookup: nothing was sent.
		if (discovered.kind !== 'done') return { kind: 'cancelled', failure: cancelled(false) };
		teamId = discovered.value;
	}
	send.connection = { ...connection, teamId };
	return { kind: 'open', session: { send, teamPath: teamPath(teamId) } };
}

/** Connects the pure batch runner to this execution, opening the session when none is given. */
export async function runBulk(
	context: IExecuteFunctions,
	plan: BulkPlan,
	target: { resource: CstarResource; action: BulkAction },
	options: BulkOptions,
	opened?: Session,
): Promise<RunResult> {
	if (plan.batches.length === 0) return { outcomes: [] };
	let session = opened;
	if (session === undefined) {
		const result = await openSession(context, options);
		if (result.kind === 'fatal')
			return { outcomes: new Array(plan.slotCount), fatal: result.error };
		if (result.kind === 'cancelled') {
			const failure = { status: 'failed' as const, ...result.failure };
			return { outcomes: new Array(plan.slotCount).fill(failure) };
		}
		session = result.session;
	}
	return await runBatches(
		plan,
		{ ...target, teamPath: session.teamPath },
		session.send,
		options.parallelRequests,
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
	return { outcomes: plannedOutcomes(plan) };
}

/** What a dry run reports for each slot: the call it would go in. */
export function plannedOutcomes(plan: BulkPlan): IdOutcome[] {
	const outcomes: IdOutcome[] = new Array(plan.slotCount);
	for (const batch of plan.batches) {
		for (const slot of batch.slots) outcomes[slot] = { status: 'planned', batch: batch.seq };
	}
	return outcomes;
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
