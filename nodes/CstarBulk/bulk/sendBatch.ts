import { createHash } from 'crypto';

import {
	cancelled,
	fatalFromResponse,
	fatalUnreachable,
	gaveUpAfterTransientFailures,
	rateLimitWaitTooLong,
	rejectedRequest,
	unreadableAnswer,
	type ConnectionInfo,
	type FatalRunError,
} from './errors';
import { isNetworkFailure, type HttpRequest, type HttpResponse, type Transport } from './http';
import type { PlannedBatch } from './plan';
import type { RateLimitPacer } from './rateLimitPacer';
import { interpretBulkAnswer } from './results';
import {
	backoffDelayMs,
	classifyNetworkError,
	classifyResponse,
	rateLimitWaitMs,
} from './retryPolicy';
import type { BulkAction, CstarResource, IdFailure, IdOutcome } from './types';

/** A 429 that says "retry now" still waits this long, so a storm can't spin. */
export const MIN_RATE_LIMIT_WAIT_MS = 1000;

export interface SendSettings {
	maxRetries: number;
	maxRateLimitWaitMs: number;
}

/** Everything one run shares between its calls. */
export interface SendContext {
	transport: Transport;
	pacer: RateLimitPacer;
	settings: SendSettings;
	connection: ConnectionInfo;
	/** Waits, and rejects when the execution is cancelled. */
	sleep: (ms: number) => Promise<void>;
	isCancelled: () => boolean;
	now: () => number;
	random: () => number;
	/** Stable for one execution of one node, so a retried call carries the same Idempotency-Key. */
	runKey: string;
}

export type Sent<T> =
	| { kind: 'done'; value: T }
	| { kind: 'failed'; failure: IdFailure }
	| { kind: 'fatal'; error: FatalRunError };

/** What a caller makes of a 2xx answer: a value, or a reason to ask again. */
export type ReadAnswer<T> = (response: HttpResponse) => { value: T } | { unreadable: string };

/**
 * Sends one request until it is answered, owning every retry and wait: backoff on network
 * failures, 5xx and unreadable answers; Retry-After on 429; pacing on X-RateLimit-*.
 */
export async function sendWithRetries<T>(
	ctx: SendContext,
	request: HttpRequest,
	read: ReadAnswer<T>,
): Promise<Sent<T>> {
	let retries = 0;
	let rateLimitWaitedMs = 0;
	let mayHaveArrived = false;

	const waitFor = async (ms: number): Promise<boolean> => {
		try {
			await ctx.sleep(ms);
			return true;
		} catch {
			return false;
		}
	};
	const waitForRateLimit = async (ms: number): Promise<Sent<T> | undefined> => {
		if (rateLimitWaitedMs + ms > ctx.settings.maxRateLimitWaitMs) {
			return {
				kind: 'failed',
				failure: rateLimitWaitTooLong(ms, ctx.settings.maxRateLimitWaitMs, mayHaveArrived),
			};
		}
		rateLimitWaitedMs += ms;
		return (await waitFor(ms)) ? undefined : { kind: 'failed', failure: cancelled(mayHaveArrived) };
	};

	for (;;) {
		if (ctx.isCancelled()) return { kind: 'failed', failure: cancelled(mayHaveArrived) };
		const paceMs = ctx.pacer.reserve(ctx.now());
		if (paceMs > 0) {
			const stop = await waitForRateLimit(paceMs);
			if (stop) return stop;
			continue;
		}

		const response = await ctx.transport(request);
		if (isNetworkFailure(response)) {
			if (ctx.isCancelled()) return { kind: 'failed', failure: cancelled(true) };
			const code = response.networkCode;
			const unreachable = classifyNetworkError(code) === 'unreachable';
			mayHaveArrived = mayHaveArrived || !unreachable;
			if (retries < ctx.settings.maxRetries) {
				retries++;
				if (!(await waitFor(backoffDelayMs(retries, ctx.random)))) {
					return { kind: 'failed', failure: cancelled(mayHaveArrived) };
				}
				continue;
			}
			if (unreachable && !mayHaveArrived) {
				return { kind: 'fatal', error: fatalUnreachable(code, retries + 1, ctx.connection) };
			}
			return {
				kind: 'failed',
				failure: gaveUpAfterTransientFailures(undefined, code, retries + 1),
			};
		}

		ctx.pacer.observe(response.headers);
		const kind = classifyResponse(response.statusCode, response.body);
		// cStar refuses a rate-limited call before acting on it; after any other answer it may have.
		if (kind !== 'rateLimited') mayHaveArrived = true;
		if (kind === 'answered') {
			const answer = read(response);
			if ('value' in answer) return { kind: 'done', value: answer.value };
			if (retries >= ctx.settings.maxRetries) {
				return { kind: 'failed', failure: unreadableAnswer(answer.unreadable, retries + 1) };
			}
		} else if (kind === 'rateLimited') {
			const askedMs = rateLimitWaitMs(response.headers, response.body, ctx.now());
			const stop = await waitForRateLimit(Math.max(askedMs, MIN_RATE_LIMIT_WAIT_MS));
			if (stop) return stop;
			continue;
		} else if (kind === 'fatal') {
			return {
				kind: 'fatal',
				error: fatalFromResponse(
					response.statusCode,
					response.body,
					response.headers,
					ctx.connection,
				),
			};
		} else if (kind === 'rejected') {
			return { kind: 'failed', failure: rejectedRequest(response.statusCode, response.body) };
		} else if (retries >= ctx.settings.maxRetries) {
			return {
				kind: 'failed',
				failure: gaveUpAfterTransientFailures(response.statusCode, undefined, retries + 1),
			};
		}
		retries++;
		if (!(await waitFor(backoffDelayMs(retries, ctx.random)))) {
			return { kind: 'failed', failure: cancelled(true) };
		}
	}
}

export interface BulkTarget {
	resource: CstarResource;
	action: BulkAction;
	teamPath: string;
}

export type BatchResult =
	| { kind: 'outcomes'; outcomes: IdOutcome[] }
	| { kind: 'fatal'; error: FatalRunError };

/** One call to POST /bulk for one planned batch, with an Idempotency-Key stable across its retries. */
export async function sendBatch(
	ctx: SendContext,
	target: BulkTarget,
	batch: PlannedBatch,
): Promise<BatchResult> {
	const body: Record<string, unknown> = {
		action: target.action,
		resource: target.resource,
		ids: batch.ids,
	};
	if (target.action === 'update') body.data = batch.data;
	const request: HttpRequest = {
		method: 'POST',
		path: `${target.teamPath}/bulk`,
		body,
		headers: { 'Idempotency-Key': idempotencyKey(ctx.runKey, batch.seq, body) },
	};
	const sent = await sendWithRetries<IdOutcome[]>(ctx, request, (response) => {
		const answer = interpretBulkAnswer(batch.ids, response.body);
		return answer.kind === 'outcomes' ? { value: answer.outcomes } : { unreadable: answer.detail };
	});
	if (sent.kind === 'done') return { kind: 'outcomes', outcomes: sent.value };
	if (sent.kind === 'fatal') return sent;
	const outcome: IdOutcome = { status: 'failed', ...sent.failure };
	return { kind: 'outcomes', outcomes: batch.ids.map(() => outcome) };
}

/** Same execution, node, batch and body → same key; anything else → a different key. */
export function idempotencyKey(runKey: string, seq: number, body: Record<string, unknown>): string {
	const digest = createHash('sha256')
		.update(`${runKey}\n${seq}\n${JSON.stringify(body)}`)
		.digest('hex');
	return `n8n-cstar-${digest.slice(0, 40)}`;
}
