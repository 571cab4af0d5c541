import { RESET_MARGIN_MS, readRateLimitHeaders, type Headers } from './retryPolicy';

/**
 * Shared by all parallel senders of one run. It counts down cStar's advertised remaining budget
 * as calls go out, and once it is spent, makes the next call wait for X-RateLimit-Reset instead
 * of spending a request on a 429.
 */
export class RateLimitPacer {
	private remaining: number | undefined;

	private resetAtMs: number | undefined;

	/** How long to wait before the next call may go; 0 means go now (and the call is counted). */
	reserve(nowMs: number): number {
		if (this.resetAtMs !== undefined && nowMs >= this.resetAtMs) {
			this.remaining = undefined;
			this.resetAtMs = undefined;
		}
		if (this.remaining !== undefined && this.remaining <= 0) {
			return this.resetAtMs === undefined ? 0 : this.resetAtMs - nowMs + RESET_MARGIN_MS;
		}
		if (this.remaining !== undefined) this.remaining--;
		return 0;
	}

	observe(headers: Headers): void {
		const { remaining, resetAtMs } = readRateLimitHeaders(headers);
		if (remaining === undefined) return;
		const sameWindow = resetAtMs !== undefined && resetAtMs === this.resetAtMs;
		// Answers of parallel calls arrive out of order: within one window the lowest count is the truest.
		this.remaining =
			sameWindow && this.remaining !== undefined ? Math.min(this.remaining, remaining) : remaining;
		this.resetAtMs = resetAtMs;
	}
}
