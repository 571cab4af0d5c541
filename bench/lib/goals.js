// @ts-check
'use strict';

/**
 * The goals of issue 12 (and those of issue 5 it keeps), judged on this run's numbers: a list of named
 * goal functions. Each says met, missed or not measured (its workload was not part of the run), with
 * the numbers, and for a miss, why and what could still move it, as far as the numbers show.
 */

const { median } = require('./summary');
const { fmtInt, fmtSeconds, fmtMB, fmtRatio } = require('./format');
const { workloadKind } = require('./contenders');
const { searchCalls } = require('./floor-plan');

/** @typedef {import('./summary').SummaryRow} SummaryRow */
/** @typedef {import('./runner').RunRecord} RunRecord */
/** @typedef {import('./runner').BaselineRecord} BaselineRecord */
/** @typedef {import('./runner').Workload} Workload */
/** @typedef {import('./summary').Cutoff} Cutoff */

/**
 * @typedef {object} Goal
 * @property {string} id
 * @property {string} goal
 * @property {'met' | 'missed' | 'not measured'} status
 * @property {string} numbers
 * @property {string} [why]
 * @property {string} [close]   what would close it
 */

/**
 * @typedef {object} CpuResult
 * @property {number} ids
 * @property {number} [idsPerItem]
 * @property {string} node
 * @property {{ cpuUs: number, wallMs: number, succeeded: number, calls: number }[]} runs
 * @property {number} coldUsPerId
 * @property {number} warmUsPerId   median of the runs after the first
 */

/**
 * @typedef {object} Diagnostic
 * @property {string} key
 * @property {string} label
 * @property {import('./runner').RunRecord} record
 */

/**
 * @typedef {object} GoalInput
 * @property {SummaryRow[]} rows
 * @property {RunRecord[]} runs
 * @property {Workload[]} workloads
 * @property {BaselineRecord[]} baselines
 * @property {CpuResult | undefined} cpu
 * @property {CpuResult[]} [cpuScaling]
 * @property {Cutoff[]} cutoffs
 * @property {Diagnostic[]} diagnostics
 */

/**
 * @typedef {GoalInput & {
 *   row: (workload: string | undefined, contender: string) => SummaryRow | undefined,
 *   unlimitedKey: (ids: number, latency: number) => string | undefined,
 *   rateLimited: Workload | undefined,
 *   million: Workload | undefined,
 *   searchRateLimited: Workload | undefined,
 *   searchLatency: Workload | undefined,
 * }} Judged
 */

const OURS_SEARCH = ['cstar-search', 'cstar-search-p4', 'cstar-search-p10'];
const OURS = ['cstar', 'cstar-p4', 'cstar-p4-summary', 'cstar-p10', ...OURS_SEARCH];
const LABEL = /** @type {Record<string, string>} */ ({
	cstar: 'Cstar Bulk (defaults)',
	'cstar-p4': 'Cstar Bulk (parallelRequests 4)',
	'cstar-p4-summary': 'Cstar Bulk (parallelRequests 4, summary output)',
	'cstar-p10': 'Cstar Bulk (parallelRequests 10)',
	'cstar-search': 'Cstar Bulk search (defaults)',
	'cstar-search-p4': 'Cstar Bulk search (parallelRequests 4)',
	'cstar-search-p10': 'Cstar Bulk search (parallelRequests 10)',
	'per-item': 'HTTP Request per item',
	diy: 'DIY bulk',
	'n8n-floor-c1': 'floor in n8n at 1',
	'n8n-floor-c4': 'floor in n8n at 4',
	'floor-c1': 'floor at 1',
	'floor-c4': 'floor at 4',
	'floor-c10': 'floor at 10',
	'floor-search-c1': 'floor that lists and then bulks, at 1',
	'floor-search-c4': 'floor that lists and then bulks, at 4',
	'floor-search-c10': 'floor that lists and then bulks, at 10',
});
const FLOOR_OF = /** @type {Record<string, string>} */ ({
	cstar: 'floor-c1',
	'cstar-p4': 'floor-c4',
	'cstar-p4-summary': 'floor-c4',
	'cstar-p10': 'floor-c10',
	'cstar-search': 'floor-search-c1',
	'cstar-search-p4': 'floor-search-c4',
	'cstar-search-p10': 'floor-search-c10',
});

/** The floor inside n8n (n8n's HTTP helper and nothing else) at the same concurrency. */
const N8N_FLOOR_OF = /** @type {Record<string, string>} */ ({
	cstar: 'n8n-floor-c1',
	'cstar-p4': 'n8n-floor-c4',
});

/**
 * @param {boolean} measured
 * @param {boolean} met
 * @returns {Goal['status']}
 */
const statusOf = (measured, met) => (!measured ? 'not measured' : met ? 'met' : 'missed');

/** @param {RunRecord} r */
const runName = (r) => `${r.contender} ${r.workload} run ${r.run}`;

