import fc from 'fast-check';

import { runPaced } from '../../support/pacedServer';
import { RUNS, fuzzSection } from './support';

const { checkAsync } = fuzzSection('fuzzPacer');

describe('RateLimitPacer', () => {
	checkAsync(
		'RateLimitPacer: no 429 when the headers give the budget, at any Parallel Requests',
		'a server allowing L calls per window (L at least Parallel Requests, counted on arrival, X-RateLimit-Remaining and -Reset on every answer) and 1 to 10 parallel senders with random latencies (some beyond the window): every call is sent, none is refused with a 429, and the run never stalls',
		RUNS.pacer,
		fc
			.record({
				parallel: fc.integer({ min: 1, max: 10 }),
				extra: fc.integer({ min: 0, max: 30 }),
				windowMs: fc.integer({ min: 500, max: 10_000 }),
				calls: fc.integer({ min: 1, max: 120 }),
				latencies: fc.array(fc.integer({ min: 0, max: 12_000 }), { minLength: 1, maxLength: 9 }),
			})
			.map((c) => ({ ...c, limit: c.parallel + c.extra })),
		async (c) => {
			const result = await runPaced(c);
			expect(result).toMatchObject({ sent: c.calls, refused: 0 });
		},
	);

	checkAsync(
		'RateLimitPacer: a cStar clock off ours by up to an hour',
		"as above, but the server's clock runs up to an hour ahead or behind (its Date header and X-RateLimit-Reset on that clock): every call is sent, none meets a 429, no wait is longer than the window (plus HTTP's one-second rounding), and the run never stalls",
		RUNS.pacer,
		fc
			.record({
				parallel: fc.integer({ min: 1, max: 10 }),
				extra: fc.integer({ min: 0, max: 30 }),
				windowMs: fc.integer({ min: 500, max: 10_000 }),
				calls: fc.integer({ min: 1, max: 120 }),
				latencies: fc.array(fc.integer({ min: 0, max: 12_000 }), { minLength: 1, maxLength: 9 }),
				skewMs: fc.integer({ min: -3_600_000, max: 3_600_000 }),
			})
			.map((c) => ({ ...c, limit: c.parallel + c.extra })),
		async (c) => {
			const result = await runPaced(c);
			expect(result).toMatchObject({ sent: c.calls, refused: 0 });
			expect(result.longestWaitMs).toBeLessThanOrEqual(c.windowMs + 2100);
		},
	);
});
