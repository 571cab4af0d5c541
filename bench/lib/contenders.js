// @ts-check
'use strict';

/**
 * The contenders, each run on the same ids and emulator settings.
 */

/**
 * @typedef {object} Contender
 * @property {string} key
 * @property {string} label       short, for tables and the chart legend
 * @property {string} description how it is set up
 * @property {'n8n' | 'floor'} kind
 * @property {import('./workflows').ContenderSpec} [spec]   n8n contenders
 * @property {number} [concurrency]                          floor contenders
 * @property {string} [floorRef]   the floor it is compared with: the same concurrency
 * @property {string} [n8nFloorRef]   the floor inside n8n it is compared with: the same concurrency
 * @property {string} color        chart colour
 * @property {WorkloadKind[]} runsIn  the kinds of workload it takes part in
 */

/** @typedef {'unlimited' | 'rate-limited' | 'million'} WorkloadKind */

/** @type {Contender[]} */
const CONTENDERS = [
	{
		key: 'cstar',
		label: 'Cstar Bulk (defaults)',
		description:
			'Cstar Bulk node with default options: 100 ids per call, one call at a time, pacing on X-RateLimit-*.',
		kind: 'n8n',
		spec: { kind: 'cstar' },
		floorRef: 'floor-c1',
		n8nFloorRef: 'n8n-floor-c1',
		color: '#d62728',
		runsIn: ['unlimited', 'rate-limited'],
	},
	{
		key: 'cstar-p4',
		label: 'Cstar Bulk (parallelRequests 4)',
		description: 'Cstar Bulk node with Parallel Requests 4, other options default.',
		kind: 'n8n',
		spec: { kind: 'cstar', parallelRequests: 4 },
		floorRef: 'floor-c4',
		n8nFloorRef: 'n8n-floor-c4',
		color: '#ff7f0e',
		runsIn: ['unlimited', 'rate-limited', 'million'],
	},
	{
		key: 'cstar-p4-summary',
		label: 'Cstar Bulk (parallelRequests 4, summary output)',
		description:
			'Cstar Bulk node with Parallel Requests 4 and Succeeded Output "One Summary Item": one item with the counts on Succeeded.',
		kind: 'n8n',
		spec: { kind: 'cstar', parallelRequests: 4, summary: true },
		floorRef: 'floor-c4',
		n8nFloorRef: 'n8n-floor-c4',
		color: '#9467bd',
		runsIn: ['unlimited', 'million'],
	},
	{
		key: 'cstar-p10',
		label: 'Cstar Bulk (parallelRequests 10)',
		description: 'Cstar Bulk node with Parallel Requests 10 (its maximum), under the rate limit.',
		kind: 'n8n',
		spec: { kind: 'cstar', parallelRequests: 10 },
		floorRef: 'floor-c10',
		color: '#8c564b',
		runsIn: ['rate-limited'],
	},
	{
		key: 'per-item',
		label: 'HTTP Request per item',
		description:
			'HTTP Request node, one PATCH /tickets/{id} per item, Header Auth credential, On Error: Continue. ' +
			'Without a rate limit: no Batching option, so n8n starts every request at once (its default and its fastest). ' +
			"Under the rate limit: Batching set to the limit (Items per Batch = the limit, Batch Interval = the window), as the node's own 429 hint suggests.",
		kind: 'n8n',
		spec: { kind: 'perItem' },
		floorRef: 'floor-c4',
		color: '#1f77b4',
		runsIn: ['unlimited', 'rate-limited'],
	},
	{
		key: 'diy',
		label: 'DIY bulk (Loop + Aggregate + HTTP)',
		description:
			'Loop Over Items (batch size 100) → Aggregate (ids into a list) → HTTP Request POST /bulk → back to the loop; ' +
			"Header Auth credential; Retry On Fail with 5 tries, 5 s apart (n8n's longest wait).",
		kind: 'n8n',
		spec: { kind: 'diy' },
		floorRef: 'floor-c1',
		color: '#2ca02c',
		runsIn: ['unlimited', 'rate-limited'],
	},
	{
		key: 'n8n-floor-c1',
		label: 'Floor in n8n: its HTTP helper, 1 at a time',
		description:
			"A bench-only node (bench/n8n-floor/) sending the same calls of 100 ids through n8n's httpRequestWithAuthentication, as Cstar Bulk does, with the credential read once, one at a time; no parameter read per item, no retries, no pacing, one summary item out.",
		kind: 'n8n',
		spec: { kind: 'n8nFloor', parallelRequests: 1 },
		floorRef: 'floor-c1',
		color: '#e377c2',
		runsIn: ['unlimited'],
	},
	{
		key: 'n8n-floor-c4',
		label: 'Floor in n8n: its HTTP helper, 4 at a time',
		description: 'The same bench-only node with 4 calls under way at once.',
		kind: 'n8n',
		spec: { kind: 'n8nFloor', parallelRequests: 4 },
		floorRef: 'floor-c4',
		color: '#f7b6d2',
		runsIn: ['unlimited'],
	},
	{
		key: 'floor-c1',
		label: 'Floor: plain Node, 1 at a time',
		description:
			'A plain Node script (no n8n) sending the same calls of 100 ids to /bulk over keep-alive HTTP, one at a time.',
		kind: 'floor',
		concurrency: 1,
		color: '#7f7f7f',
		runsIn: ['unlimited', 'rate-limited'],
	},
	{
		key: 'floor-c4',
		label: 'Floor: plain Node, 4 at a time',
		description: 'The same script with 4 calls under way at once.',
		kind: 'floor',
		concurrency: 4,
		color: '#bcbd22',
		runsIn: ['unlimited', 'rate-limited', 'million'],
	},
	{
		key: 'floor-c10',
		label: 'Floor: plain Node, 10 at a time',
		description: 'The same script with 10 calls under way at once (under the rate limit).',
		kind: 'floor',
		concurrency: 10,
		color: '#17becf',
		runsIn: ['rate-limited'],
	},
];

/** @param {string} key */
function contenderByKey(key) {
	const contender = CONTENDERS.find((c) => c.key === key);
	if (!contender) throw new Error(`unknown contender ${key}`);
	return contender;
}

/**
 * Whether a contender takes part in a workload.
 * @param {Contender} contender
 * @param {import('./runner').Workload} workload
 */
function runsIn(contender, workload) {
	const kind = workload.rateLimit
		? 'rate-limited'
		: workload.idsPerItem > 1
			? 'million'
			: 'unlimited';
	// --from-json of a run before runsIn existed: every contender ran everywhere but the big workload.
	return (contender.runsIn ?? ['unlimited', 'rate-limited']).includes(kind);
}

module.exports = { CONTENDERS, contenderByKey, runsIn };
