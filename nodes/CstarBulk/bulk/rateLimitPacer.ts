import type { Headers } from './responseReaders';
import { RESET_MARGIN_MS, readRateLimitHeaders } from './retryPolicy';

/** What a call must do before it is sent. */
export type Pace =
	| { go: true }
	| { go: false; waitMs: number }
	/** The budget is spent, but calls under way may show it is not (or open a new window). */
	| { go: false; answer: Promise<void> };

/**
 * Shared by all parallel senders of one run. It counts every call sent against cStar's advertised
 * remaining budget, and once the budget is spent, makes the next call wait (for the answers of
 * calls still under way, then for X-RateLimit-Reset) instead of spending a request on a 429.
 */
export class RateLimitPacer {
	/** Budget left after every call sent so far; undefined until an answer tells it. */
	private remaining: number | undefined;

	private resetAtMs: number | undefined;

	/** Calls sent and not yet answered: cStar may not have counted them in the last answer. */
	private inFlight = 0;

	private waiters: Array<() => void> = [];

	/** Whether the next call may go now; when it may, it is counted as sent. */
	reserve(nowMs: number): Pace {
		if (this.resetAtMs !== undefined && nowMs >= this.resetAtMs) {
			this.remaining = undefined;
			this.resetAtMs = undefined;
		}
		if (this.remaining !== undefined && this.remaining <= 0) {
			if (this.inFlight > 0) return { go: false, answer: this.nextAnswer() };
			if (this.resetAtMs !== undefined) {
				return { go: false, waitMs: this.resetAtMs - nowMs + RESET_MARGIN_MS };
			}
		}
		if (this.remaining !== undefined) this.remaining--;
		this.inFlight++;
		return { go: true };
	}

	/** A call counted by reserve() ended: with an answer's headers, or with none (network failure). */
	settle(headers: Headers | undefined, nowMs: number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (headers !== undefined) this.adopt(headers, nowMs);
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
		// Calls still under way may not be in cStar's count yet, but will be.
		const left = remaining - this.inFlight;
		const sameWindow = resetAtMs !== undefined && resetAtMs === this.resetAtMs;
		// Answers of parallel calls arrive out of order: within one window the lowest count is the truest.
		this.remaining =
			sameWindow && this.remaining !== undefined ? Math.min(this.remaining, left) : left;
		this.resetAtMs = resetAtMs;
	}

	private nextAnswer(): Promise<void> {
		return new Promise((resolve) => this.waiters.push(resolve));
	}
}