/** @param {Judged} j @returns {Goal} */
function noLoss(j) {
	const mine = j.runs.filter((r) => OURS.includes(r.contender));
	const bad = mine.filter((r) => r.idsLost > 0 || r.idsTwice > 0 || r.idsUnexpected !== 0);
	const sum = (/** @type {(r: RunRecord) => number} */ of) => mine.reduce((n, r) => n + of(r), 0);
	return {
		id: 'no-loss',
		goal: 'Ours loses no id and applies none twice, in every run',
		status: statusOf(mine.length > 0, bad.length === 0),
		numbers: `${fmtInt(mine.length)} runs of ours, ${fmtInt(sum((r) => r.ids))} ids in all: ${fmtInt(sum((r) => r.idsLost))} lost, ${fmtInt(sum((r) => r.idsTwice))} applied twice`,
		why: bad.length
			? `Runs with lost or doubled ids: ${bad.map((r) => `${runName(r)} (${r.idsLost} lost, ${r.idsTwice} twice${r.error ? `, error: ${r.error}` : ''})`).join('; ')}.`
			: undefined,
	};
}

/** @param {Judged} j @returns {Goal} */
function callCount(j) {
	const unlimited = (/** @type {RunRecord} */ r) =>
		j.workloads.some(
			(w) => w.key === r.workload && ['unlimited', 'million'].includes(workloadKind(w)),
		);
	const checked = j.runs.filter((r) => OURS.includes(r.contender) && unlimited(r));
	const wrong = checked.filter((r) => r.requests !== Math.ceil(r.ids / 100));
	const parts = [];
	for (const contender of [...OURS, 'per-item', 'diy']) {
		const byIds = new Map();
		for (const r of j.runs.filter((x) => x.contender === contender && unlimited(x)))
			byIds.set(r.ids, Math.max(byIds.get(r.ids) ?? 0, r.requests));
		if (byIds.size === 0) continue;
		const sizes = [...byIds.keys()].sort((a, b) => a - b);
		parts.push(
			`${LABEL[contender]}: ${sizes.map((n) => fmtInt(byIds.get(n))).join(' / ')} calls for ${sizes.map(fmtInt).join(' / ')} ids`,
		);
	}
	return {
		id: 'calls',
		goal: 'Calls = ceil(unique ids / 100) with no faults (1/100 of per item)',
		status: statusOf(checked.length > 0, wrong.length === 0),
		numbers: `${parts.join('; ')} (highest over the runs)`,
		why: wrong.length
			? `Runs with other call counts: ${wrong.map((r) => `${runName(r)}: ${r.requests} calls for ${r.ids} ids, statuses ${JSON.stringify(r.byStatus)}`).join('; ')}.`
			: undefined,
	};
}

/** @param {Judged} j @returns {Goal[]} */
function idsPerWindow(j) {
	const key = j.rateLimited?.key;
	const perItem = j.row(key, 'per-item');
	return ['cstar', 'cstar-p4', 'cstar-p10'].map((contender) => {
		const ours = j.row(key, contender);
		const ratio =
			ours?.idsPerWindow !== undefined && perItem?.idsPerWindow
				? ours.idsPerWindow / perItem.idsPerWindow
				: undefined;
		return {
			id: `rl-ids-per-window-${contender}`,
			goal: `Under the rate limit, ${LABEL[contender]} completes at least 99× the ids per rate-limit window of HTTP Request per item`,
			status: statusOf(ratio !== undefined, (ratio ?? 0) >= 99),
			numbers:
				ours && perItem
					? `${fmtInt(ours.idsPerWindow ?? NaN)} ids per window (${fmtInt(ours.idsOnce)} ids in ${fmtInt(ours.windows ?? NaN)} windows) against ${fmtInt(perItem.idsPerWindow ?? NaN)} (${fmtInt(perItem.idsOnce)} ids in ${fmtInt(perItem.windows ?? NaN)} windows): ${fmtRatio(ratio ?? NaN)}`
					: 'a contender of the comparison was not run',
			why:
				ratio !== undefined && ratio < 99 && ours
					? `Ours needed ${fmtInt(ours.windows ?? NaN)} windows for its ${fmtInt(Math.ceil(ours.ids / 100))} calls; ${fmtInt(ours.rateLimitedMax)} 429s.`
					: undefined,
		};
	});
}

