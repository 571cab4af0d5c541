// @ts-check
'use strict';

/**
 * Everything n8n printed per user folder (CLI commands and servers), so a test can check the whole
 * of n8n's log, for example that a secret never appears in it.
 */

/** @type {Map<string, string[]>} */
const logs = new Map();

/**
 * Adds one command's output to the user folder's log.
 * @param {string} userFolder
 * @param {string} entry the command line, then its output
 */
function recordLog(userFolder, entry) {
	const entries = logs.get(userFolder) || [];
	entries.push(entry);
	logs.set(userFolder, entries);
}

/**
 * The output (stdout and stderr) of every n8n command this process ran for a user folder, including
 * the servers started with startN8nServer.
 * @param {string} userFolder
 * @returns {string}
 */
function n8nLog(userFolder) {
	return (logs.get(userFolder) || []).join('\n');
}

/** @param {string} userFolder */
function forgetLog(userFolder) {
	logs.delete(userFolder);
}

module.exports = { recordLog, n8nLog, forgetLog };
