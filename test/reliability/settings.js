// @ts-check
'use strict';

/**
 * The few settings the TypeScript suites may not read themselves (lint forbids `process` there).
 */

/**
 * The fuzz seed: FUZZ_SEED when set (to explore, or to replay a failure fast-check printed),
 * else the fixed seed the suite is committed with.
 * @param {number} fixedSeed
 * @returns {number}
 */
function fuzzSeed(fixedSeed) {
	const fromEnv = Number(process.env.FUZZ_SEED);
	return process.env.FUZZ_SEED !== undefined && Number.isInteger(fromEnv) ? fromEnv : fixedSeed;
}

module.exports = { fuzzSeed };
