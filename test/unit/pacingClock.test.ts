import fc from 'fast-check';

import { RateLimitPacer, SAME_WINDOW_MS } from '../../nodes/CstarBulk/bulk/rateLimitPacer';
import { RESET_MARGIN_MS, readRateLimitHeaders } from '../../nodes/CstarBulk/bulk/retryPolicy';
import { sendWithRetries, type SendContext } from '../../nodes/CstarBulk/bulk/sendWithRetries';
import { runPaced } from '../support/pacedServer';

/**
 * Issue 19, rule 5: pacing is right under any clock. cStar's reset is read in cStar's own time
 * (its Date header against its reset), whatever unit it comes in and however far cStar's clock
 * is from ours; a reset a second older is the same window, and its lower Remaining is kept.
 */
const NOW = Date.UTC(2026, 11, 5, 9, 30, 0, 250);
const httpDate = (ms: number) => new Date(ms).toUTCString();

type Unit = 'epochSeconds' | 'epochMs' | 'secondsFromNow';

/** What cStar would send for a window ending `leftMs` from now, on a clock `skewMs` off ours. */
function answer(leftMs: number, skewMs: number, unit: Unit, round: (x: number) => number) {
	const serverNow = NOW + skewMs;
	const serverReset = serverNow + leftMs;
	const reset =
		unit === 'epochSeconds'
			? round(serverReset / 1000)
			: unit === 'epochMs'
				? serverReset
				: round(leftMs / 1000);
	return {
		'x-ratelimit-remaining': '0',
		'x-ratelimit-reset': String(reset),
		date: httpDate(serverNow),
	};
}

describe('readRateLimitHeaders: a reset is read in cStar’s own time', () => {
	it.each([
		['cStar 400 s ahead, window ends in 3 s', 400_000, 3000],
		['cStar 400 s behind, window ends in 3 s', -400_000, 3000],
		['cStar 7 min ahead, window ends in 59 s', 420_000, 59_000],
		['cStar 2 h behind, window ends in 10 s', -7_200_000, 10_000],
	])('%s: the reset lands about that far from now on our clock', (_, skewMs, leftMs) => {
		for (const unit of ['epochSeconds', 'epochMs', 'secondsFromNow'] as const) {
			const { resetAtMs } = readRateLimitHeaders(answer(leftMs, skewMs, unit, Math.ceil), NOW);
			expect(resetAtMs! - NOW).toBeGreaterThanOrEqual(leftMs - 1000);
			expect(resetAtMs! - NOW).toBeLessThanOrEqual(leftMs + 1000);
		}
	});

	it('any skew up to a day, any unit, any rounding: the wait is the true time left, within the second HTTP rounds to', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -86_400_000, max: 86_400_000 }),
				fc.integer({ min: 0, max: 3_600_000 }),
				fc.constantFrom<Unit>('epochSeconds', 'epochMs', 'secondsFromNow'),
				fc.constantFrom(Math.ceil, Math.floor, Math.round),
				(skewMs, leftMs, unit, round) => {
					const { resetAtMs } = readRateLimitHeaders(answer(leftMs, skewMs, unit, round), NOW);
					expect(Math.abs(resetAtMs! - NOW - leftMs)).toBeLessThanOrEqual(2000);
				},
			),
			{ seed: 19_5, numRuns: 2000 },
		);
	});

	it('without a Date header an epoch reset is read on our clock, as before', () => {
		const reset = Math.ceil((NOW + 30_000) / 1000);
		const { resetAtMs } = readRateLimitHeaders({ 'x-ratelimit-reset': String(reset) }, NOW);
		expect(resetAtMs).toBe(reset * 1000);
	});

	it('a Date header that is not an HTTP date is ignored', () => {
		const reset = Math.ceil((NOW + 30_000) / 1000);
		for (const date of ['yesterday', '-1', '']) {
			const { resetAtMs } = readRateLimitHeaders({ 'x-ratelimit-reset': String(reset), date }, NOW);
			expect(resetAtMs).toBe(reset * 1000);
		}
	});
});

