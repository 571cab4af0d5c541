import { randomUUID } from 'crypto';
import { sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { BulkPlan } from '../bulk/plan';
import { cancelled, type FatalRunError } from '../bulk/errors';
import { RateLimitPacer } from '../bulk/rateLimitPacer';
import { ProgressTracker } from '../bulk/progress';
import { runBatches, type RunResult } from '../bulk/runBatches';
import { sleepInSlices } from '../bulk/sleepInSlices';
import type { Transport } from '../bulk/http';
import type { SendContext, SendSettings } from '../bulk/sendWithRetries';
import type { BulkAction, CstarResource, IdFailure, IdOutcome } from '../bulk/types';
import type { BulkOptions } from '../description/options';
import { checkCredentials, discoverTeamId, teamPath } from './connection';
import { CREDENTIAL_TYPE, n8nTransport } from './n8nTransport';

/** What one run shares between its list and bulk calls: one send context, one team. */
export interface Session {
	send: SendContext;
	teamPath: string;
	/** Progress lines through n8n's logger, every 30 s of a run that lasts that long. */
	progress: ProgressTracker;
}

export type OpenedSession =
	| { kind: 'open'; session: Session }
	| { kind: 'fatal'; error: FatalRunError }
	/** Cancelled during the team lookup: nothing was sent. */
	| { kind: 'cancelled'; failure: IdFailure };

/** What differs between a run and an editor list when they connect. */
export interface SessionParts {
	transport: (baseUrl: string) => Transport;
	settings: SendSettings;
	signal?: AbortSignal;
	runKey: string;
	/** A run's progress lines; an editor list logs none. */
	progress?: ProgressTracker;
}

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
	return await connectSession(credentials, {
		transport: (baseUrl) => n8nTransport(context, baseUrl, options.timeout, credentials),
		settings: {
			maxRetries: options.maxRetries,
			maxRateLimitWaitMs: options.maxRateLimitWait * 1000,
		},
		signal: context.getExecutionCancelSignal(),
		runKey: runKeyOf(context),
		progress: progressTracker(context),
	});
}

/** The checks, send context and team lookup every connection makes (runs and the pickers' lists). */
export async function connectSession(
	credentials: IDataObject,
	parts: SessionParts,
): Promise<OpenedSession> {
	const checked = checkCredentials(credentials);
	if (!checked.ok) return { kind: 'fatal', error: checked.error };
	const { connection } = checked;
	const { signal } = parts;
	const isCancelled = () => signal?.aborted === true;
	const progress = parts.progress ?? silentProgress();
	const send: SendContext = {
		transport: parts.transport(connection.baseUrl),
		pacer: new RateLimitPacer(),
		settings: parts.settings,
		connection,
		// n8n-workflow 1.x ignores the signal (docs/cancel.md): slices notice a cancel within 1 s.
		sleep: async (ms) =>
			await sleepInSlices(async (slice) => await sleep(slice, signal), ms, isCancelled),
		isCancelled,
		now: () => Date.now(),
		random: Math.random,
		runKey: parts.runKey,
		progress,
	};

	let teamId = connection.teamId;
	if (teamId === undefined) {
		progress.startPhase('finding the team');
		const discovered = await discoverTeamId(send);
		if (discovered.kind !== 'done') progress.finish();
		if (discovered.kind === 'fatal') return { kind: 'fatal', error: discovered.error };
		// Anything but a team id or a stop is a cancel during the lookup: nothing was sent.
		if (discovered.kind !== 'done') return { kind: 'cancelled', failure: cancelled(false) };
		teamId = discovered.value;
	}
	send.connection = { ...connection, teamId };
	return { kind: 'open', session: { send, teamPath: teamPath(teamId), progress } };
}

/** Writes the run's last progress line (for a run of 30 s or more); the session sends no more. */
export function closeSession(session: Session): void {
	session.progress.finish();
}

/**
 * Connects the pure batch runner to this execution. Without a session given it opens (and
 * closes) its own; a given one stays open for its owner to close.
 */
export async function runBulk(
	context: IExecuteFunctions,
	plan: BulkPlan,
	target: { resource: CstarResource; action: BulkAction },
	options: BulkOptions,
	opened?: Session,
): Promise<RunResult> {
	if (plan.batches.length === 0) return { outcomes: [] };
	if (opened !== undefined) return await sendPlan(context, plan, target, options, opened);
	const result = await openSession(context, options);
	if (result.kind === 'fatal') return { outcomes: new Array(plan.slotCount), fatal: result.error };
	if (result.kind === 'cancelled') {
		const failure = { status: 'failed' as const, ...result.failure };
		return { outcomes: new Array(plan.slotCount).fill(failure) };
	}
	try {
		return await sendPlan(context, plan, target, options, result.session);
	} finally {
		closeSession(result.session);
	}
}

async function sendPlan(
	context: IExecuteFunctions,
	plan: BulkPlan,
	target: { resource: CstarResource; action: BulkAction },
	options: BulkOptions,
	session: Session,
): Promise<RunResult> {
	session.progress.startPhase('sending');
	const result = await runBatches(
		plan,
		{ ...target, teamPath: session.teamPath },
		session.send,
		options.parallelRequests,
	);
	if (session.send.isCancelled()) logCancelled(context, result);
	return { ...result, rateLimitWaitMs: session.progress.totals().rateLimitWaitMs };
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

/** Lines go to n8n's logger at info, n8n's default level: `n8n start`'s output, a worker's log. */
function progressTracker(context: IExecuteFunctions): ProgressTracker {
	const label = `Cstar Bulk "${context.getNode().name}" (execution ${context.getExecutionId() ?? 'unsaved'})`;
	return new ProgressTracker({
		now: () => Date.now(),
		log: (line) => context.logger.info(line),
		label,
	});
}

/** An editor list is over in seconds: it tracks nothing worth a line. */
function silentProgress(): ProgressTracker {
	return new ProgressTracker({ now: () => Date.now(), log: () => undefined, label: '' });
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
