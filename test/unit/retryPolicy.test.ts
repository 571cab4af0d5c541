import {
	BACKOFF_CAP_MS,
	DEFAULT_RATE_LIMIT_WAIT_MS,
	backoffDelayMs,
	classifyNetworkError,
	classifyResponse,
	rateLimitWaitMs,
	readRateLimitHeaders,
} from '../../nodes/CstarBulk/bulk/retryPolicy';

describe('backoffDelayMs', () => {
	it('doubles from 0.5 s and caps at 8 s, like the cStar SDK', () => {
		const noJitter = () => 0;
		expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n, noJitter))).toEqual([
			500, 1000, 2000, 4000, 8000, 8000, 8000,
		]);
	});

	it('adds up to 200 ms of jitter', () => {
		expect(backoffDelayMs(1, () => 0.999)).toBe(699);
		expect(backoffDelayMs(20, () => 0.5)).toBe(BACKOFF_CAP_MS + 100);
	});
});

describe('classifyResponse', () => {
	it.each([
		[200, {}, 'answered'],
		[429, {}, 'rateLimited'],
		[500, {}, 'transient'],
		[502, '<html>Bad gateway</html>', 'transient'],
		[503, {}, 'transient'],
		[409, { error: { code: 'idempotency_key_in_use' } }, 'transient'],
		[409, { error: { code: 'idempotency_key_reused' } }, 'rejected'],
		[401, {}, 'fatal'],
		[403, { error: { code: 'publishable_key_write' } }, 'fatal'],
		[301, '', 'fatal'],
		[404, '<html>Not found</html>', 'fatal'],
		[400, { error: { code: 'parameter_invalid' } }, 'rejected'],
		[422, {}, 'rejected'],
	])('%i %p is %s', (status, body, kind) => {
		expect(classifyResponse(status, body)).toBe(kind);
	});
});

describe('classifyNetworkError', () => {
	it('tells a request that never arrived from one whose answer was lost', () => {
		expect(classifyNetworkError('ECONNREFUSED')).toBe('unreachable');
		expect(classifyNetworkError('ENOTFOUND')).toBe('unreachable');
		expect(classifyNetworkError('ECONNRESET')).toBe('lost');
		expect(classifyNetworkError('ECONNABORTED')).toBe('lost');
		expect(classifyNetworkError('SOMETHING_NEW')).toBe('lost');
	});
});

describe('rateLimitWaitMs', () => {
	const now = Date.parse('2026-11-26T10:00:00Z');

	it('reads Retry-After in seconds', () => {
		expect(rateLimitWaitMs({ 'retry-after': '42' }, {}, now)).toBe(42_000);
	});

	it('reads Retry-After as an HTTP date', () => {
		expect(rateLimitWaitMs({ 'Retry-After': 'Thu, 26 Nov 2026 10:00:30 GMT' }, {}, now)).toBe(
			30_000,
		);
	});

	it('falls back to error.retryAfter, then the message, then 60 s', () => {
		expect(rateLimitWaitMs({}, { error: { retryAfter: 7 } }, now)).toBe(7000);
		expect(
			rateLimitWaitMs(
				{},
				{ error: { message: 'Rate limit exceeded. Try again in 13 seconds.' } },
				now,
			),
		).toBe(13_000);
		expect(rateLimitWaitMs({}, { error: { message: 'slow down' } }, now)).toBe(
			DEFAULT_RATE_LIMIT_WAIT_MS,
		);
		expect(rateLimitWaitMs({ 'retry-after': 'soon' }, 'not json', now)).toBe(
			DEFAULT_RATE_LIMIT_WAIT_MS,
		);
	});
});

describe('readRateLimitHeaders', () => {
	it('reads remaining and the reset time in unix seconds', () => {
		expect(
			readRateLimitHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }, 0),
		).toEqual({
			remaining: 0,
			resetAtMs: 1_700_000_000_000,
		});
		expect(readRateLimitHeaders({}, 0)).toEqual({ remaining: undefined, resetAtMs: undefined });
	});
});
