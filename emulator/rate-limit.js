// @ts-check
'use strict';

/** @typedef {import('./auth').KeyType} KeyType */
/** @typedef {import('./time').Clock} Clock */

/**
 * @typedef {Object} RateLimitConfig
 * @property {number} limit              requests per window for secret keys (RL: 1000/hour)
 * @property {number} windowSeconds      RL: 3600
 * @property {number} publishableLimit   requests per window for publishable keys (RL: 100/hour)
 */
/**
 * @typedef {Object} RateLimitOptions
 * @property {number} [limit]
 * @property {number} [windowSeconds]
 * @property {number} [publishableLimit]  defaults to 100, or to `limit` when only `limit` is given
 */
/**
 * @typedef {Object} RateLimitDecision
 * @property {boolean} allowed
 * @property {number} limit
 * @property {number} remaining
 * @property {number} resetAtSeconds    unix seconds when the window ends
 * @property {number} resetAtMs         when the window ends, ms since the epoch (true clock)
 * @property {number} windowSeconds
 * @property {number} retryAfterSeconds whole seconds until the window ends, at least 1
 */

const DEFAULTS = { limit: 1000, windowSeconds: 3600, publishableLimit: 100 };

/**
 * @param {RateLimitOptions | undefined} options
 * @returns {RateLimitConfig}
 */
function resolveRateLimitConfig(options = {}) {
	const limit = options.limit ?? DEFAULTS.limit;
	const windowSeconds = options.windowSeconds ?? DEFAULTS.windowSeconds;
	// One explicit limit applies to every key type, so a test can set {limit: 2} and use either key.
	const publishableLimit =
		options.publishableLimit ?? (options.limit !== undefined ? limit : DEFAULTS.publishableLimit);
	for (const [name, value] of Object.entries({ limit, windowSeconds, publishableLimit })) {
		if (!Number.isInteger(value) || value < 1)
			throw new RangeError(`rateLimit.${name} must be a positive integer`);
	}
	return { limit, windowSeconds, publishableLimit };
}

/**
 * Fixed-window counter per API key (RL: "per API key"; fixed vs sliding is undocumented).
 * A key's window starts at its first request and lasts windowSeconds, so a test's budget
 * never depends on where the wall clock sits in an aligned window.
 */
class RateLimiter {
	/** @param {RateLimitConfig} config @param {Clock} clock */
	constructor(config, clock) {
		this.config = config;
		this.clock = clock;
		/** @type {Map<string, { windowStartMs: number, used: number }>} */
		this.buckets = new Map();
	}

	/** Changing the limit starts every key on a fresh window. @param {RateLimitConfig} config */
	configure(config) {
		this.config = config;
		this.buckets.clear();
	}

	reset() {
		this.buckets.clear();
	}

	/** @param {KeyType} keyType */
	limitFor(keyType) {
		return keyType === 'publishable' ? this.config.publishableLimit : this.config.limit;
	}

	/**
	 * Counts one request against the key, unless its window is already spent: a refused (429)
	 * request does not consume budget.
	 * @param {string} key
	 * @param {KeyType} keyType
	 * @returns {RateLimitDecision}
	 */
	consume(key, keyType) {
		const now = this.clock();
		const windowMs = this.config.windowSeconds * 1000;
		let bucket = this.buckets.get(key);
		if (!bucket || now >= bucket.windowStartMs + windowMs) {
			bucket = { windowStartMs: now, used: 0 };
			this.buckets.set(key, bucket);
		}
		const limit = this.limitFor(keyType);
		const allowed = bucket.used < limit;
		if (allowed) bucket.used++;
		const resetAtMs = bucket.windowStartMs + windowMs;
		return {
			allowed,
			limit,
			remaining: limit - bucket.used,
			resetAtSeconds: Math.ceil(resetAtMs / 1000),
			resetAtMs,
			windowSeconds: this.config.windowSeconds,
			retryAfterSeconds: Math.max(1, Math.ceil((resetAtMs - now) / 1000)),
		};
	}
}

/** @typedef {'epochSeconds' | 'epochMs' | 'secondsFromNow'} ResetUnit */
const RESET_UNITS = ['epochSeconds', 'epochMs', 'secondsFromNow'];

/**
 * The documented X-RateLimit-* headers (RL). The reset is in epoch seconds as documented; a
 * fault setting may send it in epoch milliseconds or seconds from now, as other APIs do. An epoch
 * reset is written on cStar's own clock, `skewMs` ahead of the true one (negative: behind).
 * @param {{ limit: number, remaining: number, resetAtSeconds: number, resetAtMs?: number, windowSeconds: number }} state
 * @param {{ unit?: ResetUnit, nowMs?: number, skewMs?: number }} [reset]
 * @returns {Record<string, string>}
 */
function rateLimitHeaders(state, reset = {}) {
	const unit = reset.unit ?? 'epochSeconds';
	const serverResetSeconds = Math.ceil(
		((state.resetAtMs ?? state.resetAtSeconds * 1000) + (reset.skewMs ?? 0)) / 1000,
	);
	const resetValue =
		unit === 'epochMs'
			? serverResetSeconds * 1000
			: unit === 'secondsFromNow'
				? Math.max(0, Math.ceil(state.resetAtSeconds - (reset.nowMs ?? Date.now()) / 1000))
				: serverResetSeconds;
	return {
		'x-ratelimit-limit': String(state.limit),
		'x-ratelimit-remaining': String(state.remaining),
		'x-ratelimit-reset': String(resetValue),
		'x-ratelimit-window': String(state.windowSeconds),
	};
}

module.exports = { RateLimiter, resolveRateLimitConfig, rateLimitHeaders, RESET_UNITS };
