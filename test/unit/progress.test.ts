import type { HttpResponse } from '../../nodes/CstarBulk/bulk/http';
import { planBatches } from '../../nodes/CstarBulk/bulk/plan';
import {
	PROGRESS_INTERVAL_MS,
	ProgressTracker,
	formatDuration,
	sleepReporting,
	type ProgressWait,
} from '../../nodes/CstarBulk/bulk/progress';
import { RateLimitPacer } from '../../nodes/CstarBulk/bulk/rateLimitPacer';
import { runBatches } from '../../nodes/CstarBulk/bulk/runBatches';
import type { SendContext } from '../../nodes/CstarBulk/bulk/sendWithRetries';

/**
 * Event sequences of one run on a fake clock: which lines the tracker writes, when, and what they
 * say. The clock starts at 2026-12-05T10:00:00Z so end times read as wall-clock times.
 */
const START = Date.UTC(2026, 11, 5, 10, 0, 0);
const LABEL = 'Cstar Bulk "Update tickets" (execution 42)';

function tracked() {
	let clock = START;
	const lines: string[] = [];
	const tracker = new ProgressTracker({
		now: () => clock,
		log: (line) => lines.push(line),
		label: LABEL,
	});
	return {
		tracker,
		lines,
		/** Moves the clock on by `ms`. */
		advance: (ms: number) => (clock += ms),
		/** A sleep that moves the clock, as a real one takes time. */
		sleep: async (ms: number) => {
			clock += ms;
		},
		at: () => clock - START,
	};
}

const rateLimit = (untilMs: number): ProgressWait => ({ reason: 'rate limit', untilMs });

