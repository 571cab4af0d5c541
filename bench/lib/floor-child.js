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
 * With `search`, it first lists what the filters match, as the node in search mode does at the least:
 * page 1 (100 records), then the other pages its count gives, `concurrency` at a time, on the same
 * budget; then it sends the listed ids as above. No drift check, no second listing.
 * It does not check more of the answer than `succeeded`; the bench checks the ids on the emulator.
 *
 * Run as a child process: argv[2] is a JSON file { url, teamId, key, ids, concurrency, data, runKey,
 * search? }; it prints one JSON line { wallMs, requests, listCalls, listed, byStatus, idsSucceeded, vmHwmKb }.
 */

const fs = require('node:fs');
const http = require('node:http');

const { callsOf, listQuery, pagesAfterFirst } = require('./floor-plan');

/**
 * @typedef {object} FloorInput
 * @property {string} url
 * @property {string} teamId
 * @property {string} key
 * @property {string[]} ids
 * @property {number} concurrency
 * @property {Record<string, unknown>} data
 * @property {string} runKey
 * @property {{ resource: string, filters: Record<string, string> }} [search]   list first (ids is then ignored)
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
 * @property {string} teamPath   /api/v1/teams/{teamId}
 * @property {string} key
 */

/**
 * @param {Client} client
 * @param {{ method: 'GET' | 'POST', path: string, body?: string, idempotencyKey?: string }} call
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
 */
function send(client, call) {
	/** @type {Record<string, string | number>} */
	const headers = { authorization: `Bearer ${client.key}`, accept: 'application/json' };
	if (call.body !== undefined) {
		headers['content-type'] = 'application/json';
		headers['content-length'] = Buffer.byteLength(call.body);
	}
	if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				agent: client.agent,
				hostname: client.hostname,
				port: client.port,
				path: `${client.teamPath}${call.path}`,
				method: call.method,
				headers,
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
		request.end(call.body);
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

/**
 * @typedef {object} Totals
 * @property {number} requests
 * @property {number} listCalls
 * @property {number} listed
 * @property {number} idsSucceeded
 * @property {Record<string, number>} byStatus
 */

/**
 * One call on the budget: waits until it may go, and after a 429 waits for Retry-After and sends it
 * again. Any other status is the caller's.
 * @param {Client} client
 * @param {Budget} budget
 * @param {Totals} totals
 * @param {Parameters<typeof send>[1]} call
 */
async function paced(client, budget, totals, call) {
	for (;;) {
		await budget.take();
		const answer = await send(client, call).catch((error) => {
			budget.inFlight--;
			throw error;
		});
		budget.answered(answer.headers);
		totals.requests++;
		totals.byStatus[answer.status] = (totals.byStatus[answer.status] ?? 0) + 1;
		if (answer.status !== 429) {
			if (answer.status < 200 || answer.status >= 300)
				throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
			return answer;
		}
		await sleep(Math.max(1, Number(header(answer.headers['retry-after']) ?? 1)) * 1000);
	}
}

/**
 * Runs `task(0..count-1)` with `concurrency` under way at once, in order of start.
 * @param {number} count
 * @param {number} concurrency
 * @param {(index: number) => Promise<void>} task
 */
async function inParallel(count, concurrency, task) {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}

/**
 * The ids the search matches, in list order: page 1, then the pages its count gives.
 * @param {Client} client
 * @param {Budget} budget
 * @param {Totals} totals
 * @param {NonNullable<FloorInput['search']>} search
 * @param {number} concurrency
 */
async function listAll(client, budget, totals, search, concurrency) {
	const readPage = async (/** @type {number} */ page) => {
		const path = `/${search.resource}?${listQuery(search.filters, page)}`;
		const answer = await paced(client, budget, totals, { method: 'GET', path });
		totals.listCalls++;
		const body = JSON.parse(answer.text);
		const total = Number(body?.pagination?.total ?? body?.meta?.pagination?.total);
		return { total, ids: body.data.map((/** @type {{ id: string }} */ record) => record.id) };
	};
	const first = await readPage(1);
	const rest = pagesAfterFirst(first.total);
	/** @type {string[][]} */
	const pages = [first.ids];
	await inParallel(rest.length, concurrency, async (index) => {
		pages[index + 1] = (await readPage(rest[index])).ids;
	});
	const ids = pages.flat();
	totals.listed = ids.length;
	return ids;
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
		teamPath: `/api/v1/teams/${encodeURIComponent(input.teamId)}`,
		key: input.key,
	};
	const budget = new Budget();
	/** @type {Totals} */
	const totals = { requests: 0, listCalls: 0, listed: 0, idsSucceeded: 0, byStatus: {} };

	const started = process.hrtime.bigint();
	const ids = input.search
		? await listAll(client, budget, totals, input.search, input.concurrency)
		: input.ids;
	const batches = callsOf(ids);
	await inParallel(batches.length, input.concurrency, async (seq) => {
		const body = JSON.stringify({
			action: 'update',
			resource: 'tickets',
			ids: batches[seq],
			data: input.data,
		});
		const idempotencyKey = `floor-${input.runKey}-${seq}`;
		const answer = await paced(client, budget, totals, {
			method: 'POST',
			path: '/bulk',
			body,
			idempotencyKey,
		});
		totals.idsSucceeded += Number(JSON.parse(answer.text)?.data?.succeeded ?? 0);
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	client.agent.destroy();
	process.stdout.write(`${JSON.stringify({ wallMs, ...totals, vmHwmKb: peakKb() })}\n`);
}

main().catch((error) => {
	process.stderr.write(`floor failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
