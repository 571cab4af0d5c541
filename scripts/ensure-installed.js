// @ts-check
'use strict';

/**
 * First step of the README's two commands on a fresh clone: installs the dev dependencies with
 * `npm ci` when they are missing or older than package-lock.json, and does nothing otherwise.
 * `--runtime` also prepares the pinned n8n (harness/runtime.js) at the same time, since neither needs
 * the other: on a first run that overlaps the two longest installs.
 */
const fs = require('node:fs');
const path = require('node:path');

const { stderrLogger } = require('../harness/log');
const { PROJECT_ROOT, runStreamed } = require('../harness/process');
const { withStep } = require('../harness/status');

const installedLock = path.join(PROJECT_ROOT, 'node_modules', '.package-lock.json');
const lock = path.join(PROJECT_ROOT, 'package-lock.json');

/** @returns {boolean} whether node_modules is missing or older than package-lock.json */
function devDependenciesStale() {
	return (
		!fs.existsSync(installedLock) || fs.statSync(installedLock).mtimeMs < fs.statSync(lock).mtimeMs
	);
}

/**
 * Runs `npm ci` when the dev dependencies are stale; its warnings about engines are left out.
 * @param {import('../harness/log').Logger} log
 * @returns {Promise<void>}
 */
async function installDevDependencies(log) {
	if (!devDependenciesStale()) return;
	const started = Date.now();
	log('installing the dev dependencies (npm ci)');
	await withStep('installing the dev dependencies (npm ci)', () =>
		runStreamed('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: PROJECT_ROOT,
			log,
		}),
	);
	log(`dev dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function main() {
	const log = stderrLogger('setup');
	/** @type {Promise<unknown>[]} */
	const work = [installDevDependencies(log)];
	if (process.argv.includes('--runtime')) {
		const { prepareRuntime } = require('../harness/runtime');
		work.push(prepareRuntime({ log: stderrLogger('n8n-runtime') }));
	}
	const results = await Promise.allSettled(work);
	const failed = results.find((result) => result.status === 'rejected');
	if (failed) throw /** @type {PromiseRejectedResult} */ (failed).reason;
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}

module.exports = { installDevDependencies };
