// @ts-check
'use strict';

/** Loggers the harness takes: a function that receives one line at a time. */

const { writeLine } = require('./status');

/** @typedef {(line: string) => void} Logger */

/** @type {Logger} */
const quiet = () => undefined;

/**
 * A logger that writes `[prefix] line` to stderr.
 * @param {string} prefix
 * @returns {Logger}
 */
function stderrLogger(prefix) {
	return (line) => {
		writeLine(process.stderr, `[${prefix}] ${line}`);
	};
}

/** The e2e suite's logger. */
const stderrLog = stderrLogger('e2e');

module.exports = { quiet, stderrLogger, stderrLog };
