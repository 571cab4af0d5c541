// @ts-check
'use strict';

/**
 * Starts the emulator in a child process (bench/lib/emulator-child.js) and talks to it through its HTTP
 * control API. Between runs the bench does not reset it (a reset re-seeds 100,000 tickets, about 4 s):
 * each run's figures are the difference of the counters and of the per-id apply counts before and after
 * the run, and the rate limit is set again before each run, which starts every key on a fresh window.
 * Runs only update tickets, so the store keeps its shape; idempotency keys never repeat (n8n's execution
 * ids grow within one user folder, and the floor uses a fresh prefix per run).
 */

const childProcess = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

/**
 * @typedef {object} EmulatorCounts  GET /__emulator/state, without the `emulator` part
 * @property {number} requests
 * @property {Record<string, number>} byStatus
 * @property {number} bulkCalls
 * @property {number} rateLimited
 * @property {number} idsApplied
 * @property {number} idsAppliedTwice
 * @property {number} dropped
 */

/**
 * @typedef {object} LogEntry
 * @property {number} seq
 * @property {number} at
 * @property {string} method
 * @property {string} path
 * @property {number | null} status
 */

/**
 * @typedef {object} EmulatorProcess
 * @property {string} url
 * @property {string} teamId
 * @property {string} key
 * @property {number} pid
 * @property {() => Promise<EmulatorCounts>} counts
 * @property {() => Promise<Record<string, number>>} applied   "tickets:tkt_…" → times applied since start
 * @property {(since: number, limit?: number) => Promise<LogEntry[]>} log   entries with seq >= since (the log keeps the last 200,000)
 * @property {(limit: number, windowSeconds: number) => Promise<void>} setRateLimit   also starts fresh windows
 * @property {(latencyMs: number) => Promise<void>} setLatency   on every API request, not only POST /bulk
 * @property {() => Promise<void>} stop
 */

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

/**
 * @param {string} url
 * @param {string} method
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
function controlRequest(url, method, body) {
	return new Promise((resolve, reject) => {
		const text = body === undefined ? '' : JSON.stringify(body);
		const request = http.request(
			url,
			{
				method,
				agent,
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
			},
			(response) => {
				/** @type {Buffer[]} */
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () => {
					const raw = Buffer.concat(chunks).toString('utf8');
					if ((response.statusCode ?? 0) >= 300) {
						reject(
							new Error(
								`emulator control ${method} ${url}: HTTP ${response.statusCode} ${raw.slice(0, 300)}`,
							),
						);
						return;
					}
					try {
						resolve(JSON.parse(raw));
					} catch (error) {
						reject(error);
					}
				});
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(text);
	});
}

/**
 * The emulator's first stdout line: where it listens and its team and key.
 * @param {import('node:child_process').ChildProcessWithoutNullStreams | import('node:child_process').ChildProcess} child
 * @returns {Promise<{ url: string, teamId: string, key: string }>}
 */
function listening(child) {
	return new Promise((resolve, reject) => {
		let out = '';
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			out += chunk.toString('utf8');
			const newline = out.indexOf('\n');
			if (newline === -1) return;
			child.stdout?.off('data', onData);
			try {
				resolve(JSON.parse(out.slice(0, newline)));
			} catch (error) {
				reject(error);
			}
		};
		child.stdout?.on('data', onData);
		child.once('exit', (code) =>
			reject(new Error(`the emulator exited (${code}) before it listened`)),
		);
	});
}

/**
 * @param {{ port: number, tickets: number, logLimit?: number, nodeBin?: string }} options
 * @returns {Promise<EmulatorProcess>}
 */
async function startEmulatorProcess(options) {
	const emulatorOptions = {
		port: options.port,
		tickets: options.tickets,
		logBodies: false,
		logLimit: options.logLimit ?? 200_000,
	};
	const child = childProcess.spawn(
		options.nodeBin ?? process.execPath,
		[path.join(__dirname, 'emulator-child.js'), JSON.stringify(emulatorOptions)],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	const info = await listening(child);
	const control = (/** @type {string} */ route) => `${info.url}/__emulator/${route}`;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	return {
		...info,
		pid: /** @type {number} */ (child.pid),
		counts: async () => {
			const { emulator: _described, ...counts } = await controlRequest(control('state'), 'GET');
			return counts;
		},
		applied: async () => (await controlRequest(control('applied'), 'GET')).applied,
		log: async (since, limit) =>
			(
				await controlRequest(
					control(`log?since=${since}${limit === undefined ? '' : `&limit=${limit}`}`),
					'GET',
				)
			).entries,
		setRateLimit: async (limit, windowSeconds) => {
			await controlRequest(control('rate-limit'), 'POST', {
				limit,
				windowSeconds,
				publishableLimit: limit,
			});
		},
		setLatency: async (latencyMs) => {
			// `match: {}` matches every request; without it the fault settings apply to POST /bulk only,
			// and the per-item contender's PATCH calls would not see the latency.
			await controlRequest(control('faults'), 'POST', {
				clear: true,
				set: { latencyMs, match: {} },
			});
		},
		stop: async () => {
			child.stdin.end();
			await exited;
			agent.destroy();
		},
	};
}

module.exports = { startEmulatorProcess, controlRequest };
