import { errorCode, errorObject, headerValue, type Headers } from './responseReaders';

/**
 * The one retry policy. Pure decisions only: sendWithRetries.ts does the waiting.
 * Backoff follows cStar's official SDK: 0.5 s doubling, capped at 8 s, plus up to 200 ms jitter.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8000;
export const BACKOFF_JITTER_MS = 200;
/** The SDK's wait when a 429 says nothing about when to come back. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
/** Sent a little after the advertised reset, so a clock a few ms apart does not cost a 429. */
export const RESET_MARGIN_MS = 50;

export function backoffDelayMs(retryNumber: number, random: () => number = Math.random): number {
	const exponential = BACKOFF_BASE_MS * 2 ** Math.max(0, retryNumber - 1);
	return Math.min(exponential, BACKOFF_CAP_MS) + Math.floor(random() * BACKOFF_JITTER_MS);
}

/** What a response means for the call that got it. */
export type ResponseKind =
	| 'answered' // 200/201: read the body; only a bulk result in it confirms anything
	| 'unconfirmed' // any other 2xx (202 queued, 204 empty, 207 partial ...): no confirmation
	| 'rateLimited' // 429: wait as told, then send again
	| 'transient' // 5xx, 408, 423, 425, or a 409 for a request still in flight: back off, send again
	| 'tooLarge' // 413: the call is too big; send it in smaller parts
	| 'fatal' // the key, team or base URL is wrong: no later call can succeed
	| 'rejected'; // cStar refused this request: it was not applied, and sending it again won't help

/** 408 Request Timeout, 423 Locked and 425 Too Early say "not now", not "never". */
const TRANSIENT_4XX = new Set([408, 423, 425]);

export function classifyResponse(statusCode: number, body: unknown): ResponseKind {
	if (statusCode === 200 || statusCode === 201) return 'answered';
	if (statusCode >= 200 && statusCode < 300) return 'unconfirmed';
	if (statusCode === 429) return 'rateLimited';
	if (statusCode >= 500 || TRANSIENT_4XX.has(statusCode)) return 'transient';
	if (statusCode === 409 && errorCode(body) === 'idempotency_key_in_use') return 'transient';
	if (statusCode === 413) return 'tooLarge';
	if (statusCode === 401 || statusCode === 403) return 'fatal';
	// A redirect, or a 404 that is not cStar's envelope about a record, means the base URL (or
	// team) does not point at cStar's API; a 404 carrying cStar's own code is cStar speaking.
	if (statusCode >= 300 && statusCode < 400) return 'fatal';
	if (statusCode === 404) {
		const code = errorCode(body);
		return code === undefined || code === 'route_not_found' ? 'fatal' : 'rejected';
	}
	return 'rejected';
}

/**
 * Failures after which cStar surely never saw the request: a wrong host or port, DNS or TLS.
 * If they outlast the retries, no later call can work either, so the run stops.
 */
const NEVER_ARRIVED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_INVALID_URL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'EPROTO',
]);

/**
 * 'unreachable': the request never left or never arrived. 'lost': it may have been applied and
 * only the answer is missing (reset, timeout), so only idempotent replay can tell.
 * Both are retried; the Idempotency-Key makes that safe.
 */
export function classifyNetworkError(code: string): 'unreachable' | 'lost' {
	return NEVER_ARRIVED_CODES.has(code) ? 'unreachable' : 'lost';
}

/**
 * How long a 429 asks us to wait: the Retry-After header (seconds or an HTTP date), else the
 * body's error.retryAfter, else the "Try again in N seconds" message, else the SDK's 60 s.
 */
export function rateLimitWaitMs(headers: Headers, body: unknown, nowMs: number): number {
	const header = headerValue(headers, 'retry-after')?.trim();
	if (header !== undefined && header !== '') {
		const seconds = Number(header);
		if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
		// Only an HTTP date (it starts with the weekday) is read as one: Date.parse takes "-1" too.
		const date = HTTP_DATE.test(header) ? Date.parse(header) : Number.NaN;
		if (!Number.isNaN(date)) return Math.max(0, date - (serverNowMs(headers) ?? nowMs));
	}
	const error = errorObject(body);
	const bodySeconds = Number(error?.retryAfter ?? error?.retry_after);
	if (error && Number.isFinite(bodySeconds) && bodySeconds >= 0 && error.retryAfter !== null) {
		return bodySeconds * 1000;
	}
	const match = /try again in (\d+(?:\.\d+)?) ?s/i.exec(String(error?.message ?? ''));
	if (match) return Number(match[1]) * 1000;
	return DEFAULT_RATE_LIMIT_WAIT_MS;
}

const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i;

export interface RateLimitState {
	remaining?: number;
	resetAtMs?: number;
}

/** Below this a reset is seconds from now; below EPOCH_MS_FROM, epoch seconds; above, epoch ms. */
const EPOCH_SECONDS_FROM = 1e9;
const EPOCH_MS_FROM = 1e12;

/**
 * Reads X-RateLimit-Remaining and X-RateLimit-Reset when cStar sends them. The reset may come as
 * epoch seconds (cStar's documented form), epoch milliseconds or seconds from now. An epoch reset is
 * read in cStar's own time: its distance from the answer's Date header, counted from `nowMs` (when
 * the answer arrived), so a server clock minutes off ours neither stretches nor cuts the wait.
 * Without a Date header the reset is read on our clock.
 */
export function readRateLimitHeaders(headers: Headers, nowMs: number): RateLimitState {
	const remainingText = headerValue(headers, 'x-ratelimit-remaining');
	const resetText = headerValue(headers, 'x-ratelimit-reset');
	const remaining = Number(remainingText);
	const reset = Number(resetText);
	return {
		remaining: remainingText !== undefined && Number.isFinite(remaining) ? remaining : undefined,
		resetAtMs:
			resetText !== undefined && resetText.trim() !== '' && Number.isFinite(reset)
				? resetAtMsOf(reset, nowMs, serverNowMs(headers))
				: undefined,
	};
}

function resetAtMsOf(reset: number, nowMs: number, serverNow: number | undefined): number {
	if (reset < EPOCH_SECONDS_FROM) return nowMs + Math.max(0, reset) * 1000;
	const resetMs = reset >= EPOCH_MS_FROM ? reset : reset * 1000;
	if (serverNow === undefined) return resetMs;
	return nowMs + Math.max(0, resetMs - serverNow);
}

/** cStar's clock when it answered, from the Date header (HTTP date, second precision). */
function serverNowMs(headers: Headers): number | undefined {
	const date = headerValue(headers, 'date')?.trim();
	if (date === undefined || !HTTP_DATE.test(date)) return undefined;
	const ms = Date.parse(date);
	return Number.isNaN(ms) ? undefined : ms;
}
