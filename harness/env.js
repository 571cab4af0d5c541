// @ts-check
'use strict';

/** The environment every n8n process of the harness runs in, and how to start one. */

const childProcess = require('node:child_process');
const path = require('node:path');

const { freePort } = require('./ports');
const { requireRuntime } = require('./runtime');

/**
 * The environment for every n8n process: headless, quiet, no telemetry, no task runners, the given
 * user folder, and the runtime's Node 24 first on PATH. `extra` is applied last.
 * @param {string} userFolder the N8N_USER_FOLDER (n8n keeps `<userFolder>/.n8n/`)
 * @param {Record<string, string>} [extra]
 * @param {import('./runtime').Runtime} [runtime] defaults to the prepared runtime
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(userFolder, extra = {}, runtime = requireRuntime()) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env };
	// Settings inherited from a developer's shell must not change what the tests see.
	for (const key of Object.keys(env)) {
		if (key.startsWith('N8N_') || key.startsWith('DB_') || key === 'CREDENTIALS_OVERWRITE_DATA')
			delete env[key];
	}
	// Jest sets NODE_ENV=test, under which n8n silences its logger and exits 1 without a word.
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return {
		...env,
		PATH: `${runtime.nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		...extra,
	};
}

/**
 * Every n8n 2.x process starts a task-runner broker (for Code nodes) on port 5679 unless told
 * otherwise, and N8N_RUNNERS_ENABLED=false no longer turns it off, so two n8n processes at once (a
 * server and an `n8n execute`, or the demo and the e2e suite) would collide. This picks a free port
 * for it, unless `extra` already sets one.
 * @param {Record<string, string>} [extra]
 * @returns {Promise<Record<string, string>>} `extra` with N8N_RUNNERS_BROKER_PORT set
 */
async function withBrokerPort(extra = {}) {
	if (extra.N8N_RUNNERS_BROKER_PORT) return extra;
	return { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra };
}

/**
 * Starts the runtime's n8n (`node_modules/n8n/bin/n8n` on Node 24) in a user folder with
 * {@link n8nEnv} and a free task-runner broker port; stdout and stderr are piped.
 * @param {string} userFolder also the working folder
 * @param {string[]} args for example `['execute', '--id=abc']`
 * @param {Record<string, string>} [env] extra environment for n8n
 */
async function spawnN8n(userFolder, args, env) {
	const runtime = requireRuntime();
	const extra = await withBrokerPort(env);
	return childProcess.spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
		cwd: userFolder,
		env: n8nEnv(userFolder, extra, runtime),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

module.exports = { n8nEnv, withBrokerPort, spawnN8n };
