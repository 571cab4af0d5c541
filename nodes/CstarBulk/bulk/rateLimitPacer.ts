import type { Headers } from './responseReaders';
import { RESET_MARGIN_MS, readRateLimitHeaders } from './retryPolicy';

/** What a call must do before it is sent. */
export type Pace =
	| { go: true }
	| { go: false; waitMs: number }
	/** The budget is spent, but calls under way may show it is not (or open a new window). */
	| { go: false; answer: Promise<void> };

/**
 * Shared by all parallel senders of one run. Within one window cStar's count only goes down, so the
 * lowest remaining count of any answer counts every call answered so far; only calls still under way
 * may be missing from it. Budget = lowest count − calls under way: never more than cStar has left,
 * and exact once every call is answered. When it is spent the next call waits (for the answers of
 * calls under way, then for X-RateLimit-Reset) instead of spending a request on a 429.
 */
export class RateLimitPacer {
	/** The lowest remaining count of this window's answers; undefined until an answer tells it. */
	private lowestRemaining: number | undefined;

	private resetAtMs: number | undefined;

	/** Calls sent and not yet answered: cStar may not have counted them in the lowest count. */
	private inFlight = 0;

	private waiters: Array<() => void> = [];

	/** Whether the next call may go now; when it may, it is counted as under way. */
	reserve(nowMs: number): Pace {
		if (this.resetAtMs !== undefined && nowMs >= this.resetAtMs) {
			this.lowestRemaining = undefined;
			this.resetAtMs = undefined;
		}
		if (this.lowestRemaining !== undefined && this.lowestRemaining - this.inFlight <= 0) {
			if (this.inFlight > 0) return { go: false, answer: this.nextAnswer() };
			if (this.resetAtMs !== undefined) {
				return { go: false, waitMs: this.resetAtMs - nowMs + RESET_MARGIN_MS };
			}
		}
		this.inFlight++;
		return { go: true };
	}

	/** A call counted by reserve() ended: with an answer's headers, or with none (network failure). */
	settle(headers: Headers | undefined, nowMs: number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (headers !== undefined) this.adopt(headers, nowMs);
		// A call without an answer may still have been counted by cStar: assume it was.
		else if (this.lowestRemaining !== undefined) this.lowestRemaining--;
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	private adopt(headers: Headers, nowMs: number): void {
		const { remaining, resetAtMs } = readRateLimitHeaders(headers, nowMs);
		if (remaining === undefined) return;
		// An answer from a window already over tells nothing about this one.
		if (resetAtMs !== undefined && this.resetAtMs !== undefined && resetAtMs < this.resetAtMs)
			return;
		const sameWindow = resetAtMs !== undefined && resetAtMs === this.resetAtMs;
		// Answers of parallel calls arrive out of order: a higher count within one window is older.
		this.lowestRemaining =
			sameWindow && this.lowestRemaining !== undefined
				? Math.min(this.lowestRemaining, remaining)
				: remaining;
		this.resetAtMs = resetAtMs;
	}

	private nextAnswer(): Promise<void> {
		return new Promise((resolve) => this.waiters.push(resolve));
	}
}