describe('progress lines of a run', () => {
	test('a run shorter than 30 s writes nothing, not even a last line', () => {
		const { tracker, lines, advance } = tracked();
		tracker.callsPlanned(3);
		for (let call = 0; call < 3; call++) {
			advance(9_000);
			tracker.callDone({ confirmed: 100, failed: 0 });
		}
		tracker.finish();
		expect(lines).toEqual([]);
	});

	test('calls answered every 10 s: a line on the first event 30 s after the last line, then a last line', () => {
		const { tracker, lines, advance } = tracked();
		tracker.callsPlanned(5);
		for (let call = 0; call < 5; call++) {
			advance(10_000);
			tracker.callDone({ confirmed: 98, failed: 2 });
		}
		tracker.finish();
		expect(lines).toEqual([
			`${LABEL}: sending, 3 of 5 calls done, 294 ids confirmed, 6 failed, after 30 s`,
			`${LABEL}: finished, 5 of 5 calls done, 490 ids confirmed, 10 failed, after 50 s`,
		]);
	});

	test('a 5-minute rate-limit wait, slept through sleepReporting: a line every 30 s naming the wait and its end', async () => {
		const { tracker, lines, sleep, advance } = tracked();
		tracker.callsPlanned(2);
		advance(1_000);
		tracker.callDone({ confirmed: 100, failed: 0 });
		const wait = rateLimit(START + 1_000 + 300_000);
		tracker.waitStarted(wait);
		await sleepReporting(sleep, 300_000, tracker);
		tracker.waitEnded(wait);
		advance(1_000);
		tracker.callDone({ confirmed: 100, failed: 0 });
		const totals = tracker.finish();

		expect(lines).toHaveLength(11);
		expect(lines[0]).toBe(
			`${LABEL}: sending, 1 of 2 calls done, 100 ids confirmed, 0 failed, after 30 s; waiting for cStar's rate limit until 2026-12-05T10:05:01Z (4 min 31 s left)`,
		);
		expect(lines[8]).toBe(
			`${LABEL}: sending, 1 of 2 calls done, 100 ids confirmed, 0 failed, after 4 min 30 s; waiting for cStar's rate limit until 2026-12-05T10:05:01Z (31 s left)`,
		);
		expect(lines[9]).toBe(
			`${LABEL}: sending, 1 of 2 calls done, 100 ids confirmed, 0 failed, after 5 min; waiting for cStar's rate limit until 2026-12-05T10:05:01Z (1 s left)`,
		);
		expect(lines[10]).toBe(
			`${LABEL}: finished, 2 of 2 calls done, 200 ids confirmed, 0 failed, after 5 min 2 s`,
		);
		expect(totals).toEqual({ rateLimitWaitMs: 300_000, callsPlanned: 2, callsDone: 2 });
	});

	test('sleepReporting sleeps in slices that end at each due line and add up to the wait', async () => {
		const { tracker, sleep } = tracked();
		const slices: number[] = [];
		await sleepReporting(
			async (ms) => {
				slices.push(ms);
				await sleep(ms);
			},
			75_000,
			tracker,
		);
		expect(slices).toEqual([30_000, 30_000, 15_000]);
	});

	test('without a tracker, sleepReporting sleeps once for the whole wait (as before)', async () => {
		const slices: number[] = [];
		await sleepReporting(async (ms) => void slices.push(ms), 75_000, undefined);
		expect(slices).toEqual([75_000]);
	});

	test('a backoff after a fault is named as such; the line shows the wait that ends last', () => {
		const { tracker, lines, advance } = tracked();
		tracker.callsPlanned(4);
		const backoff: ProgressWait = { reason: 'backoff after a fault', untilMs: START + 32_000 };
		const limit = rateLimit(START + 90_000);
		tracker.waitStarted(backoff);
		advance(30_000);
		tracker.tick();
		tracker.waitStarted(limit);
		advance(30_000);
		tracker.tick();
		tracker.waitEnded(limit);
		tracker.waitEnded(backoff);
		expect(lines).toEqual([
			`${LABEL}: sending, 0 of 4 calls done, 0 ids confirmed, 0 failed, after 30 s; waiting for a backoff after a fault until 2026-12-05T10:00:32Z (2 s left)`,
			`${LABEL}: sending, 0 of 4 calls done, 0 ids confirmed, 0 failed, after 1 min; waiting for cStar's rate limit until 2026-12-05T10:01:30Z (30 s left)`,
		]);
	});

	test('parallel rate-limit waits count once: the total is the time any call waited', () => {
		const { tracker, advance } = tracked();
		const first = rateLimit(START + 20_000);
		const second = rateLimit(START + 25_000);
		tracker.waitStarted(first);
		advance(5_000);
		tracker.waitStarted(second);
		advance(15_000);
		tracker.waitEnded(first);
		advance(5_000);
		tracker.waitEnded(second);
		advance(10_000);
		tracker.waitStarted({ reason: 'backoff after a fault', untilMs: START + 40_000 });
		advance(5_000);
		expect(tracker.finish().rateLimitWaitMs).toBe(25_000);
	});

	test('a phase (the team lookup, a search listing) names the lines; planned calls grow as pages are found', () => {
		const { tracker, lines, advance } = tracked();
		tracker.startPhase('listing records');
		tracker.callsPlanned(1);
		advance(20_000);
		tracker.callDone();
		tracker.callsPlanned(1);
		advance(15_000);
		tracker.callDone();
		tracker.startPhase('sending');
		tracker.callsPlanned(3);
		advance(35_000);
		tracker.callDone({ confirmed: 100, failed: 0 });
		expect(lines).toEqual([
			`${LABEL}: listing records, 2 of 2 calls done, 0 ids confirmed, 0 failed, after 35 s`,
			`${LABEL}: sending, 3 of 5 calls done, 100 ids confirmed, 0 failed, after 1 min 10 s`,
		]);
	});

	test('a run stopped mid-wait (a cancel, a fatal answer) still gets its last line, and nothing after', () => {
		const { tracker, lines, advance } = tracked();
		tracker.callsPlanned(10);
		tracker.waitStarted(rateLimit(START + 600_000));
		advance(45_000);
		expect(tracker.finish().rateLimitWaitMs).toBe(45_000);
		advance(30_000);
		tracker.tick();
		tracker.callDone();
		expect(lines).toEqual([
			`${LABEL}: finished, 0 of 10 calls done, 0 ids confirmed, 0 failed, after 45 s`,
		]);
	});

	test('msUntilNextLine is the time left to the next line, never below 1 ms', () => {
		const { tracker, advance } = tracked();
		expect(tracker.msUntilNextLine()).toBe(PROGRESS_INTERVAL_MS);
		advance(12_000);
		expect(tracker.msUntilNextLine()).toBe(18_000);
		advance(100_000);
		expect(tracker.msUntilNextLine()).toBe(1);
	});
});

