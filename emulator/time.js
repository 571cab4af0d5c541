// @ts-check
'use strict';

/** @typedef {() => number} Clock  milliseconds since the epoch, like Date.now */

/**
 * ISO 8601 UTC with second precision, the format every cStar example uses ("2025-12-10T14:30:00Z").
 * @param {number} ms
 * @returns {string}
 */
function toIsoSeconds(ms) {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Timers the emulator can cancel all at once on close(), so a pending slow response or injected
 * latency never keeps a test process alive.
 */
class Sleeper {
	constructor() {
		/** @type {Map<NodeJS.Timeout, () => void>} */
		this.pending = new Map();
	}

	/**
	 * @param {number} ms
	 * @returns {Promise<void>}
	 */
	sleep(ms) {
		if (!(ms > 0)) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pending.delete(timer);
				resolve();
			}, ms);
			this.pending.set(timer, resolve);
		});
	}

	/** Resolves every pending sleep now. */
	wakeAll() {
		for (const [timer, resolve] of this.pending) {
			clearTimeout(timer);
			resolve();
		}
		this.pending.clear();
	}
}

/**
 * A clock skew in ms: cStar's clock may run minutes ahead (positive) or behind (negative) ours.
 * @param {unknown} value
 * @returns {number}
 */
function checkClockSkew(value) {
	if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > MAX_SKEW_MS)
		throw new RangeError(`clockSkewMs must be an integer number of ms within ±${MAX_SKEW_MS}`);
	return value;
}

/** A day either way: more is not a skewed clock but a broken one. */
const MAX_SKEW_MS = 24 * 3600 * 1000;

module.exports = { toIsoSeconds, Sleeper, checkClockSkew };
