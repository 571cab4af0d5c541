// @ts-check
'use strict';

/** Running helper commands (npm) for the harness: streamed to a logger, or captured. */

const childProcess = require('node:child_process');
const path = require('node:path');

/** @typedef {import('./log').Logger} Logger */

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a command, streaming its output through `log` line by line, and rejects on a non-zero exit
 * with the last 40 lines of output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, log: Logger }} options
 * @returns {Promise<void>}
 */
function runStreamed(command, args, { cwd, env, log }) {
	return new Promise((resolve, reject) => {
		log(`$ ${[command, ...args].join(' ')}   (in ${path.relative(PROJECT_ROOT, cwd) || '.'})`);
		const child = childProcess.spawn(command, args, {
			cwd,
			env: env || process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		/** @type {string[]} */
		const tail = [];
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 40) tail.shift();
				log(`  ${line}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) resolve();
			else
				reject(
					new Error(
						`${command} ${args.join(' ')} failed (exit ${code}${signal ? `, ${signal}` : ''}):\n${tail.join('\n')}`,
					),
				);
		});
	});
}

/**
 * Runs a command to completion and resolves with its output; rejects on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
function runCaptured(command, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		childProcess.execFile(
			command,
			args,
			{ cwd, env: env || process.env, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error) {
					reject(
						new Error(
							`${command} ${args.join(' ')} failed in ${cwd}: ${error.message}\n${stdout}\n${stderr}`,
						),
					);
				} else {
					resolve({ stdout, stderr });
				}
			},
		);
	});
}

module.exports = { PROJECT_ROOT, delay, runStreamed, runCaptured };
