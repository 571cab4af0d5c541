// @ts-check
'use strict';

/**
 * The node's own CPU time per id, measured in-process, without n8n: the built node's execute() runs
 * with a stub context whose parameters are plain values (no n8n expression engine; IDs is written as
 * ={{ $json.id }}, n8n's default) and whose HTTP helper
 * answers every call at once from memory with "all succeeded" and X-RateLimit-* headers. What is left is
 * the node's own work: reading and parsing the ids, planning the calls, the retry/pacing bookkeeping,
 * interpreting each answer, and building one output item per id. A benchmark may stub; the tests don't.
 *
 * Run as a child process (a fresh heap per measurement):
 *   node bench/lib/node-cpu-child.js <ids> <runs> [idsPerItem] [perId|summary]
 * (items of one id each by default; 100 per item is how the big workload gives them) prints one JSON line { ids, runs: [{ cpuUs, userUs, systemUs, wallMs, succeeded, calls }] }.
 * The first run is cold (the JIT has not seen the code yet), like the first execution in a fresh n8n.
 */

const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'nodes', 'CstarBulk', 'CstarBulk.node.js');

/** @param {number} n */
function makeIds(n) {
	/** @type {string[]} */
	const ids = [];
	for (let i = 0; i < n; i++) ids.push(`tkt_${i.toString(16).padStart(32, '0')}`);
	return ids;
}

/** @param {string[]} ids @param {number} idsPerItem */
function itemsOf(ids, idsPerItem) {
	if (idsPerItem <= 1) return ids.map((id) => ({ json: { id } }));
	const items = [];
	for (let at = 0; at < ids.length; at += idsPerItem)
		items.push({ json: { id: ids.slice(at, at + idsPerItem) } });
	return items;
}

/** cStar's "all succeeded" answer for a call of n ids, one object per size. */
function answerBodies() {
	/** @type {Map<number, unknown>} */
	const bodies = new Map();
	/** @param {number} n */
	return (n) => {
		let body = bodies.get(n);
		if (!body) {
			body = {
				success: true,
				data: {
					object: 'bulk_result',
					action: 'update',
					resource: 'tickets',
					total: n,
					succeeded: n,
					failed: 0,
					errors: [],
				},
				meta: { requestId: 'req_bench000001', timestamp: '2026-01-15T12:00:00Z' },
			};
			bodies.set(n, body);
		}
		return body;
	};
}

/**
 * @param {string[]} ids
 * @param {number} idsPerItem
 * @param {string} succeededOutput
 */
function stubContext(ids, idsPerItem, succeededOutput) {
	const items = itemsOf(ids, idsPerItem);
	/** @type {Record<string, unknown>} */
	const fixed = {
		resource: 'ticket',
		operation: 'update',
		options: { succeededOutput },
		dataMode: 'fields',
		updateFields: { status: 'pending' },
	};
	const node = {
		id: 'bench-node',
		name: 'Cstar Bulk',
		type: 'n8n-nodes-cstar.cstarBulk',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	let calls = 0;
	const headers = {
		'x-ratelimit-limit': '1000000000',
		'x-ratelimit-remaining': '999999999',
		'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
	};
	const bodyFor = answerBodies();
	const context = {
		getInputData: () => items,
		getNodeParameter: (
			/** @type {string} */ name,
			/** @type {number} */ itemIndex,
			/** @type {unknown} */ fallback,
			/** @type {{ rawExpressions?: boolean } | undefined} */ options,
		) => {
			// As n8n: with rawExpressions the parameter as written, else its value for the item.
			if (name === 'ids')
				return options?.rawExpressions ? '={{ $json.id }}' : items[itemIndex].json.id;
			return name in fixed ? fixed[name] : fallback;
		},
		continueOnFail: () => false,
		getNode: () => node,
		getCredentials: async () => ({
			apiKey: 'sk_test_example_bench',
			teamId: 'team-bench',
			baseUrl: 'http://127.0.0.1:9',
		}),
		getExecutionCancelSignal: () => undefined,
		getExecutionId: () => 'bench-execution',
		getWorkflowDataProxy: () => ({ $runIndex: 0 }),
		helpers: {
			httpRequestWithAuthentication: async (
				/** @type {string} */ _type,
				/** @type {{ body: { ids: string[] } }} */ options,
			) => {
				calls++;
				return { statusCode: 200, headers, body: bodyFor(options.body.ids.length) };
			},
		},
	};
	return { context, calls: () => calls };
}

async function main() {
	const count = Number(process.argv[2] ?? 100000);
	const runs = Number(process.argv[3] ?? 4);
	const idsPerItem = Number(process.argv[4] ?? 1);
	const succeededOutput = process.argv[5] ?? 'perId';
	const { CstarBulk } = require(DIST);
	const ids = makeIds(count);
	const results = [];
	for (let run = 0; run < runs; run++) {
		const node = new CstarBulk();
		const stub = stubContext(ids, idsPerItem, succeededOutput);
		const wallStart = process.hrtime.bigint();
		const cpuStart = process.cpuUsage();
		const outputs = await node.execute.call(/** @type {any} */ (stub.context));
		const cpu = process.cpuUsage(cpuStart);
		const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
		results.push({
			cpuUs: cpu.user + cpu.system,
			userUs: cpu.user,
			systemUs: cpu.system,
			wallMs,
			succeeded: outputs[0].length,
			failed: outputs[1].length,
			calls: stub.calls(),
		});
	}
	process.stdout.write(
		`${JSON.stringify({ ids: count, idsPerItem, succeededOutput, node: process.version, runs: results })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(
		`node-cpu failed: ${error instanceof Error ? error.stack : String(error)}\n`,
	);
	process.exit(1);
});
