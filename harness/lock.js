// @ts-check
'use strict';

/** A folder lock between processes (say the demo and the e2e suite preparing the runtime at once). */

const fs = require('node:fs');
const path = require('node:path');

const { delay } = require('./process');

/** @typedef {import('./log').Logger} Logger */

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/**
 * Makes the lock folder and writes our pid into it.
 * @param {string} lockDir
 * @returns {boolean} false when the folder exists already
 */
function tryLock(lockDir) {
	try {
		fs.mkdirSync(lockDir);
		fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
		return true;
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		return false;
	}
}

/** @param {string} lockDir @returns {number} the owner's pid, or 0 when not written yet */
function lockOwner(lockDir) {
	try {
		return Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
	} catch {
		// The owner has made the folder but not yet written its pid; look again shortly.
		return 0;
	}
}

/**
 * Takes the lock `lockDir` (a folder holding the owner's pid), waiting while another live process
 * holds it and removing a lock whose owner is gone.
 * @param {string} lockDir its parent folder must exist
 * @param {Logger} log
 * @returns {Promise<() => void>} releases the lock
 */
async function acquireLock(lockDir, log) {
	let waitingSaid = false;
	for (;;) {
		if (tryLock(lockDir)) return () => fs.rmSync(lockDir, { recursive: true, force: true });
		const owner = lockOwner(lockDir);
		if (owner && !isAlive(owner)) {
			log(`removing a stale lock left by process ${owner}`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!waitingSaid) {
			log(`another process (${owner || 'starting'}) is preparing the runtime; waiting for it`);
			waitingSaid = true;
		}
		await delay(2000);
	}
}

module.exports = { acquireLock };