/** @param {Judged} j @returns {Goal[]} */
function zero429(j) {
	const key = j.rateLimited?.key;
	return ['cstar', 'cstar-p4', 'cstar-p10'].map((contender) => {
		const ours = j.row(key, contender);
		const floor = j.row(key, FLOOR_OF[contender]);
		return {
			id: `rl-429-${contender}`,
			goal: `Under the rate limit, zero 429s for ${LABEL[contender]} when the X-RateLimit-* headers give the budget`,
			status: statusOf(ours !== undefined, ours?.rateLimitedMax === 0),
			numbers: ours
				? `429s per run (median, highest): ${fmtInt(ours.rateLimited)}, ${fmtInt(ours.rateLimitedMax)} in ${fmtInt(ours.windows ?? NaN)} windows${floor ? `; the ${LABEL[FLOOR_OF[contender]]}: ${fmtInt(floor.rateLimited)}, ${fmtInt(floor.rateLimitedMax)}` : ''}`
				: 'not run',
			why:
				ours && ours.rateLimitedMax > 0
					? `The pacer (bulk/rateLimitPacer.ts) let ${fmtInt(ours.rateLimitedMax)} calls go that the budget did not hold; each waited for Retry-After and then succeeded.`
					: undefined,
		};
	});
}

/**
 * Ours at most `limit` × its floor at the same concurrency, at one workload.
 * @param {Judged} j
 * @param {{ id: string, ids: number, latencyMs: number, limit: number, contenders: string[], key?: string, what?: string }} spec
 * @returns {Goal[]}
 */
function nearFloor(j, spec) {
	const key = spec.key ?? j.unlimitedKey(spec.ids, spec.latencyMs);
	const what = spec.what ?? `${spec.latencyMs} ms, ${fmtInt(spec.ids)} ids`;
	return spec.contenders.map((contender) => {
		const ours = j.row(key, contender);
		const floor = j.row(key, FLOOR_OF[contender]);
		const ratio = ours && floor && ours.runs > 0 ? ours.wallMs / floor.wallMs : undefined;
		/** @type {Goal} */
		const goal = {
			id: `${spec.id}-${contender}`,
			goal: `No rate limit, ${what}: ${LABEL[contender]} at most ${spec.limit.toFixed(2)}× the ${LABEL[FLOOR_OF[contender]]}`,
			status: statusOf(ratio !== undefined, (ratio ?? Infinity) <= spec.limit),
			numbers:
				ours && floor
					? `${fmtSeconds(ours.wallMs)} against ${fmtSeconds(floor.wallMs)}: ${fmtRatio(ratio ?? NaN)}`
					: 'not run',
		};
		if (ratio !== undefined && ratio > spec.limit && ours && floor)
			Object.assign(goal, floorBreakdown(ours, floor, spec.limit));
		return goal;
	});
}

/**
 * Where ours' time went against the floor: before its first call, and per call.
 * @param {SummaryRow} ours
 * @param {SummaryRow} floor
 * @param {number} limit
 */
function floorBreakdown(ours, floor, limit) {
	const pre = ours.preSendMs ?? 0;
	const callsMs = ours.wallMs - pre;
	const calls = Math.max(1, ours.requests);
	const extraPerCall = (callsMs - floor.wallMs) / calls;
	const why =
		`Of ours' ${fmtSeconds(ours.wallMs)}, ${fmtSeconds(pre)} passed before its first call reached the emulator ` +
		`(${fmtInt((pre * 1000) / ours.ids)} µs per id: n8n hands the node its input, the node reads and plans the ids), ` +
		`and the calls took the other ${fmtSeconds(callsMs)} against the floor's ${fmtSeconds(floor.wallMs)} ` +
		`(${fmtRatio(callsMs / floor.wallMs)}; ${extraPerCall.toFixed(2)} ms more per call).`;
	const close =
		callsMs / floor.wallMs > limit
			? `The calls themselves are slower than the floor's by ${extraPerCall.toFixed(2)} ms each: n8n's HTTP helper builds a new agent, so a new TCP connection, for every call, where the floor keeps one connection alive; a node cannot pass its own agent through httpRequestWithAuthentication, and the node's own code is under 0.1 ms of a call (bench/README.md, "The second profile").`
			: `Each part alone is near the floor; together the time before the first call (${fmtSeconds(pre)}) and the calls exceed ${limit.toFixed(2)}×. ` +
				`Without the time before the first call ours would be ${fmtRatio(callsMs / floor.wallMs)}. Sending while the ids are still read would hide it, but the node reads every item first on purpose: an id named again later must join its first call (sent once) or follow it (last instruction wins), which is only known once all ids are read.`;
	return { why, close };
}

/**
 * Ours at most `limit` × the floor inside n8n (the same calls through n8n's helper, nothing else).
 * @param {Judged} j
 * @param {{ ids: number, latencyMs: number, limit: number, contenders: string[] }} spec
 * @returns {Goal[]}
 */
