import { RateLimitPacer } from '../../nodes/CstarBulk/bulk/rateLimitPacer';

/**
 * A rate-limited server and `parallel` senders sharing one RateLimitPacer, in simulated time:
 * the server counts each call when it arrives (L per fixed window) and answers after its latency
 * with X-RateLimit-Remaining and X-RateLimit-Reset (epoch seconds). With `skewMs` the server's
 * clock runs that far ahead of the senders' (negative: behind) and each answer carries a Date
 * header (second precision, as HTTP has it). Returns what the server saw, and the longest single
 * wait the pacer asked for.
 */
export interface PacedRun {
	limit: number;
	windowMs: number;
	parallel: number;
	calls: number;
	/** Latency of the k-th call sent, in ms (cycled). */
	latencies: number[];
	skewMs?: number;
	/** How the k-th answer rounds its reset to seconds (cycled); default ceil. */
	roundings?: Array<'ceil' | 'floor'>;
}

export async function runPaced(
	run: PacedRun,
): Promise<{ sent: number; refused: number; longestWaitMs: number }> {
	const pacer = new RateLimitPacer();
	let clock = 1_800_000_000_000;
	const timers: Array<{ at: number; wake: () => void }> = [];
	const sleep = async (ms: number) =>
		await new Promise<void>((wake) => timers.push({ at: clock + Math.max(0, ms), wake }));
	let windowStart = clock;
	let counted = 0;
	let sent = 0;
	let refused = 0;
	let left = run.calls;
	let longestWaitMs = 0;
	const skew = run.skewMs ?? 0;
	const roundings = run.roundings ?? ['ceil'];

	const sender = async () => {
		while (left > 0) {
			const pace = pacer.reserve(clock);
			if (!pace.go) {
				if ('answer' in pace) await pace.answer;
				else {
					longestWaitMs = Math.max(longestWaitMs, pace.waitMs);
					await sleep(pace.waitMs);
				}
				continue;
			}
			left--;
			if (clock >= windowStart + run.windowMs) {
				windowStart += Math.floor((clock - windowStart) / run.windowMs) * run.windowMs;
				counted = 0;
			}
			const ok = counted < run.limit;
			counted++;
			if (ok) sent++;
			else refused++;
			const answer = sent + refused;
			const remaining = String(Math.max(0, run.limit - counted));
			const round = roundings[answer % roundings.length] === 'floor' ? Math.floor : Math.ceil;
			const reset = String(round((windowStart + run.windowMs + skew) / 1000));
			await sleep(run.latencies[answer % run.latencies.length]);
			const headers: Record<string, string> = {
				'x-ratelimit-remaining': remaining,
				'x-ratelimit-reset': reset,
			};
			if (run.skewMs !== undefined) headers.date = new Date(clock + skew).toUTCString();
			pacer.settle(headers, clock);
			if (!ok) left++;
		}
	};
	const done = Promise.all(Array.from({ length: run.parallel }, sender));
	let finished = false;
	void done.then(() => (finished = true));
	for (let turns = 0; !finished; turns++) {
		if (turns > 1_000_000) throw new Error('the senders never finished');
		// Let every sender woken last turn run up to its next wait (all of it is promise work).
		for (let tick = 0; tick < 50; tick++) await Promise.resolve();
		if (finished || timers.length === 0) continue;
		timers.sort((a, b) => a.at - b.at);
		const next = timers.shift()!;
		clock = Math.max(clock, next.at);
		next.wake();
	}
	return { sent, refused, longestWaitMs };
}
