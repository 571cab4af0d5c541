// @ts-check
'use strict';

/**
 * The command line for the n8n runtime (harness/runtime.js), which package.json's scripts call:
 *   node scripts/n8n-runtime.js prepare [--force]  (prepares, or says it is already prepared)
 *   node scripts/n8n-runtime.js info               (prints the runtime as JSON; exits 1 if not prepared)
 *   node scripts/n8n-runtime.js n8n <args...>      (runs the runtime's n8n with the headless env)
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { n8nEnv, withBrokerPort } = require('../harness/env');
const runtimeModule = require('../harness/runtime');

const { PROJECT_ROOT, defaultLog, getRuntime, prepareRuntime, requireRuntime } = runtimeModule;

/**
 * Runs n8n in the foreground, its output on ours; the exit code becomes ours.
 * @param {string[]} args
 * @returns {Promise<number>}
 */
async function runN8nInteractive(args) {
	const runtime = requireRuntime();
	const userFolder = process.env.N8N_USER_FOLDER || path.join(PROJECT_ROOT, '.tmp', 'n8n-user');
	fs.mkdirSync(userFolder, { recursive: true });
	const extra = await withBrokerPort();
	return new Promise((resolve) => {
		const child = childProcess.spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			stdio: 'inherit',
			env: n8nEnv(userFolder, extra, runtime),
		});
		child.on('close', (code) => resolve((process.exitCode = code ?? 1)));
	});
}

/** @returns {Promise<unknown>} */
function main() {
	const [command = 'prepare', ...rest] = process.argv.slice(2);
	if (command === 'prepare') return prepareRuntime({ force: rest.includes('--force') });
	if (command === 'n8n') return runN8nInteractive(rest);
	if (command === 'info') {
		const runtime = getRuntime();
		process.stdout.write(`${JSON.stringify(runtime, null, 2)}\n`);
		if (!runtime) process.exitCode = 1;
	} else {
		process.stderr.write(
			'usage: node scripts/n8n-runtime.js prepare [--force] | info | n8n <args...>\n',
		);
		process.exitCode = 2;
	}
	return Promise.resolve();
}

main().catch((error) => {
	defaultLog(`failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