function nearN8nFloor(j, spec) {
	const key = j.unlimitedKey(spec.ids, spec.latencyMs);
	return spec.contenders.map((contender) => {
		const ours = j.row(key, contender);
		const floor = j.row(key, N8N_FLOOR_OF[contender]);
		const ratio = ours && floor && ours.runs > 0 ? ours.wallMs / floor.wallMs : undefined;
		/** @type {Goal} */
		const goal = {
			id: `n8n-floor-${contender}`,
			goal: `No rate limit, ${spec.latencyMs} ms, ${fmtInt(spec.ids)} ids: ${LABEL[contender]} at most ${spec.limit.toFixed(2)}× the ${LABEL[N8N_FLOOR_OF[contender]]} (the same calls through n8n's HTTP helper, nothing else)`,
			status: statusOf(ratio !== undefined, (ratio ?? Infinity) <= spec.limit),
			numbers:
				ours && floor
					? `${fmtSeconds(ours.wallMs)} against ${fmtSeconds(floor.wallMs)}: ${fmtRatio(ratio ?? NaN)}${plainFloorScale(j, key, contender)}`
					: 'not run',
		};
		if (ratio !== undefined && ratio > spec.limit && ours && floor)
			Object.assign(goal, n8nFloorBreakdown(ours, floor));
		return goal;
	});
}

/** For scale: the plain-Node floor at the same concurrency. @param {Judged} j @param {string | undefined} key @param {string} contender */
function plainFloorScale(j, key, contender) {
	const plain = j.row(key, FLOOR_OF[contender]);
	return plain
		? `; the ${LABEL[FLOOR_OF[contender]]} (plain Node, keep-alive) ${fmtSeconds(plain.wallMs)}`
		: '';
}

/**
 * Where ours' time went against the floor inside n8n, phase by phase: before the first call reached
 * the emulator, between the first and the last call, and after the last call (its answer, the outputs).
 * @param {SummaryRow} ours
 * @param {SummaryRow} floor
 * @returns {{ why: string, close: string }}
 */
function n8nFloorBreakdown(ours, floor) {
	const phases = (/** @type {SummaryRow} */ r) => {
		const pre = r.preSendMs ?? 0;
		const post = r.postSendMs ?? 0;
		return { pre, post, calls: Math.max(0, r.wallMs - pre - post) };
	};
	const o = phases(ours);
	const f = phases(floor);
	const extra = {
		pre: o.pre - f.pre,
		calls: o.calls - f.calls,
		post: o.post - f.post,
	};
	const perCall = extra.calls / Math.max(1, ours.requests);
	const why =
		`Ours took ${fmtSeconds(ours.wallMs - floor.wallMs)} more: ${fmtSeconds(extra.pre)} before its first call ` +
		`(${fmtSeconds(o.pre)} against ${fmtSeconds(f.pre)}), ${fmtSeconds(extra.calls)} over its calls ` +
		`(${fmtSeconds(o.calls)} against ${fmtSeconds(f.calls)}, ${perCall.toFixed(2)} ms per call), and ${fmtSeconds(extra.post)} after its last call ` +
		`(${fmtSeconds(o.post)} against ${fmtSeconds(f.post)}).`;
	const largest = Object.entries(extra).sort((a, b) => b[1] - a[1])[0][0];
	return { why, close: N8N_FLOOR_CLOSE[largest] };
}

/** What the phase where ours loses most to the floor inside n8n is made of. */
const N8N_FLOOR_CLOSE = /** @type {Record<string, string>} */ ({
	pre: "Most of it is before the first call: ours reads Ids (`{{ $json.id }}`) through n8n's expression engine once per item and plans every id before it sends (repeated ids sent once, the last instruction winning), where the floor reads item.json.id. The diagnostic run with n8n's legacy expression engine shows how much of it is n8n evaluating the expression.",
	calls:
		"Most of it is between the calls: ours' own work per call (building the body, the retry and pacing bookkeeping, reading each answer's per-id results), measured in-process by the CPU-per-id figure; a profile of the run (bench/README.md) shows which part.",
	post: 'Most of it is after the last call: ours builds one output item per id, paired to its input item, where the floor returns one item. Succeeded Output "One Summary Item" leaves that out.',
});

/** @param {Judged} j */
function memoryBaselines(j) {
	const largest = Math.max(
		0,
		...j.workloads.filter((w) => workloadKind(w) === 'unlimited').map((w) => w.ids),
	);
	const peaks = (/** @type {string} */ name, /** @type {number} */ ids) =>
		median(
			j.baselines
				.filter((b) => b.name === name && b.ids === ids && b.ok)
				.map((b) => b.peakMemoryKb / 1024),
		);
	const keys = j.workloads
		.filter((w) => workloadKind(w) === 'unlimited' && w.ids === largest)
		.map((w) => w.key);
	/** @param {string} contender */
	const peakOf = (contender) => {
		const found = keys.map((k) => j.row(k, contender)?.peakMemoryMB).filter((v) => v !== undefined);
		return found.length ? Math.max(...found.map(Number)) : undefined;
	};
	return { largest, empty: peaks('empty', 0), idsOnly: peaks('ids-only', largest), peakOf, keys };
}

