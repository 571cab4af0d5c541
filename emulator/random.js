// @ts-check
'use strict';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/**
 * @typedef {Object} Random
 * @property {() => number} next        uniform in [0, 1)
 * @property {(min: number, max: number) => number} int   integer in [min, max]
 * @property {<T>(items: readonly T[]) => T} pick
 * @property {<T>(items: readonly T[], count: number) => T[]} sample   `count` distinct items (fewer if there are fewer)
 * @property {(probability: number) => boolean} chance
 * @property {(length: number) => string} hex
 * @property {(length: number) => string} token   base64url characters, as in cStar API keys
 * @property {() => string} uuid   RFC 4122 version-4 layout
 */

/**
 * Mixes a label into a seed (FNV-1a), so that each data set (test store, live store, keys, faults)
 * draws from its own stream and adding records to one never shifts another.
 * @param {number} seed
 * @param {string} label
 * @returns {number}
 */
function deriveSeed(seed, label) {
	let hash = (2166136261 ^ (seed >>> 0)) >>> 0;
	for (let i = 0; i < label.length; i++) {
		hash ^= label.charCodeAt(i);
		hash = Math.imul(hash, 16777619) >>> 0;
	}
	return hash;
}

/**
 * A small, fast, seedable PRNG (mulberry32): the same seed always yields the same sequence.
 * @param {number} seed
 * @returns {Random}
 */
function createRandom(seed) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** @param {number} min @param {number} max */
	const int = (min, max) => min + Math.floor(next() * (max - min + 1));
	/** @param {string} alphabet @param {number} length */
	const chars = (alphabet, length) => {
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
		return out;
	};
	return {
		next,
		int,
		pick: (items) => items[Math.floor(next() * items.length)],
		sample: (items, count) => {
			const pool = items.slice();
			const picked = [];
			while (picked.length < count && pool.length > 0) {
				picked.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
			}
			return picked;
		},
		chance: (probability) => next() < probability,
		hex: (length) => chars(HEX, length),
		token: (length) => chars(BASE64URL, length),
		uuid: () => {
			const h = chars(HEX, 32);
			const variant = HEX[8 + Math.floor(next() * 4)];
			return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
		},
	};
}

module.exports = { createRandom, deriveSeed };