describe('RateLimitPacer under a skewed clock', () => {
	it('cStar 400 s ahead, window ending in 3 s: the wait is about 3 s, not 404', () => {
		const pacer = new RateLimitPacer();
		pacer.reserve(NOW);
		pacer.settle(answer(3000, 400_000, 'epochSeconds', Math.ceil), NOW);
		const pace = pacer.reserve(NOW);
		if (pace.go || !('waitMs' in pace)) throw new Error('expected a wait for the reset');
		expect(pace.waitMs).toBeGreaterThanOrEqual(3000);
		expect(pace.waitMs).toBeLessThanOrEqual(4000 + RESET_MARGIN_MS);
	});

	it('cStar 400 s behind: the spent budget is still respected until the true reset', () => {
		const pacer = new RateLimitPacer();
		pacer.reserve(NOW);
		pacer.settle(answer(3000, -400_000, 'epochSeconds', Math.ceil), NOW);
		expect(pacer.reserve(NOW).go).toBe(false);
		expect(pacer.reserve(NOW + 4100).go).toBe(true);
	});

	it.each([
		['a second older', -1000],
		['a second newer', 1000],
		['within the same-window tolerance', -SAME_WINDOW_MS],
	])(
		'an answer whose reset looks %s is the same window: its lower Remaining is kept',
		(_, shiftMs) => {
			const pacer = new RateLimitPacer();
			const reset = Math.ceil((NOW + 20_000) / 1000) * 1000;
			for (let call = 0; call < 2; call++) pacer.reserve(NOW);
			pacer.settle(
				{ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': String(reset / 1000) },
				NOW,
			);
			const lower = {
				'x-ratelimit-remaining': '0',
				'x-ratelimit-reset': String((reset + shiftMs) / 1000),
			};
			pacer.settle(lower, NOW);
			expect(pacer.reserve(NOW).go).toBe(false);
		},
	);

	it('generated: parallel senders under any skew and per-answer rounding never wait past the window, and with cStar’s documented rounding (up) never meet a 429', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					parallel: fc.integer({ min: 1, max: 6 }),
					extra: fc.integer({ min: 0, max: 10 }),
					windowMs: fc.integer({ min: 1000, max: 8000 }),
					calls: fc.integer({ min: 1, max: 60 }),
					latencies: fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 5 }),
					skewMs: fc.integer({ min: -1_800_000, max: 1_800_000 }),
					roundings: fc.array(fc.constantFrom<'ceil' | 'floor'>('ceil', 'floor'), {
						minLength: 1,
						maxLength: 4,
					}),
				}),
				async (c) => {
					const run = { ...c, limit: c.parallel + c.extra };
					const result = await runPaced(run);
					expect(result.sent).toBe(c.calls);
					expect(result.longestWaitMs).toBeLessThanOrEqual(c.windowMs + 2000 + RESET_MARGIN_MS);
					const ceilOnly = await runPaced({ ...run, roundings: ['ceil'] });
					expect(ceilOnly).toMatchObject({ sent: c.calls, refused: 0 });
				},
			),
			{ seed: 19_5, numRuns: 150 },
		);
	});
});

describe('a pacer wait past Max Rate Limit Wait is not a 429', () => {
	function call(answers: Array<{ statusCode: number; headers: Record<string, string> }>) {
		const pacer = new RateLimitPacer();
		const requests: unknown[] = [];
		const ctx: SendContext = {
			transport: async (request) => {
				requests.push(request);
				return { ...answers.shift()!, body: { data: 'done' } };
			},
			pacer,
			settings: { maxRetries: 3, maxRateLimitWaitMs: 60_000 },
			connection: { baseUrl: 'https://cstar.test', teamId: 'team' },
			sleep: async () => undefined,
			isCancelled: () => false,
			now: () => NOW,
			random: () => 0,
			runKey: 'rule5',
		};
		const send = async () =>
			await sendWithRetries(ctx, { method: 'POST', path: '/bulk' }, (r) => ({ value: r.body }));
		return { pacer, requests, send };
	}

	it.each([
		['epoch seconds, cStar on our clock', answer(400_000, 0, 'epochSeconds', Math.ceil)],
		['epoch ms, cStar 5 min ahead', answer(400_000, 300_000, 'epochMs', Math.ceil)],
		[
			'seconds from now, no Date header',
			{ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '400' },
		],
	])(
		'%s: the budget is spent for 400 s, so the next call fails saying what the headers said, with no HTTP status',
		async (_, headers) => {
			const run = call([{ statusCode: 200, headers }]);
			expect(await run.send()).toMatchObject({ kind: 'done' });
			const sent = await run.send();
			expect(run.requests).toHaveLength(1);
			if (sent.kind !== 'failed') throw new Error(`expected a failure, got ${sent.kind}`);
			expect(sent.failure.code).toBe('rate_limited');
			expect(sent.failure.httpStatus).toBeUndefined();
			expect(sent.failure.message).toMatch(/^Not sent: /);
			expect(sent.failure.message).toMatch(/headers said 0 requests remain/);
			expect(sent.failure.message).toMatch(/resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
			expect(sent.failure.message).not.toMatch(/429/);
		},
	);

	it('a real 429 asking for 400 s still says so, with httpStatus 429', async () => {
		const run = call([{ statusCode: 429, headers: { 'retry-after': '400' } }]);
		const sent = await run.send();
		if (sent.kind !== 'failed') throw new Error(`expected a failure, got ${sent.kind}`);
		expect(sent.failure).toMatchObject({ code: 'rate_limited', httpStatus: 429 });
	});
});