/** Bytes per id of `mb` at `ids` ids, formatted. */
const bytesPer = (/** @type {number} */ mb, /** @type {number} */ ids) =>
	fmtInt((mb * 1024 * 1024) / ids);

/** Why the per-id output costs more than the goal allows: n8n's own cost per item. */
/**
 * @param {number} growth MB over the ids-only run
 * @param {number} idsOnly
 * @param {number} empty
 * @param {number} ids
 * @param {number} limit
 */
function whyPerIdMemory(growth, idsOnly, empty, ids, limit) {
	return {
		why:
			`Ours adds ${fmtMB(growth)} to the ids-only run's ${fmtMB(idsOnly)} (${bytesPer(growth, ids)} bytes per output item): ` +
			"its output items, which n8n keeps in the run data, serialises and saves with the execution. For scale: n8n's own " +
			`${fmtInt(ids)} input items of one field each (Start → Ids → Split) cost ${bytesPer(idsOnly - empty, ids)} bytes per item over an empty run, ` +
			`and the goal allows ${bytesPer(limit, ids)} bytes per output item, less than n8n spends on an item of one field.`,
		close:
			'Choose Succeeded Output "One Summary Item" (one item with the counts); per-id items cannot be made cheaper than n8n\'s own cost per item.',
	};
}

/** Why the summary output still costs more than the goal allows: not its one item, but what a run of that size holds. */
/**
 * @param {number} growth MB over the ids-only run
 * @param {number} idsOnly
 * @param {number} empty
 * @param {number} ids
 * @param {number} limit
 */
function whySummaryMemory(growth, idsOnly, empty, ids, limit) {
	return {
		why:
			`Ours adds ${fmtMB(growth)} to the ids-only run's ${fmtMB(idsOnly)} with one output item on Succeeded, ${bytesPer(growth, ids)} bytes per id ` +
			`where the goal allows ${bytesPer(limit, ids)}. It is not output: the summary item is paired to every input item, as n8n's Aggregate pairs its ` +
			"item, which n8n keeps and saves as one pairing per input; the rest is the node's working set per id (the ids as read, the plan, one outcome " +
			`per id) and the garbage of the calls, which n8n's peak (VmHWM) records before V8 collects it. For scale: n8n's own input items cost ` +
			`${bytesPer(idsOnly - empty, ids)} bytes each over an empty run (bench/README.md, "Memory with the summary output").`,
		close:
			'Pairing the summary to one input item saves about a third (bench/README.md), at the cost of item lineage; the node keeps the lineage. ' +
			'What remains is proportional to the ids a run holds: split very large runs into several executions.',
	};
}

/**
 * n8n's peak with ours over the ids-only run, at most `limit` MB.
 * @param {Judged} j
 * @param {{ id: string, contenders: string[], limit: number, what: string, summary?: boolean }} spec
 * @returns {Goal}
 */
function memoryGrowth(j, spec) {
	const { largest, empty, idsOnly, peakOf } = memoryBaselines(j);
	const peaks = spec.contenders
		.map(peakOf)
		.filter((v) => v !== undefined)
		.map(Number);
	const peak = peaks.length ? Math.max(...peaks) : undefined;
	const growth = peak !== undefined && Number.isFinite(idsOnly) ? peak - idsOnly : undefined;
	/** @type {Goal} */
	const goal = {
		id: spec.id,
		goal: `At ${fmtInt(largest)} ids, n8n's peak memory with ${spec.what} grows by at most ${spec.limit} MB over the ids-only run`,
		status: statusOf(growth !== undefined && largest >= 100000, (growth ?? Infinity) <= spec.limit),
		numbers:
			growth === undefined || peak === undefined
				? 'not run'
				: `peak ${fmtMB(peak)} (${spec.contenders.map((c) => `${LABEL[c]} ${fmtMB(peakOf(c) ?? NaN)}`).join(', ')}) against ${fmtMB(idsOnly)} for the ids-only run: +${fmtMB(growth)}; against ${fmtMB(empty)} for an empty run: +${fmtMB(peak - empty)}`,
	};
	if (goal.status === 'missed' && growth !== undefined) {
		Object.assign(
			goal,
			(spec.summary ? whySummaryMemory : whyPerIdMemory)(
				growth,
				idsOnly,
				empty,
				largest,
				spec.limit,
			),
		);
	}
	return goal;
}

/** @param {Judged} j @returns {Goal} */
function memoryVsPerItem(j) {
	const { largest, peakOf, keys } = memoryBaselines(j);
	const ours = Math.max(...['cstar', 'cstar-p4'].map((c) => peakOf(c) ?? -Infinity));
	const perItem = peakOf('per-item');
	const cut = j.cutoffs.filter((c) => c.contender === 'per-item' && keys.includes(c.workload));
	return {
		id: 'memory-vs-per-item',
		goal: `At ${fmtInt(largest)} ids, n8n's peak memory with ours no more than with HTTP Request per item`,
		status: statusOf(
			Number.isFinite(ours) && perItem !== undefined && largest >= 100000,
			ours <= (perItem ?? 0),
		),
		numbers:
			perItem !== undefined && Number.isFinite(ours)
				? `ours ${fmtMB(ours)} against per item ${fmtMB(perItem)}`
				: cut.length
					? `per item was cut off at ${fmtInt(largest)} ids (${cut.map((c) => c.reason).join('; ')})`
					: 'not run',
	};
}

