import { RateLimitPacer } from '../../nodes/CstarBulk/bulk/rateLimitPacer';
import { RESET_MARGIN_MS } from '../../nodes/CstarBulk/bulk/retryPolicy';

describe('RateLimitPacer', () => {
	const resetAt = 1_700_000_100;
	const headers = (remaining: number) => ({
		'x-ratelimit-remaining': String(remaining),
		'x-ratelimit-reset': String(resetAt),
	});
	const now = resetAt * 1000 - 10_000;

	it('lets calls go while cStar has not said anything', () => {
		expect(new RateLimitPacer().reserve(now)).toBe(0);
	});

	it('counts down the advertised budget and then waits for the reset', () => {
		const pacer = new RateLimitPacer();
		pacer.observe(headers(2));
		expect(pacer.reserve(now)).toBe(0);
		expect(pacer.reserve(now)).toBe(0);
		expect(pacer.reserve(now)).toBe(10_000 + RESET_MARGIN_MS);
		expect(pacer.reserve(resetAt * 1000)).toBe(0);
	});

	it('keeps the lowest count within one window when answers arrive out of order', () => {
		const pacer = new RateLimitPacer();
		pacer.observe(headers(5));
		pacer.observe(headers(1));
		pacer.observe(headers(3));
		expect(pacer.reserve(now)).toBe(0);
		expect(pacer.reserve(now)).toBeGreaterThan(0);
	});
});
