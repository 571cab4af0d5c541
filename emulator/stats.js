// @ts-check
'use strict';

/**
 * @typedef {Object} LogEntry
 * @property {number} seq        0, 1, 2 … since the last reset; GET /__emulator/log?since=N returns seq >= N
 * @property {number} at         arrival time, ms since the epoch
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers   as received, names lower-cased (Authorization included)
 * @property {unknown} body      parsed JSON, the raw text if it is not JSON, undefined if empty or logBodies is off
 * @property {number | null} status     null while in flight or when the connection was dropped
 * @property {string} requestId
 * @property {string} [fault]    type of the injected fault, if any
 * @property {boolean} [dropped] the connection was destroyed without an answer
 * @property {boolean} [replayed] answered from the idempotency cache
 */
/**
 * @typedef {Object} Counts
 * @property {number} requests          API requests received (control API excluded)
 * @property {Record<string, number>} byStatus   responses sent, by HTTP status
 * @property {number} bulkCalls         POST …/bulk requests received, whatever their outcome
 * @property {number} rateLimited       429s sent (real and injected)
 * @property {number} idsApplied        record changes applied (bulk ids and single PATCH/DELETE)
 * @property {number} idsAppliedTwice   records whose change was applied more than once
 * @property {number} dropped           connections destroyed without an answer
 */

/** @returns {Counts} */
function zeroCounts() {
	return {
		requests: 0,
		byStatus: {},
		bulkCalls: 0,
		rateLimited: 0,
		idsApplied: 0,
		idsAppliedTwice: 0,
		dropped: 0,
	};
}

/** Counters, the request log and the per-record apply counter. */
class Stats {
	/** @param {{ logLimit: number, logBodies: boolean }} options */
	constructor(options) {
		this.logLimit = options.logLimit;
		this.logBodies = options.logBodies;
		/** @type {LogEntry[]} the same array for the emulator's lifetime: reset() empties it in place */
		this.log = [];
		this.nextSeq = 0;
		/** @type {Map<string, Map<string, number>>} resource → id → times applied (nested: no key strings to build per id) */
		this.applied = new Map();
		this.totals = zeroCounts();
		/** @type {WeakSet<LogEntry>} entries logged since the last reset: a slow answer still pending at reset() is not counted after it */
		this.current = new WeakSet();
	}

	reset() {
		this.current = new WeakSet();
		this.log.length = 0;
		this.nextSeq = 0;
		this.applied.clear();
		this.totals = zeroCounts();
	}

	/**
	 * @param {Omit<LogEntry, 'seq' | 'status' | 'body'>} request
	 * @param {unknown} body
	 * @param {boolean} isBulk
	 * @returns {LogEntry}
	 */
	begin(request, body, isBulk) {
		this.totals.requests++;
		if (isBulk) this.totals.bulkCalls++;
		/** @type {LogEntry} */
		const entry = {
			seq: this.nextSeq++,
			...request,
			body: this.logBodies ? body : undefined,
			status: null,
		};
		this.current.add(entry);
		this.log.push(entry);
		// A bounded log: when full, the oldest quarter goes, so trimming stays amortised O(1).
		if (this.log.length > this.logLimit)
			this.log.splice(0, Math.max(1, Math.floor(this.logLimit / 4)));
		return entry;
	}

	/** @param {LogEntry} entry @param {number} status */
	responded(entry, status) {
		entry.status = status;
		if (!this.current.has(entry)) return;
		const { byStatus } = this.totals;
		byStatus[status] = (byStatus[status] ?? 0) + 1;
		if (status === 429) this.totals.rateLimited++;
	}

	/** @param {LogEntry} entry */
	droppedConnection(entry) {
		entry.dropped = true;
		if (!this.current.has(entry)) return;
		this.totals.dropped++;
	}

	/** @param {string} resource @param {string} id */
	recordApply(resource, id) {
		let counts = this.applied.get(resource);
		if (!counts) this.applied.set(resource, (counts = new Map()));
		const times = (counts.get(id) ?? 0) + 1;
		counts.set(id, times);
		this.totals.idsApplied++;
		if (times === 2) this.totals.idsAppliedTwice++;
	}

	/** @param {string} resource @param {string} id */
	appliedCount(resource, id) {
		return this.applied.get(resource)?.get(id) ?? 0;
	}

	/** @returns {Record<string, number>} "resource:id" → times applied, for every record applied at least once */
	appliedCounts() {
		/** @type {Record<string, number>} */
		const flat = {};
		for (const [resource, counts] of this.applied) {
			for (const [id, times] of counts) flat[`${resource}:${id}`] = times;
		}
		return flat;
	}

	/** @returns {Counts} */
	counts() {
		return { ...this.totals, byStatus: { ...this.totals.byStatus } };
	}
}

module.exports = { Stats };
