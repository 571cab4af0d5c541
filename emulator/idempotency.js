// @ts-check
'use strict';

const { createHash } = require('node:crypto');

/** @typedef {import('./envelope').HttpResponse} HttpResponse */
/** @typedef {import('./time').Clock} Clock */
/**
 * @typedef {Object} IdempotencyEntry
 * @property {string} fingerprint   SHA-256 of the raw request body
 * @property {number} createdAtMs
 * @property {HttpResponse | undefined} response   undefined while the first request is in flight
 */
/**
 * @typedef {{ kind: 'new', entry: IdempotencyEntry }
 *   | { kind: 'replay', response: HttpResponse }
 *   | { kind: 'reused' }
 *   | { kind: 'in_use' }} IdempotencyLookup
 */

const DAY_MS = 24 * 3600 * 1000;
const SWEEP_EVERY = 1024;

/**
 * Scope of a key: (API key, method, path, Idempotency-Key). The docs don't say; scoping by API key
 * keeps test and live apart and matches the SDK's per-client use.
 * @param {string} apiKey
 * @param {string} method
 * @param {string} path
 * @param {string} idempotencyKey
 */
function idempotencyScope(apiKey, method, path, idempotencyKey) {
	return `${apiKey}\n${method}\n${path}\n${idempotencyKey}`;
}

/** @param {string} rawBody */
function fingerprintBody(rawBody) {
	// Byte-wise: the same logical body serialised differently counts as a different body.
	return createHash('sha256').update(rawBody).digest('base64');
}

/** Stored responses for Idempotency-Key replays, kept for 24 hours (REF). */
class IdempotencyCache {
	/** @param {Clock} clock @param {number} [ttlMs] */
	constructor(clock, ttlMs = DAY_MS) {
		this.clock = clock;
		this.ttlMs = ttlMs;
		/** @type {Map<string, IdempotencyEntry>} insertion order = age order, which sweep relies on */
		this.entries = new Map();
		this.beginsSinceSweep = 0;
	}

	/**
	 * @param {string} scope
	 * @param {string} fingerprint
	 * @returns {IdempotencyLookup}
	 */
	begin(scope, fingerprint) {
		if (++this.beginsSinceSweep >= SWEEP_EVERY) this.sweep();
		const existing = this.entries.get(scope);
		if (existing && !this.isExpired(existing)) {
			if (existing.response === undefined) return { kind: 'in_use' };
			if (existing.fingerprint !== fingerprint) return { kind: 'reused' };
			return { kind: 'replay', response: existing.response };
		}
		if (existing) this.entries.delete(scope);
		/** @type {IdempotencyEntry} */
		const entry = { fingerprint, createdAtMs: this.clock(), response: undefined };
		this.entries.set(scope, entry);
		return { kind: 'new', entry };
	}

	/** @param {IdempotencyEntry} entry @param {HttpResponse} response */
	complete(entry, response) {
		entry.response = response;
	}

	/** Forgets an in-flight entry that will never get a response. @param {string} scope @param {IdempotencyEntry} entry */
	abandon(scope, entry) {
		if (this.entries.get(scope) === entry) this.entries.delete(scope);
	}

	clear() {
		this.entries.clear();
	}

	get size() {
		return this.entries.size;
	}

	/** @param {IdempotencyEntry} entry */
	isExpired(entry) {
		return this.clock() - entry.createdAtMs >= this.ttlMs;
	}

	sweep() {
		this.beginsSinceSweep = 0;
		for (const [scope, entry] of this.entries) {
			if (!this.isExpired(entry)) break;
			if (entry.response !== undefined) this.entries.delete(scope);
		}
	}
}

module.exports = { IdempotencyCache, idempotencyScope, fingerprintBody };