/** @param {Judged} j @returns {Goal[]} */
function millionRun(j) {
	const key = j.million?.key;
	const floor = j.row(key, 'floor-c4');
	return ['cstar-p4-summary', 'cstar-p4'].map((contender) => {
		const ours = j.row(key, contender);
		const ok = ours !== undefined && ours.failedRuns === 0;
		const ratio = ours && floor && ok ? ours.wallMs / floor.wallMs : undefined;
		const clean = ours !== undefined && ours.idsLost === 0 && ours.idsTwice === 0;
		/** @type {Goal} */
		const goal = {
			id: `million-${contender}`,
			goal: `${j.million ? fmtInt(j.million.ids) : '1,000,000'} ids as items of 100, 50 ms: ${LABEL[contender]} loses none, applies none twice, and takes at most 1.15× the floor at 4`,
			status: statusOf(
				ours !== undefined && floor !== undefined,
				ok && clean && (ratio ?? Infinity) <= 1.15,
			),
			numbers:
				ours && floor
					? `${fmtSeconds(ours.wallMs)} against ${fmtSeconds(floor.wallMs)}: ${fmtRatio(ours.wallMs / floor.wallMs)}; ${fmtInt(ours.idsOnce)} once, ${fmtInt(ours.idsLost)} lost, ${fmtInt(ours.idsTwice)} twice; peak n8n memory ${fmtMB(ours.peakMemoryMB ?? NaN)}`
					: 'not run',
		};
		if (ours && !ok)
			goal.why = `The run failed: ${ours.errors.join('; ').slice(0, 400)}. n8n's peak was ${fmtMB(ours.peakMemoryMB ?? NaN)} (heap limit ${j.million?.n8nEnv?.NODE_OPTIONS ?? 'default'}).`;
		else if (goal.status === 'missed' && ours && floor)
			Object.assign(goal, floorBreakdown(ours, floor, 1.15));
		return goal;
	});
}

/** A search run's calls, list and bulk. @param {{ listCalls?: number, bulkCalls?: number }} r */
const listAndBulk = (r) =>
	`${fmtInt(r.listCalls ?? NaN)} list + ${fmtInt(r.bulkCalls ?? NaN)} bulk`;

/**
 * Search mode lists every page of 100 and then sends calls of 100: nothing more.
 * @param {Judged} j
 * @returns {Goal}
 */
function searchCallCount(j) {
	const searchKeys = [j.searchRateLimited?.key, j.searchLatency?.key];
	const checked = j.runs.filter(
		(r) => OURS_SEARCH.includes(r.contender) && searchKeys.includes(r.workload),
	);
	const expected = (/** @type {RunRecord} */ r) => searchCalls(r.ids);
	const wrong = checked.filter(
		(r) => r.listCalls !== expected(r).list || r.bulkCalls !== expected(r).bulk,
	);
	const parts = OURS_SEARCH.flatMap((contender) => {
		const mine = checked.filter((r) => r.contender === contender);
		if (mine.length === 0) return [];
		const most = mine.reduce((a, b) => (b.requests > a.requests ? b : a));
		return [`${LABEL[contender]}: ${listAndBulk(most)} calls for ${fmtInt(most.ids)} tickets`];
	});
	const n = checked[0]?.ids;
	/** @type {Goal} */
	const goal = {
		id: 'search-calls',
		goal: `Search mode: calls = ceil(n / 100) to list plus ceil(n / 100) to bulk${n === undefined ? '' : ` (${listAndBulk({ listCalls: searchCalls(n).list, bulkCalls: searchCalls(n).bulk })} for ${fmtInt(n)} tickets)`}`,
		status: statusOf(checked.length > 0, wrong.length === 0),
		numbers: parts.length ? `${parts.join('; ')} (the run with the most calls)` : 'not run',
	};
	if (wrong.length) goal.why = whySearchCalls(wrong);
	return goal;
}

/** @param {RunRecord[]} wrong */
function whySearchCalls(wrong) {
	const runs = wrong
		.map(
			(r) =>
				`${runName(r)}: ${listAndBulk(r)} for ${fmtInt(r.ids)} tickets, statuses ${JSON.stringify(r.byStatus)}`,
		)
		.join('; ');
	const onePageMore = wrong.every(
		(r) =>
			r.rateLimited === 0 &&
			r.bulkCalls === searchCalls(r.ids).bulk &&
			r.listCalls === searchCalls(r.ids).list + 1,
	);
	return onePageMore
		? `Every such run listed one page more than the matches fill, and no call was refused: the node reads page 1 again after the last page, to see whether records appeared at or left the front while it listed (its drift check); the floor does not check. Runs: ${runs}.`
		: `Runs with other call counts: ${runs}.`;
}

