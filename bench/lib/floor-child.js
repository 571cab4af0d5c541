// @ts-check
'use strict';

/**
 * The floor: a plain Node script (no n8n) that sends the same calls as the Cstar Bulk node — the ids in
 * order, 100 per POST /bulk, with an Idempotency-Key — straight to the emulator over keep-alive HTTP,
 * `concurrency` calls at a time. Under a rate limit it paces on X-RateLimit-Remaining/-Reset and, after
 * a 429, waits for Retry-After and sends the call again, so it also sets the floor for rate-limited runs.
 * When it adopts the budget an answer reports, it subtracts the calls still under way (the server may
 * already have counted them), and when that leaves nothing it waits for their answers, which give the
 * exact count, before waiting for the next window: with several calls at once it spends no request on a
 * 429 and leaves no budget unused.
 * It does not check more of the answer than `succeeded`; the bench checks the ids on the emulator.
 *
 * Run as a child process: argv[2] is a JSON file { url, teamId, key, ids, concurrency, data, runKey };
 * it prints one JSON line { wallMs, requests, byStatus, idsSucceeded, vmHwmKb }.
 */

const fs = require('node:fs');
const http = require('node:http');

/**
 * @typedef {object} FloorInput
 * @property {string} url
 * @property {string} teamId
 * @property {string} key
 * @property {string[]} ids
 * @property {number} concurrency
 * @property {Record<string, unknown>} data
 * @property {string} runKey
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string | string[] | undefined} value */
const header = (value) => (Array.isArray(value) ? value[0] : value);

/**
 * @typedef {object} Client
 * @property {import('node:http').Agent} agent
 * @property {string} hostname
 * @property {string} port
 * @property {string} path
 * @property {string} key
 */

/**
 * @param {Client} client
 * @param {string} body
 * @param {string} idempotencyKey
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
 */
function post(client, body, idempotencyKey) {
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				agent: client.agent,
				hostname: client.hostname,
				port: client.port,
				path: client.path,
				method: 'POST',
				headers: {
					authorization: `Bearer ${client.key}`,
					'content-type': 'application/json',
					accept: 'application/json',
					'content-length': Buffer.byteLength(body),
					'idempotency-key': idempotencyKey,
				},
			},
			(response) => {
				/** @type {Buffer[]} */
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						text: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

/**
 * The floor's pacing on X-RateLimit-*: every call sent is counted, an answer's remaining count is
 * adopted minus the calls still under way, and when nothing is left but calls are under way, their
 * answers (the exact count) are awaited before waiting for the reset.
 */
class Budget {
	constructor() {
		/** @type {number | undefined} */ this.remaining = undefined;
		/** @type {number | undefined} */ this.resetAtMs = undefined;
		/** @type {number | undefined} the lowest X-RateLimit-Remaining seen in the current window */
		this.lowestLeft = undefined;
		this.inFlight = 0;
		/** @type {(() => void)[]} */
		this.waiters = [];
	}

	spent() {
		return this.remaining !== undefined && this.remaining <= 0;
	}

	resetPassed() {
		return this.resetAtMs !== undefined && Date.now() >= this.resetAtMs;
	}

	/** Waits until a call may go, and counts it. */
	async take() {
		while (this.spent() && this.inFlight > 0 && !this.resetPassed())
			await new Promise((resolve) => this.waiters.push(() => resolve(undefined)));
		if (this.spent() && this.resetAtMs !== undefined && !this.resetPassed())
			await sleep(this.resetAtMs - Date.now() + 50);
		if (this.resetPassed()) {
			this.remaining = undefined;
			this.resetAtMs = undefined;
			this.lowestLeft = undefined;
		}
		if (this.remaining !== undefined) this.remaining--;
		this.inFlight++;
	}

	/** @param {import('node:http').IncomingHttpHeaders} headers */
	answered(headers) {
		this.inFlight--;
		const left = Number(header(headers['x-ratelimit-remaining']));
		const reset = Number(header(headers['x-ratelimit-reset']));
		if (
			Number.isFinite(left) &&
			Number.isFinite(reset) &&
			header(headers['x-ratelimit-reset']) !== undefined
		) {
			const sameWindow = this.resetAtMs === reset * 1000 && this.remaining !== undefined;
			this.lowestLeft =
				sameWindow && this.lowestLeft !== undefined ? Math.min(this.lowestLeft, left) : left;
			// Nothing under way: every call sent has been counted, and the lowest count is exact.
			// Otherwise calls still under way may be counted before their answers arrive: assume they are.
			const estimate = this.inFlight === 0 ? this.lowestLeft : left - this.inFlight;
			this.remaining =
				sameWindow && this.inFlight > 0
					? Math.min(/** @type {number} */ (this.remaining), estimate)
					: estimate;
			this.resetAtMs = reset * 1000;
		}
		const waiting = this.waiters;
		this.waiters = [];
		for (const wake of waiting) wake();
	}
}

/** @returns {number} this process's peak memory */
function peakKb() {
	try {
		return Number(
			/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0,
		);
	} catch {
		return Math.round(process.memoryUsage().rss / 1024);
	}
}

/** @param {string[]} ids @returns {string[][]} calls of 100 ids */
function callsOf(ids) {
	const calls = [];
	for (let start = 0; start < ids.length; start += 100) calls.push(ids.slice(start, start + 100));
	return calls;
}

async function main() {
	/** @type {FloorInput} */
	const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
	const { hostname, port } = new URL(input.url);
	/** @type {Client} */
	const client = {
		agent: new http.Agent({ keepAlive: true, maxSockets: input.concurrency }),
		hostname,
		port,
		path: `/api/v1/teams/${encodeURIComponent(input.teamId)}/bulk`,
		key: input.key,
	};
	const batches = callsOf(input.ids);
	const budget = new Budget();
	const totals = {
		requests: 0,
		idsSucceeded: 0,
		byStatus: /** @type {Record<string, number>} */ ({}),
	};

	/** @param {number} seq */
	const send = async (seq) => {
		const body = JSON.stringify({
			action: 'update',
			resource: 'tickets',
			ids: batches[seq],
			data: input.data,
		});
		for (;;) {
			await budget.take();
			const answer = await post(client, body, `floor-${input.runKey}-${seq}`).catch((error) => {
				budget.inFlight--;
				throw error;
			});
			budget.answered(answer.headers);
			totals.requests++;
			totals.byStatus[answer.status] = (totals.byStatus[answer.status] ?? 0) + 1;
			if (answer.status === 429) {
				await sleep(Math.max(1, Number(header(answer.headers['retry-after']) ?? 1)) * 1000);
				continue;
			}
			if (answer.status < 200 || answer.status >= 300)
				throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
			totals.idsSucceeded += Number(JSON.parse(answer.text)?.data?.succeeded ?? 0);
			return;
		}
	};

	let next = 0;
	const worker = async () => {
		while (next < batches.length) await send(next++);
	};
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: Math.max(1, Math.min(input.concurrency, batches.length)) }, worker),
	);
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	client.agent.destroy();
	process.stdout.write(`${JSON.stringify({ wallMs, ...totals, vmHwmKb: peakKb() })}\n`);
}

main().catch((error) => {
	process.stderr.write(`floor failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
