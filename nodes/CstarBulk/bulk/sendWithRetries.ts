import {
	answeredWithoutConfirmation,
	cancelled,
	fatalFromResponse,
	fatalUnreachable,
	gaveUpAfterTransientFailures,
	rateLimitBudgetSpent,
	rateLimitWaitTooLong,
	refusedAfterLostTry,
	rejectedRequest,
	unreadableAnswer,
	type ConnectionInfo,
	type FatalRunError,
} from './errors';
import { isNetworkFailure, type HttpRequest, type HttpResponse, type Transport } from './http';
import { sleepReporting, type RunProgress, type WaitReason } from './progress';
import type { RateLimitPacer, SpentBudget } from './rateLimitPacer';
import {
	backoffDelayMs,
	classifyNetworkError,
	classifyResponse,
	rateLimitWaitMs,
} from './retryPolicy';
import type { IdFailure } from './types';

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
	/** Told about waits, so a long run can log how far it is (bulk/progress.ts). */
	progress?: RunProgress;
}

export type Sent<T> =
	| { kind: 'done'; value: T }
	| { kind: 'failed'; failure: IdFailure }
	/** 413: the call must be made smaller; nothing in it was applied. */
	| { kind: 'tooLarge'; body: unknown }
	/** `unconfirmed`: an earlier try may have reached cStar, so this call's ids may have changed. */
	| { kind: 'fatal'; error: FatalRunError; unconfirmed?: IdFailure };

/**
 * What a caller makes of a 200/201 answer: a value, a reason to ask again, or cStar's refusal
 * (for example a 200 with success:false).
 */
export type ReadAnswer<T> = (
	response: HttpResponse,
) => { value: T } | { unreadable: string } | { refused: IdFailure };

/**
 * What to do after one try: stop with a result, back off and resend, or wait for the rate limit.
 * A wait carries `spent` when the pacer asked for it (the headers said the budget is spent), and
 * none when a 429 did.
 */
type Next<T> =
	| { act: 'stop'; sent: Sent<T> }
	| { act: 'backoff' }
	| { act: 'wait'; ms: number; spent?: SpentBudget };

/** The state of one call across its tries. */
interface Attempts {
	retries: number;
	rateLimitWaitedMs: number;
	/** An earlier try may have reached cStar, so a failure now must not say "not sent". */
	mayHaveArrived: boolean;
}

/**
 * Sends one request until it is answered, owning every retry and wait: backoff on network
 * failures, 5xx and unreadable answers; Retry-After on 429; pacing on X-RateLimit-*.
 * Each turn of the loop: pace → send → classify → act.
 */
export async function sendWithRetries<T>(
	ctx: SendContext,
	request: HttpRequest,
	read: ReadAnswer<T>,
): Promise<Sent<T>> {
	const attempts: Attempts = { retries: 0, rateLimitWaitedMs: 0, mayHaveArrived: false };
	const stopCancelled = (): Sent<T> => failed(cancelled(attempts.mayHaveArrived));
	for (;;) {
		if (ctx.isCancelled()) return stopCancelled();
		const pace = ctx.pacer.reserve(ctx.now());
		if (!pace.go && 'answer' in pace) {
			await pace.answer;
			continue;
		}
		let next: Next<T>;
		if (!pace.go) {
			next = { act: 'wait', ms: pace.waitMs, spent: pace.spent };
		} else {
			const response = await ctx.transport(request);
			const answered = !isNetworkFailure(response);
			ctx.pacer.settle(answered ? response.headers : undefined, ctx.now());
			next = answered
				? afterResponse(ctx, attempts, response, read)
				: afterNetworkFailure<T>(ctx, attempts, response.networkCode);
		}
		if (next.act === 'stop') return next.sent;
		if (next.act === 'wait') {
			const stop = rateLimitBudgetExceeded<T>(ctx, attempts, next);
			if (stop) return stop;
			attempts.rateLimitWaitedMs += next.ms;
		} else {
			attempts.retries++;
		}
		const ms = next.act === 'wait' ? next.ms : backoffDelayMs(attempts.retries, ctx.random);
		const reason: WaitReason = next.act === 'wait' ? 'rate limit' : 'backoff after a fault';
		if (!(await waitFor(ctx, ms, reason))) return stopCancelled();
	}
}

