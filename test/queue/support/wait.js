// @ts-check
'use strict';

/** Polling helpers for the queue-mode harness (processes that say "ready" in their own time). */

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a truthy value and resolves with it. Rejects after `timeoutMs`, or
 * at once when `failed()` returns text (say, the log of a process that exited).
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {{ what: string, timeoutMs?: number, intervalMs?: number, failed?: () => string }} options
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(check, options) {
	const deadline = Date.now() + (options.timeoutMs ?? 180000);
	for (;;) {
		const value = await check();
		if (value) return /** @type {NonNullable<T>} */ (value);
		const failure = options.failed?.();
		if (failure) throw new Error(`${options.what} failed:\n${failure.slice(-4000)}`);
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
		await delay(options.intervalMs ?? 250);
	}
}

module.exports = { delay, waitFor };
