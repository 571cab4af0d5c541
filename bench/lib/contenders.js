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
 * @property {boolean} [listsFirst]                          floor contenders: list what the search matches, then bulk
 * @property {string} [floorRef]   the floor it is compared with: the same concurrency
 * @property {string} [n8nFloorRef]   the floor inside n8n it is compared with: the same concurrency
 * @property {string} color        chart colour
 * @property {WorkloadKind[]} runsIn  the kinds of workload it takes part in
 */

/** @typedef {'unlimited' | 'rate-limited' | 'million' | 'search' | 'search-rate-limited'} WorkloadKind */

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
		runsIn: ['unlimited', 'rate-limited', 'million', 'search'],
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
		key: 'cstar-search',
		label: 'Cstar Bulk search (defaults)',
		description:
			'Cstar Bulk node with Records "Matching a Search" (the workload\'s filters, Limit "No Limit"), other options default: it lists every match, 100 per page, then updates them 100 per call.',
		kind: 'n8n',
		spec: { kind: 'cstar', search: true },
		floorRef: 'floor-search-c1',
		color: '#d62728',
		runsIn: ['search-rate-limited'],
	},
	{
		key: 'cstar-search-p4',
		label: 'Cstar Bulk search (parallelRequests 4)',
		description:
			'The same with Parallel Requests 4 (pages after the first and bulk calls 4 at a time).',
		kind: 'n8n',
		spec: { kind: 'cstar', search: true, parallelRequests: 4 },
		floorRef: 'floor-search-c4',
		color: '#ff7f0e',
		runsIn: ['search', 'search-rate-limited'],
	},
	{
		key: 'cstar-search-p10',
		label: 'Cstar Bulk search (parallelRequests 10)',
		description: 'The same with Parallel Requests 10, under the rate limit.',
		kind: 'n8n',
		spec: { kind: 'cstar', search: true, parallelRequests: 10 },
		floorRef: 'floor-search-c10',
		color: '#8c564b',
		runsIn: ['search-rate-limited'],
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
	{
		key: 'floor-search-c1',
		label: 'Floor: plain Node lists, then bulks, 1 at a time',
		description:
			'The plain Node floor in search mode: lists the matching tickets (page 1, then the pages its count gives, 100 each), then sends their ids in calls of 100, one at a time, pacing on X-RateLimit-*.',
		kind: 'floor',
		concurrency: 1,
		listsFirst: true,
		color: '#7f7f7f',
		runsIn: ['search-rate-limited'],
	},
	{
		key: 'floor-search-c4',
		label: 'Floor: plain Node lists, then bulks, 4 at a time',
		description:
			'The same with 4 calls under way at once (pages after the first, then bulk calls).',
		kind: 'floor',
		concurrency: 4,
		listsFirst: true,
		color: '#bcbd22',
		runsIn: ['search', 'search-rate-limited'],
	},
	{
		key: 'floor-search-c10',
		label: 'Floor: plain Node lists, then bulks, 10 at a time',
		description: 'The same with 10 calls under way at once, under the rate limit.',
		kind: 'floor',
		concurrency: 10,
		listsFirst: true,
		color: '#17becf',
		runsIn: ['search-rate-limited'],
	},
];

/** @param {string} key */
function contenderByKey(key) {
	const contender = CONTENDERS.find((c) => c.key === key);
	if (!contender) throw new Error(`unknown contender ${key}`);
	return contender;
}

/**
 * The kind of a workload: ids given as items (one each, no rate limit, or under it, or items of 100),
 * or tickets the node finds by a search (with or without a rate limit).
 * @param {import('./runner').Workload} workload
 * @returns {WorkloadKind}
 */
function workloadKind(workload) {
	if (workload.search) return workload.rateLimit ? 'search-rate-limited' : 'search';
	if (workload.rateLimit) return 'rate-limited';
	return (workload.idsPerItem ?? 1) > 1 ? 'million' : 'unlimited';
}

/**
 * Whether a contender takes part in a workload.
 * @param {Contender} contender
 * @param {import('./runner').Workload} workload
 */
function runsIn(contender, workload) {
	// --from-json of a run before runsIn existed: every contender ran everywhere but the big workload.
	return (contender.runsIn ?? ['unlimited', 'rate-limited']).includes(workloadKind(workload));
}

module.exports = { CONTENDERS, contenderByKey, runsIn, workloadKind };
