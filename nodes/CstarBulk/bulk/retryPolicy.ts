/**
 * The one retry policy. Pure decisions only: sendBatch.ts does the waiting.
 * Backoff follows cStar's official SDK: 0.5 s doubling, capped at 8 s, plus up to 200 ms jitter.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8000;
export const BACKOFF_JITTER_MS = 200;
/** The SDK's wait when a 429 says nothing about when to come back. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
/** Sent a little after the advertised reset, so a clock a few ms apart does not cost a 429. */
export const RESET_MARGIN_MS = 50;

export type Headers = Record<string, unknown>;

export function backoffDelayMs(retryNumber: number, random: () => number = Math.random): number {
	const exponential = BACKOFF_BASE_MS * 2 ** Math.max(0, retryNumber - 1);
	return Math.min(exponential, BACKOFF_CAP_MS) + Math.floor(random() * BACKOFF_JITTER_MS);
}

/** What a response means for the call that got it. */
export type ResponseKind =
	| 'answered' // 2xx: read the body
	| 'rateLimited' // 429: wait as told, then send again
	| 'transient' // 5xx, or a 409 for a request still in flight: back off and send again
	| 'fatal' // the key, team or base URL is wrong: no later call can succeed
	| 'rejected'; // cStar refused this request: it was not applied, and sending it again won't help

export function classifyResponse(statusCode: number, body: unknown): ResponseKind {
	if (statusCode >= 200 && statusCode < 300) return 'answered';
	if (statusCode === 429) return 'rateLimited';
	if (statusCode >= 500) return 'transient';
	if (statusCode === 409 && errorCode(body) === 'idempotency_key_in_use') return 'transient';
	if (statusCode === 401 || statusCode === 403) return 'fatal';
	// A redirect or a 404 on these fixed paths means the base URL does not point at cStar's API.
	if (statusCode >= 300 && statusCode < 400) return 'fatal';
	if (statusCode === 404) return 'fatal';
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
	const header = headerValue(headers, 'retry-after');
	if (header !== undefined) {
		const seconds = Number(header);
		if (header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
		const date = Date.parse(header);
		if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
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

export interface RateLimitState {
	remaining?: number;
	resetAtMs?: number;
}

/** Reads X-RateLimit-Remaining and X-RateLimit-Reset (unix seconds) when cStar sends them. */
export function readRateLimitHeaders(headers: Headers): RateLimitState {
	const remaining = Number(headerValue(headers, 'x-ratelimit-remaining'));
	const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
	return {
		remaining:
			headerValue(headers, 'x-ratelimit-remaining') !== undefined && Number.isFinite(remaining)
				? remaining
				: undefined,
		resetAtMs:
			headerValue(headers, 'x-ratelimit-reset') !== undefined && Number.isFinite(reset)
				? reset * 1000
				: undefined,
	};
}

export function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()] ?? findHeader(headers, name);
	if (value === undefined || value === null) return undefined;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

function findHeader(headers: Headers, name: string): unknown {
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() === wanted) return headers[key];
	}
	return undefined;
}

export function errorObject(body: unknown): Record<string, unknown> | undefined {
	if (body === null || typeof body !== 'object') return undefined;
	const error = (body as Record<string, unknown>).error;
	return error !== null && typeof error === 'object'
		? (error as Record<string, unknown>)
		: undefined;
}

export function errorCode(body: unknown): string | undefined {
	const code = errorObject(body)?.code;
	return typeof code === 'string' ? code.toLowerCase() : undefined;
}