/** @param {Judged} j @returns {Goal[]} */
function searchZero429(j) {
	const key = j.searchRateLimited?.key;
	const limit = j.searchRateLimited?.rateLimit;
	return OURS_SEARCH.map((contender) => {
		const ours = j.row(key, contender);
		const floor = j.row(key, FLOOR_OF[contender]);
		return {
			id: `search-429-${contender}`,
			goal: `Search mode under the rate limit${limit ? ` (${limit.limit} per ${limit.windowSeconds} s)` : ''}: zero 429s for ${LABEL[contender]}, list and bulk calls on one budget`,
			status: statusOf(ours !== undefined, ours?.rateLimitedMax === 0),
			numbers: ours
				? `429s per run (median, highest): ${fmtInt(ours.rateLimited)}, ${fmtInt(ours.rateLimitedMax)}; ${listAndBulk(ours)} calls in ${fmtInt(ours.windows ?? NaN)} windows${floor ? `; the ${LABEL[FLOOR_OF[contender]]}: ${fmtInt(floor.rateLimited)}, ${fmtInt(floor.rateLimitedMax)} in ${fmtInt(floor.windows ?? NaN)} windows` : ''}`
				: 'not run',
			why:
				ours && ours.rateLimitedMax > 0
					? `The pacer (bulk/rateLimitPacer.ts) let ${fmtInt(ours.rateLimitedMax)} calls go that the budget did not hold; each waited for Retry-After and was sent again.`
					: undefined,
		};
	});
}

/**
 * Search mode at latency: at most `limit` × the plain-Node floor that lists and then bulks.
 * @param {Judged} j
 * @param {{ contender: string, limit: number }} spec
 * @returns {Goal}
 */
function searchNearFloor(j, { contender, limit }) {
	const workload = j.searchLatency;
	const ours = j.row(workload?.key, contender);
	const floor = j.row(workload?.key, FLOOR_OF[contender]);
	const input = j.row(workload?.key, 'cstar-p4');
	const ratio = ours && floor && ours.runs > 0 ? ours.wallMs / floor.wallMs : undefined;
	/** @type {Goal} */
	const goal = {
		id: `search-floor-${contender}`,
		goal: `${workload ? `${fmtInt(workload.ids)} tickets found by a search, ${workload.latencyMs} ms` : 'Search mode at 50 ms'}: ${LABEL[contender]} at most ${limit.toFixed(2)}× the ${LABEL[FLOOR_OF[contender]]}`,
		status: statusOf(ratio !== undefined, (ratio ?? Infinity) <= limit),
		numbers:
			ours && floor
				? `${fmtSeconds(ours.wallMs)} against ${fmtSeconds(floor.wallMs)}: ${fmtRatio(ratio ?? NaN)}; ${listAndBulk(ours)} calls against ${listAndBulk(floor)}${searchMemory(ours, input)}`
				: 'not run',
	};
	if (goal.status === 'missed' && ours && floor)
		goal.why =
			`Ours made ${fmtInt(ours.requests - floor.requests)} calls more than the floor (${listAndBulk(ours)} against ${listAndBulk(floor)}); ` +
			`${fmtSeconds(ours.preSendMs ?? NaN)} passed before its first call and ${fmtSeconds(ours.postSendMs ?? NaN)} after its last one reached the emulator, ` +
			`and the calls took the other ${fmtSeconds(ours.wallMs - (ours.preSendMs ?? 0) - (ours.postSendMs ?? 0))} against the floor's ${fmtSeconds(floor.wallMs)}.`;
	return goal;
}

/**
 * n8n's peak with a search, against the same ids given as input items (reported, not a goal).
 * @param {SummaryRow} ours
 * @param {SummaryRow | undefined} input
 */
function searchMemory(ours, input) {
	if (ours.peakMemoryMB === undefined) return '';
	const against = input?.peakMemoryMB;
	return `; peak n8n memory ${fmtMB(ours.peakMemoryMB)}${against === undefined ? '' : ` against ${fmtMB(against)} with the same ids as input items (${LABEL['cstar-p4']})`}`;
}