/** No HTTP answer: retry while retries last; then a never-arrived failure stops the run. */
function afterNetworkFailure<T>(ctx: SendContext, attempts: Attempts, code: string): Next<T> {
	if (ctx.isCancelled()) return { act: 'stop', sent: failed(cancelled(true)) };
	const unreachable = classifyNetworkError(code) === 'unreachable';
	attempts.mayHaveArrived = attempts.mayHaveArrived || !unreachable;
	if (attempts.retries < ctx.settings.maxRetries) return { act: 'backoff' };
	const tries = attempts.retries + 1;
	if (unreachable && !attempts.mayHaveArrived) {
		return {
			act: 'stop',
			sent: { kind: 'fatal', error: fatalUnreachable(code, tries, ctx.connection) },
		};
	}
	return { act: 'stop', sent: failed(gaveUpAfterTransientFailures(undefined, code, tries)) };
}

function afterResponse<T>(
	ctx: SendContext,
	attempts: Attempts,
	response: HttpResponse,
	read: ReadAnswer<T>,
): Next<T> {
	const kind = classifyResponse(response.statusCode, response.body);
	const earlierMayHaveArrived = attempts.mayHaveArrived;
	// cStar refuses a rate-limited call before acting on it; after any other answer it may have.
	if (kind !== 'rateLimited') attempts.mayHaveArrived = true;
	const refused = (failure: IdFailure): Next<T> => ({
		act: 'stop',
		sent: failed(earlierMayHaveArrived ? refusedAfterLostTry(failure) : failure),
	});
	const { statusCode, body, headers } = response;
	const outOfRetries = attempts.retries >= ctx.settings.maxRetries;
	const tries = attempts.retries + 1;
	switch (kind) {
		case 'answered': {
			const answer = read(response);
			if ('value' in answer) return { act: 'stop', sent: { kind: 'done', value: answer.value } };
			if ('refused' in answer) return refused(answer.refused);
			if (outOfRetries)
				return { act: 'stop', sent: failed(unreadableAnswer(answer.unreadable, tries)) };
			return { act: 'backoff' };
		}
		case 'unconfirmed':
			return { act: 'stop', sent: failed(answeredWithoutConfirmation(statusCode, body)) };
		case 'rateLimited': {
			const askedMs = rateLimitWaitMs(headers, body, ctx.now());
			return { act: 'wait', ms: Math.max(askedMs, MIN_RATE_LIMIT_WAIT_MS) };
		}
		// The resend carries the same body, so the first try was too large too: nothing was applied.
		case 'tooLarge':
			return { act: 'stop', sent: { kind: 'tooLarge', body } };
		case 'fatal': {
			const error = fatalFromResponse(statusCode, body, headers, ctx.connection);
			const unconfirmed = earlierMayHaveArrived
				? refusedAfterLostTry({ code: error.code, message: error.message, httpStatus: statusCode })
				: undefined;
			return { act: 'stop', sent: { kind: 'fatal', error, unconfirmed } };
		}
		case 'rejected':
			return refused(rejectedRequest(statusCode, body));
		default:
			if (outOfRetries) {
				const failure = gaveUpAfterTransientFailures(statusCode, undefined, tries);
				return { act: 'stop', sent: failed(failure) };
			}
			return { act: 'backoff' };
	}
}

function rateLimitBudgetExceeded<T>(
	ctx: SendContext,
	attempts: Attempts,
	{ ms, spent }: { ms: number; spent?: SpentBudget },
): Sent<T> | undefined {
	const max = ctx.settings.maxRateLimitWaitMs;
	if (attempts.rateLimitWaitedMs + ms <= max) return undefined;
	return failed(
		spent
			? rateLimitBudgetSpent(ms, max, spent, attempts.mayHaveArrived)
			: rateLimitWaitTooLong(ms, max, attempts.mayHaveArrived),
	);
}

async function waitFor(ctx: SendContext, ms: number, reason: WaitReason): Promise<boolean> {
	const wait = { reason, untilMs: ctx.now() + ms };
	ctx.progress?.waitStarted(wait);
	try {
		await sleepReporting(ctx.sleep, ms, ctx.progress);
		return true;
	} catch {
		return false;
	} finally {
		ctx.progress?.waitEnded(wait);
	}
}

function failed<T>(failure: IdFailure): Sent<T> {
	return { kind: 'failed', failure };
}
