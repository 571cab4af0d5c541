import { RateLimitPacer, type Pace } from '../../nodes/CstarBulk/bulk/rateLimitPacer';
import { RESET_MARGIN_MS } from '../../nodes/CstarBulk/bulk/retryPolicy';
import { runPaced } from '../support/pacedServer';

describe('RateLimitPacer', () => {
	const resetAt = 1_700_000_100;
	const headers = (remaining: number) => ({
		'x-ratelimit-remaining': String(remaining),
		'x-ratelimit-reset': String(resetAt),
	});
	const now = resetAt * 1000 - 10_000;
	const go: Pace = { go: true };

	it('lets calls go while cStar has not said anything', () => {
		expect(new RateLimitPacer().reserve(now)).toEqual(go);
	});

	it('counts down the advertised budget and then waits for the reset', () => {
		const pacer = new RateLimitPacer();
		pacer.reserve(now);
		pacer.settle(headers(2), now);
		expect(pacer.reserve(now)).toEqual(go);
		pacer.settle(undefined, now);
		expect(pacer.reserve(now)).toEqual(go);
		pacer.settle(undefined, now);
		expect(pacer.reserve(now)).toMatchObject({ go: false, waitMs: 10_000 + RESET_MARGIN_MS });
		expect(pacer.reserve(resetAt * 1000)).toEqual(go);
	});

	it('subtracts calls still under way from an answer’s remaining count', () => {
		const pacer = new RateLimitPacer();
		for (let call = 0; call < 4; call++) expect(pacer.reserve(now)).toEqual(go);
		// The first answer says 3 are left, but 3 more calls are under way: nothing is left.
		pacer.settle(headers(3), now);
		const pace = pacer.reserve(now);
		expect(pace.go).toBe(false);
		expect('answer' in pace).toBe(true);
	});

	it('when the budget is spent but calls are under way, waits for their answers first', async () => {
		const pacer = new RateLimitPacer();
		pacer.reserve(now);
		pacer.reserve(now);
		pacer.settle(headers(1), now);
		const pace = pacer.reserve(now);
		if (pace.go || !('answer' in pace)) throw new Error('expected to wait for an answer');
		let woke = false;
		void pace.answer.then(() => (woke = true));
		await Promise.resolve();
		expect(woke).toBe(false);
		// That call's answer says 5 are left (the window turned over): the next call may go.
		pacer.settle({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': String(resetAt + 60) }, now);
		await pace.answer;
		expect(pacer.reserve(now)).toEqual(go);
	});

	it('keeps the lowest count within one window when answers arrive out of order', () => {
		const pacer = new RateLimitPacer();
		for (let call = 0; call < 4; call++) pacer.reserve(now);
		pacer.settle(headers(5), now); // 5 left, 3 still under way: 2
		pacer.settle(headers(1), now); // 1 left, 2 still under way: nothing left
		const pace = pacer.reserve(now);
		expect(pace.go === false && 'answer' in pace).toBe(true);
		pacer.settle(headers(3), now); // a stale, higher count: 1 left, 1 under way
		expect(pacer.reserve(now).go).toBe(false);
	});

	it('once every call is answered, the lowest count is exact: no call of the window is wasted', () => {
		const pacer = new RateLimitPacer();
		pacer.reserve(now);
		pacer.reserve(now);
		// cStar counted both (8 left), but the second call's answer comes first.
		pacer.settle(headers(8), now);
		pacer.settle(headers(9), now);
		for (let call = 0; call < 8; call++) {
			expect(pacer.reserve(now)).toEqual(go);
			pacer.settle(headers(7 - call), now);
		}
		expect(pacer.reserve(now)).toMatchObject({ go: false, waitMs: 10_000 + RESET_MARGIN_MS });
	});

	it('counts a call that got no answer as spent: cStar may have counted it', () => {
		const pacer = new RateLimitPacer();
		pacer.reserve(now);
		pacer.reserve(now);
		pacer.settle(headers(1), now); // 1 left, 1 under way
		pacer.settle(undefined, now); // that one reset: assume counted
		expect(pacer.reserve(now)).toMatchObject({ go: false, waitMs: 10_000 + RESET_MARGIN_MS });
	});

	it('reads X-RateLimit-Reset in epoch milliseconds and in seconds from now', () => {
		for (const reset of [String(resetAt * 1000), '10']) {
			const pacer = new RateLimitPacer();
			pacer.reserve(now);
			pacer.settle({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now);
			expect(pacer.reserve(now)).toMatchObject({ go: false, waitMs: 10_000 + RESET_MARGIN_MS });
		}
	});

	it.each([1, 4, 10])(
		'Parallel Requests %i against a server allowing 20 calls per 6 s: 150 calls, no 429',
		async (parallel) => {
			const result = await runPaced({
				limit: 20,
				windowMs: 6000,
				parallel,
				calls: 150,
				latencies: [40, 5, 120, 60, 15, 300, 80],
			});
			expect(result).toMatchObject({ sent: 150, refused: 0 });
		},
	);
});
