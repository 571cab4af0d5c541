import type { Headers } from './responseReaders';
import { RESET_MARGIN_MS, readRateLimitHeaders } from './retryPolicy';

/**
 * Resets this close are one window: cStar (or its Date header) may round each answer's reset
 * differently, and a second's difference must not make an answer look like an older window's.
 */
export const SAME_WINDOW_MS = 2000;

/** What the headers said when the budget ran out: a pacer wait is not a 429 that came. */
export interface SpentBudget {
	remaining: number;
	/** On our clock. */
	resetAtMs: number;
}

/** What a call must do before it is sent. */
export type Pace =
	| { go: true }
	| { go: false; waitMs: number; spent: SpentBudget }
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
				const spent = { remaining: this.lowestRemaining, resetAtMs: this.resetAtMs };
				return { go: false, waitMs: this.resetAtMs - nowMs + RESET_MARGIN_MS, spent };
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
		const current = this.resetAtMs;
		// An answer from a window already over tells nothing about this one.
		if (resetAtMs !== undefined && current !== undefined && resetAtMs < current - SAME_WINDOW_MS)
			return;
		const sameWindow =
			resetAtMs !== undefined &&
			current !== undefined &&
			Math.abs(resetAtMs - current) <= SAME_WINDOW_MS;
		// Answers of parallel calls arrive out of order: a higher count within one window is older.
		this.lowestRemaining =
			sameWindow && this.lowestRemaining !== undefined
				? Math.min(this.lowestRemaining, remaining)
				: remaining;
		// Within one window the later reading is kept, so no call goes before the window really ends.
		this.resetAtMs = sameWindow ? Math.max(resetAtMs, current) : resetAtMs;
	}

	private nextAnswer(): Promise<void> {
		return new Promise((resolve) => this.waiters.push(resolve));
	}
}
