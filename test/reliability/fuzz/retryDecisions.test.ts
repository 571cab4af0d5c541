import fc from 'fast-check';

import {
	BACKOFF_CAP_MS,
	BACKOFF_JITTER_MS,
	DEFAULT_RATE_LIMIT_WAIT_MS,
	backoffDelayMs,
	classifyNetworkError,
	classifyResponse,
	rateLimitWaitMs,
	readRateLimitHeaders,
} from '../../../nodes/CstarBulk/bulk/retryPolicy';
import { RUNS, fuzzSection } from './support';

const { check } = fuzzSection('fuzzRetryDecisions');

// Retry decisions

describe('retry decisions', () => {
	const headerValue = fc.oneof(
		fc.integer({ min: -10, max: 100_000 }).map(String),
		fc.double().map(String),
		fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
		fc.string({ maxLength: 12 }),
		fc.constantFrom('', ' ', '1e308', '0x10', 'NaN', 'Infinity', '-0'),
	);
	const headers = fc.oneof(
		fc.record(
			{
				'retry-after': headerValue,
				'x-ratelimit-remaining': headerValue,
				'x-ratelimit-reset': headerValue,
			},
			{ requiredKeys: [] },
		),
		fc.record(
			{
				'Retry-After': headerValue,
				'X-RateLimit-Remaining': fc.array(headerValue, { maxLength: 2 }),
			},
			{ requiredKeys: [] },
		),
	);
	const body = fc.oneof(
		fc.jsonValue({ maxDepth: 2 }),
		fc.record({
			error: fc.record(
				{
					retryAfter: fc.oneof(fc.double(), fc.jsonValue({ maxDepth: 0 })),
					retry_after: fc.oneof(fc.integer(), fc.jsonValue({ maxDepth: 0 })),
					message: fc.oneof(
						fc.string(),
						fc
							.double({ min: 0, max: 1e6, noNaN: true })
							.map((n) => `Rate limit exceeded. Try again in ${n} seconds.`),
					),
					code: fc.constantFrom('idempotency_key_in_use', 'idempotency_key_reused', 'x'),
				},
				{ requiredKeys: [] },
			),
		}),
	);
	const now = fc.integer({ min: 0, max: 4_102_444_800_000 });

	check(
		'retry decisions: classify, wait, back off',
		'any status 100-599 and body: 200/201 answered, other 2xx unconfirmed, 429 rate-limited, 5xx/408/423/425 transient, 413 too large, 401/403/3xx and a 404 without cStar\'s envelope (or route_not_found) fatal, 409 idempotency_key_in_use transient, other 4xx rejected; the 429 wait is never negative or NaN and follows Retry-After seconds, then an HTTP date, then the body, then the message, then 60 s; backoff is 0.5 s doubling to 8 s plus under 200 ms jitter; X-RateLimit-* never yield NaN (an absurd reset such as 1e308 s reads as Infinity, i.e. beyond any wait); network codes are "unreachable" only for the never-arrived set',
		RUNS.retryDecisions,
		fc.record({
			status: fc.integer({ min: 100, max: 599 }),
			headers,
			body,
			now,
			retry: fc.integer({ min: -5, max: 100 }),
			jitter: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
			code: fc.string(),
		}),
		(c) => {
			const kind = classifyResponse(c.status, c.body);
			const code = (c.body as { error?: { code?: unknown } } | null)?.error?.code;
			const expected =
				c.status === 200 || c.status === 201
					? 'answered'
					: c.status >= 200 && c.status < 300
						? 'unconfirmed'
						: c.status === 429
							? 'rateLimited'
							: c.status >= 500 ||
								  [408, 423, 425].includes(c.status) ||
								  (c.status === 409 && code === 'idempotency_key_in_use')
								? 'transient'
								: c.status === 413
									? 'tooLarge'
									: c.status === 401 ||
										  c.status === 403 ||
										  (c.status >= 300 && c.status < 400) ||
										  (c.status === 404 &&
												(typeof code !== 'string' || code.toLowerCase() === 'route_not_found'))
										? 'fatal'
										: 'rejected';
			expect(kind).toBe(expected);

			const wait = rateLimitWaitMs(c.headers, c.body, c.now);
			expect(Number.isNaN(wait)).toBe(false);
			expect(wait).toBeGreaterThanOrEqual(0);
			const retryAfter =
				(c.headers as Record<string, unknown>)['retry-after'] ??
				(c.headers as Record<string, unknown>)['Retry-After'];
			if (typeof retryAfter === 'string' && /^\d{1,6}$/.test(retryAfter))
				expect(wait).toBe(Number(retryAfter) * 1000);
			if (
				retryAfter === undefined &&
				(c.body === null || typeof c.body !== 'object' || !('error' in c.body))
			)
				expect(wait).toBe(DEFAULT_RATE_LIMIT_WAIT_MS);

			const delay = backoffDelayMs(c.retry, () => c.jitter);
			expect(delay).toBe(
				Math.min(500 * 2 ** Math.max(0, c.retry - 1), BACKOFF_CAP_MS) +
					Math.floor(c.jitter * BACKOFF_JITTER_MS),
			);
			expect(delay).toBeGreaterThanOrEqual(500);
			expect(delay).toBeLessThan(BACKOFF_CAP_MS + BACKOFF_JITTER_MS);

			const state = readRateLimitHeaders(c.headers, c.now);
			for (const value of [state.remaining, state.resetAtMs])
				if (value !== undefined) expect(Number.isNaN(value)).toBe(false);

			// Codes that say the request never reached cStar (wrong host, DNS, TLS), alphabetically.
			const never = [
				'EAI_AGAIN',
				'ECONNREFUSED',
				'EHOSTUNREACH',
				'ENETUNREACH',
				'ENOTFOUND',
				'EPROTO',
				'ERR_INVALID_URL',
			];
			expect(classifyNetworkError(c.code)).toBe(never.includes(c.code) ? 'unreachable' : 'lost');
			for (const known of never) expect(classifyNetworkError(known)).toBe('unreachable');
		},
	);
});

// ---------------------------------------------------------------------------------------------
