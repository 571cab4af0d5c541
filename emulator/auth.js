// @ts-check
'use strict';

const { errors } = require('./envelope');

/** @typedef {import('./store').Environment} Environment */
/** @typedef {'secret' | 'publishable'} KeyType */
/** @typedef {{ key: string, teamId: string, keyType: KeyType, environment: Environment }} KeyInfo */

const BEARER = /^Bearer ([^\s]+)$/i;
const KNOWN_PREFIX = /^(sk|pk)_(live|test)_/;

/**
 * @param {'sk' | 'pk'} kind
 * @param {Environment} environment
 * @param {string} random32  32 base64url characters (AUTHLIB)
 */
function formatKey(kind, environment, random32) {
	return `${kind}_${environment}_${random32}`;
}

/** The API keys the emulator knows, and the ones revoked since the last reset. */
class KeyRing {
	constructor() {
		/** @type {Map<string, KeyInfo>} */
		this.keys = new Map();
		/** @type {Set<string>} */
		this.revoked = new Set();
	}

	/** @param {KeyInfo} info */
	add(info) {
		this.keys.set(info.key, info);
	}

	/** @param {string} key @returns {boolean} whether the key was known */
	revoke(key) {
		if (!this.keys.has(key)) return false;
		this.revoked.add(key);
		return true;
	}

	/**
	 * The key behind an Authorization header, or the documented 401 (ERRLIB):
	 *   no header / not "Bearer <token>" / stray whitespace → authentication_required;
	 *   token without a known prefix → invalid_key_format;
	 *   unknown, revoked, truncated or padded key → invalid_api_key.
	 * @param {string | undefined} header
	 * @returns {KeyInfo}
	 */
	authenticate(header) {
		const match = header === undefined ? null : BEARER.exec(header);
		if (!match) throw errors.authenticationRequired();
		const token = match[1];
		if (!KNOWN_PREFIX.test(token)) throw errors.invalidKeyFormat();
		const info = this.keys.get(token);
		if (!info || this.revoked.has(token)) throw errors.invalidApiKey();
		return info;
	}

	/**
	 * Like authenticate, without throwing: used to label injected responses.
	 * @param {string | undefined} header
	 * @returns {KeyInfo | undefined}
	 */
	peek(header) {
		const match = header === undefined ? null : BEARER.exec(header);
		return match ? this.keys.get(match[1]) : undefined;
	}
}

module.exports = { KeyRing, formatKey };
