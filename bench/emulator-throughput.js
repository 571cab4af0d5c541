// @ts-check
'use strict';

/**
 * Measures the emulator's bulk throughput: the emulator runs alone on one thread (a worker), the
 * load generator on the main thread, over keep-alive HTTP on loopback.
 *
 *   node bench/emulator-throughput.js [--requests 20000] [--concurrency 32] [--ids 100] [--idempotency]
 *
 * Each request is a bulk update of --ids ticket ids (all existing), so the emulator does its full
 * per-id work. Prints requests/s and ids/s.
 */

const http = require('node:http');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { startEmulator } = require('../emulator');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @param {string} name @param {number} fallback */
	const number = (name, fallback) => {
		const at = argv.indexOf(`--${name}`);
		return at === -1 ? fallback : Number(argv[at + 1]);
	};
	return {
		requests: number('requests', 20000),
		concurrency: number('concurrency', 32),
		ids: number('ids', 100),
		idempotency: argv.includes('--idempotency'),
	};
}

async function runEmulatorWorker() {
	const emu = await startEmulator({
		tickets: 1000,
		rateLimit: { limit: 1e9, windowSeconds: 3600 },
		logLimit: 10_000,
		...workerData,
	});
	const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
	port.postMessage({
		url: emu.url,
		teamId: emu.teamId,
		key: emu.keys.secret,
		ids: emu.store.ids('tickets'),
	});
	/** @type {import('node:perf_hooks').EventLoopUtilization | undefined} */
	let busyAtStart;
	port.on('message', async (/** @type {string} */ message) => {
		if (message === 'start') busyAtStart = performance.eventLoopUtilization();
		if (message !== 'stop') return;
		const busy = performance.eventLoopUtilization(busyAtStart).utilization;
		port.postMessage({ counts: emu.counts(), busy });
		await emu.close();
		port.close();
	});
}

/** The n-th call's body: a window of `size` ids, alternating status so every call changes something. @param {string[]} all @param {number} size @param {number} n */
function bulkBody(all, size, n) {
	const start = (n * size) % (all.length - size);
	return JSON.stringify({
		action: 'update',
		resource: 'tickets',
		ids: all.slice(start, start + size),
		data: { status: n % 2 ? 'open' : 'pending' },
	});
}

async function runLoad() {
	const options = parseArgs(process.argv.slice(2));
	const worker = new Worker(__filename, { workerData: {} });
	/** @type {{ url: string, teamId: string, key: string, ids: string[] }} */
	const target = await new Promise((resolve) => worker.once('message', resolve));
	const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
	const { hostname, port } = new URL(target.url);
	const path = `/api/v1/teams/${target.teamId}/bulk`;
	const statuses = new Map();

	const bodyFor = (/** @type {number} */ n) => bulkBody(target.ids, options.ids, n);
	let phase = 'warmup';
	/** @param {number} n @returns {Promise<void>} */
	const send = (n) =>
		new Promise((resolve, reject) => {
			const body = bodyFor(n);
			/** @type {Record<string, string | number>} */
			const headers = {
				authorization: `Bearer ${target.key}`,
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(body),
			};
			if (options.idempotency) headers['idempotency-key'] = `bench-${phase}-${n}`;
			const req = http.request({ agent, hostname, port, path, method: 'POST', headers }, (res) => {
				res.resume();
				res.on('end', () => {
					statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
					resolve();
				});
			});
			req.on('error', reject);
			req.end(body);
		});

	let next = 0;
	const loop = async () => {
		while (next < options.requests) await send(next++);
	};
	for (let i = 0; i < 200; i++) await send(i); // warm-up, not measured
	next = 0;
	phase = 'measured';
	statuses.clear();
	worker.postMessage('start');
	const started = process.hrtime.bigint();
	await Promise.all(Array.from({ length: options.concurrency }, loop));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;

	worker.postMessage('stop');
	const { counts, busy } = await new Promise((resolve) => worker.once('message', resolve));
	agent.destroy();
	printReport(options, seconds, statuses, counts, busy);
}

/**
 * @param {ReturnType<typeof parseArgs>} options
 * @param {number} seconds
 * @param {Map<number | undefined, number>} statuses
 * @param {{ requests: number, idsApplied: number }} counts
 * @param {number} busy
 */
function printReport(options, seconds, statuses, counts, busy) {
	const perSecond = Math.round(options.requests / seconds);
	process.stdout.write(
		`${options.requests} bulk requests of ${options.ids} ids, concurrency ${options.concurrency}${options.idempotency ? ', with Idempotency-Key' : ''}\n` +
			`  ${seconds.toFixed(2)} s: ${perSecond} requests/s, ${perSecond * options.ids} ids/s\n` +
			`  emulator thread busy ${(busy * 100).toFixed(0)}% of the time (${Math.round(perSecond / busy)} requests/s at 100%)\n` +
			`  statuses: ${JSON.stringify(Object.fromEntries(statuses))}, emulator counted ${counts.requests} requests, ${counts.idsApplied} ids applied\n`,
	);
}

if (isMainThread) {
	runLoad().catch((err) => {
		process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
		process.exit(1);
	});
} else {
	runEmulatorWorker();
}