describe('formatDuration', () => {
	test.each([
		[0, '0 s'],
		[12_400, '12 s'],
		[60_000, '1 min'],
		[250_000, '4 min 10 s'],
		[7_500_000, '2 h 5 min'],
	])('%i ms → %s', (ms, text) => {
		expect(formatDuration(ms)).toBe(text);
	});
});

describe('what the senders report', () => {
	/** Three bulk calls against a scripted cStar: a 429 asking for 40 s, then a 503 before one id fails. */
	function scriptedRun() {
		const { tracker, lines, sleep, at } = tracked();
		const ids = Array.from({ length: 250 }, (_, n) => `tkt_${n}`);
		const plan = planBatches([{ itemIndex: 0, ids }], { batchSize: 100, deduplicate: true });
		const answered = (sent: string[], failedIds: string[] = []): HttpResponse => ({
			statusCode: 200,
			headers: {},
			body: {
				success: true,
				data: {
					total: sent.length,
					succeeded: sent.length - failedIds.length,
					failed: failedIds.length,
					errors: failedIds.map((id) => ({ id, code: 'resource_missing', message: 'gone' })),
				},
			},
		});
		const script: Array<(sent: string[]) => HttpResponse> = [
			() => ({ statusCode: 429, headers: { 'retry-after': '40' }, body: {} }),
			(sent) => answered(sent),
			() => ({ statusCode: 503, headers: {}, body: {} }),
			(sent) => answered(sent),
			(sent) => answered(sent, [sent[0]]),
		];
		const waits: string[] = [];
		const waitStarted = tracker.waitStarted.bind(tracker);
		tracker.waitStarted = (wait) => {
			waits.push(`${wait.reason} for ${wait.untilMs - START - at()} ms`);
			waitStarted(wait);
		};
		const ctx: SendContext = {
			transport: async (request) => {
				const next = script.shift();
				if (!next) throw new Error('more requests than the script has answers');
				return next((request.body as { ids: string[] }).ids);
			},
			pacer: new RateLimitPacer(),
			settings: { maxRetries: 3, maxRateLimitWaitMs: 300_000 },
			connection: { baseUrl: 'https://cstar.test', teamId: 'team' },
			sleep,
			isCancelled: () => false,
			now: () => START + at(),
			random: () => 0,
			runKey: 'example',
			progress: tracker,
		};
		return { tracker, lines, plan, ctx, waits };
	}

	test('sendWithRetries names each wait and its end; runBatches plans the calls and counts each one’s ids', async () => {
		const { tracker, lines, plan, ctx, waits } = scriptedRun();
		const target = { resource: 'tickets' as const, action: 'delete' as const, teamPath: '/t' };
		const result = await runBatches(plan, target, ctx, 1);
		const totals = tracker.finish();

		expect(result.fatal).toBeUndefined();
		expect(waits).toEqual(['rate limit for 40000 ms', 'backoff after a fault for 500 ms']);
		expect(lines).toEqual([
			`${LABEL}: sending, 0 of 3 calls done, 0 ids confirmed, 0 failed, after 30 s; waiting for cStar's rate limit until 2026-12-05T10:00:40Z (10 s left)`,
			`${LABEL}: finished, 3 of 3 calls done, 249 ids confirmed, 1 failed, after 41 s`,
		]);
		expect(totals).toEqual({ rateLimitWaitMs: 40_000, callsPlanned: 3, callsDone: 3 });
	});
});