/** @param {Judged} j @returns {Goal} */
function cpuLinear(j) {
	const scaling = [...(j.cpuScaling ?? [])].sort((a, b) => a.ids - b.ids);
	const small = scaling[0];
	const large = scaling.length > 1 ? scaling[scaling.length - 1] : undefined;
	const ratio = small && large ? large.warmUsPerId / small.warmUsPerId : undefined;
	return {
		id: 'cpu-linear',
		goal: `The node's CPU per id at ${large ? fmtInt(large.ids) : '1,000,000'} ids within 1.2× of its CPU per id at ${small ? fmtInt(small.ids) : '10,000'} (items of 100 ids, in-process)`,
		status: statusOf(ratio !== undefined, (ratio ?? Infinity) <= 1.2),
		numbers:
			small && large
				? `${large.warmUsPerId.toFixed(2)} µs per id warm (${large.coldUsPerId.toFixed(2)} cold) at ${fmtInt(large.ids)} against ${small.warmUsPerId.toFixed(2)} µs (${small.coldUsPerId.toFixed(2)} cold) at ${fmtInt(small.ids)}: ${fmtRatio(ratio ?? NaN)}`
				: 'not run',
	};
}

/** @param {Judged} j @returns {Goal} */
function cpuPerId(j) {
	const { cpu } = j;
	return {
		id: 'cpu',
		goal: "The node's own CPU time under 20 µs per id (in-process, 100,000 ids)",
		status: statusOf(
			cpu !== undefined && cpu.ids >= 100000,
			cpu !== undefined && cpu.coldUsPerId < 20 && cpu.warmUsPerId < 20,
		),
		numbers: cpu
			? `${cpu.coldUsPerId.toFixed(2)} µs per id on the first (cold) run, ${cpu.warmUsPerId.toFixed(2)} µs warm, for ${fmtInt(cpu.ids)} ids on Node ${cpu.node.replace(/^v/, '')}`
			: 'not run',
	};
}

/** @param {Judged} j @returns {Goal} */
function p4FasterThanPerItem(j) {
	const key = j.unlimitedKey(10000, 50);
	const p4 = j.row(key, 'cstar-p4');
	const perItem = j.row(key, 'per-item');
	return {
		id: 'p4-vs-per-item',
		goal: 'No rate limit, 50 ms, 10,000 ids: Cstar Bulk with parallelRequests 4 faster in wall time than HTTP Request per item',
		status: statusOf(
			p4 !== undefined && perItem !== undefined,
			(p4?.wallMs ?? 0) < (perItem?.wallMs ?? 0),
		),
		numbers:
			p4 && perItem
				? `${fmtSeconds(p4.wallMs)} against ${fmtSeconds(perItem.wallMs)} (${fmtRatio(perItem.wallMs / p4.wallMs)} faster)`
				: 'not run',
	};
}

/** The goals in the order the report lists them; each takes the judged run. */
const GOALS = [
	noLoss,
	callCount,
	idsPerWindow,
	zero429,
	/** @param {Judged} j */ (j) =>
		nearFloor(j, {
			id: 'overhead',
			ids: 100000,
			latencyMs: 0,
			limit: 2,
			contenders: ['cstar', 'cstar-p4'],
		}),
	/** @param {Judged} j */ (j) =>
		nearN8nFloor(j, { ids: 100000, latencyMs: 0, limit: 1.1, contenders: ['cstar', 'cstar-p4'] }),
	/** @param {Judged} j */ (j) =>
		nearFloor(j, {
			id: 'floor',
			ids: 10000,
			latencyMs: 50,
			limit: 1.1,
			contenders: ['cstar', 'cstar-p4'],
		}),
	p4FasterThanPerItem,
	/** @param {Judged} j */ (j) =>
		memoryGrowth(j, {
			id: 'memory',
			contenders: ['cstar', 'cstar-p4'],
			limit: 150,
			what: 'ours (per-id output, the default)',
		}),
	/** @param {Judged} j */ (j) =>
		memoryGrowth(j, {
			id: 'memory-summary',
			contenders: ['cstar-p4-summary'],
			limit: 30,
			what: 'ours with the summary output',
			summary: true,
		}),
	memoryVsPerItem,
	millionRun,
	searchCallCount,
	searchZero429,
	/** @param {Judged} j */ (j) => searchNearFloor(j, { contender: 'cstar-search-p4', limit: 1.15 }),
	cpuLinear,
	cpuPerId,
];

/**
 * @param {GoalInput} input
 * @returns {Goal[]}
 */
function judgeGoals(input) {
	/** @type {Judged} */
	const judged = {
		...input,
		row: (workload, contender) =>
			input.rows.find((r) => r.workload === workload && r.contender === contender),
		unlimitedKey: (ids, latency) =>
			input.workloads.find(
				(w) => workloadKind(w) === 'unlimited' && w.ids === ids && w.latencyMs === latency,
			)?.key,
		rateLimited: input.workloads.find((w) => workloadKind(w) === 'rate-limited'),
		million: input.workloads.find((w) => workloadKind(w) === 'million'),
		searchRateLimited: input.workloads.find((w) => workloadKind(w) === 'search-rate-limited'),
		searchLatency: input.workloads.find((w) => workloadKind(w) === 'search'),
	};
	return GOALS.flatMap((goal) => goal(judged));
}

module.exports = { judgeGoals, LABEL };
