// @ts-check
'use strict';

/**
 * Test helper: runs the emulator's CLI as a real process, as `npm run emulator` does. It is JavaScript
 * because the TypeScript tests may not import node builtins (n8n lint).
 */

const { spawn } = require('node:child_process');
const path = require('node:path');

const CLI = path.join(__dirname, '..', '..', 'emulator', 'cli.js');

/**
 * @typedef {Object} CliProcess
 * @property {string} output   everything printed so far on stdout
 * @property {string} url      the "listening on" URL
 * @property {() => Promise<{ code: number | null, signal: string | null }>} stop   sends SIGINT and waits for exit
 */

/**
 * Starts `node emulator/cli.js ...args` and resolves once it printed "Press Ctrl-C to stop."
 * @param {string[]} args
 * @param {number} [timeoutMs]
 * @returns {Promise<CliProcess>}
 */
function spawnCli(args, timeoutMs = 10_000) {
	const child = spawn(process.execPath, [CLI, ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	/** @type {Promise<{ code: number | null, signal: string | null }>} */
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(`CLI did not start within ${timeoutMs} ms. stdout: ${stdout} stderr: ${stderr}`),
			);
		}, timeoutMs);
		const check = () => {
			if (!stdout.includes('Press Ctrl-C to stop.')) return;
			clearTimeout(timer);
			const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
			resolve({
				output: stdout,
				url,
				stop: () => {
					child.kill('SIGINT');
					return exited;
				},
			});
		};
		child.stdout.on('data', check);
		exited.then(({ code }) => {
			clearTimeout(timer);
			reject(
				new Error(
					`CLI exited with ${code} before it was ready. stdout: ${stdout} stderr: ${stderr}`,
				),
			);
		});
	});
}

/**
 * Runs the CLI to completion (for --help and bad flags).
 * @param {string[]} args
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
function runCli(args) {
	const child = spawn(process.execPath, [CLI, ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

module.exports = { spawnCli, runCli };
