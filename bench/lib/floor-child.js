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

async function main() {
	/** @type {FloorInput} */
	const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
	const { hostname, port } = new URL(input.url);
	const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
	const path = `/api/v1/teams/${encodeURIComponent(input.teamId)}/bulk`;
	/** @type {string[][]} */
	const batches = [];
	for (let start = 0; start < input.ids.length; start += 100)
		batches.push(input.ids.slice(start, start + 100));

	/** @type {Record<string, number>} */
	const byStatus = {};
	let requests = 0;
	let idsSucceeded = 0;
	/** @type {number | undefined} */ let remaining;
	/** @type {number | undefined} */ let resetAtMs;
	let inFlight = 0;
	/** @type {number | undefined} the lowest X-RateLimit-Remaining seen in the current window */
	let lowestLeft;
	/** @type {(() => void)[]} */
	let waiters = [];
	const nextAnswer = () => new Promise((resolve) => waiters.push(() => resolve(undefined)));

	/**
	 * @param {string} body
	 * @param {string} idempotencyKey
	 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
	 */
	const post = (body, idempotencyKey) =>
		new Promise((resolve, reject) => {
			const request = http.request(
				{
					agent,
					hostname,
					port,
					path,
					method: 'POST',
					headers: {
						authorization: `Bearer ${input.key}`,
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

	/** @param {number} seq */
	const send = async (seq) => {
		const body = JSON.stringify({
			action: 'update',
			resource: 'tickets',
			ids: batches[seq],
			data: input.data,
		});
		const idempotencyKey = `floor-${input.runKey}-${seq}`;
		for (;;) {
			// The budget looks spent but calls are still under way: their answers tell the exact count.
			while (
				remaining !== undefined &&
				remaining <= 0 &&
				inFlight > 0 &&
				!(resetAtMs !== undefined && Date.now() >= resetAtMs)
			) {
				await nextAnswer();
			}
			if (
				remaining !== undefined &&
				remaining <= 0 &&
				resetAtMs !== undefined &&
				Date.now() < resetAtMs
			) {
				await sleep(resetAtMs - Date.now() + 50);
			}
			if (resetAtMs !== undefined && Date.now() >= resetAtMs) {
				remaining = undefined;
				resetAtMs = undefined;
				lowestLeft = undefined;
			}
			if (remaining !== undefined) remaining--;
			inFlight++;
			const answer = await post(body, idempotencyKey).finally(() => inFlight--);
			requests++;
			byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
			const left = Number(header(answer.headers['x-ratelimit-remaining']));
			const reset = Number(header(answer.headers['x-ratelimit-reset']));
			if (
				Number.isFinite(left) &&
				Number.isFinite(reset) &&
				header(answer.headers['x-ratelimit-reset']) !== undefined
			) {
				const sameWindow = resetAtMs === reset * 1000 && remaining !== undefined;
				lowestLeft = sameWindow && lowestLeft !== undefined ? Math.min(lowestLeft, left) : left;
				if (inFlight === 0) {
					// Nothing under way: every call sent has been counted, and the lowest count is exact.
					remaining = lowestLeft;
				} else {
					// Calls still under way may be counted before their answers arrive: assume they are.
					const estimate = left - inFlight;
					remaining = sameWindow ? Math.min(/** @type {number} */ (remaining), estimate) : estimate;
				}
				resetAtMs = reset * 1000;
			}
			const waiting = waiters;
			waiters = [];
			for (const wake of waiting) wake();
			if (answer.status === 429) {
				const retryAfter = Number(header(answer.headers['retry-after']) ?? 1);
				await sleep(Math.max(1, retryAfter) * 1000);
				continue;
			}
			if (answer.status < 200 || answer.status >= 300)
				throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
			idsSucceeded += Number(JSON.parse(answer.text)?.data?.succeeded ?? 0);
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
	agent.destroy();
	let vmHwmKb = 0;
	try {
		vmHwmKb = Number(
			/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0,
		);
	} catch {
		vmHwmKb = Math.round(process.memoryUsage().rss / 1024);
	}
	process.stdout.write(
		`${JSON.stringify({ wallMs, requests, byStatus, idsSucceeded, vmHwmKb })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`floor failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
