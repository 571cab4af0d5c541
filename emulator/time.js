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

module.exports = { toIsoSeconds, Sleeper };
