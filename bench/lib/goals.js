// @ts-check
'use strict';

/**
 * The goals of issue 5, judged on this run's numbers. Each goal says met, missed or not measured (its
 * workload was not part of the run), with the numbers, and for a miss, why and what would close it, as
 * far as the numbers show.
 */

const { median } = require('./summary');
const { fmtInt, fmtSeconds, fmtMB, fmtRatio } = require('./format');

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

const OURS = ['cstar', 'cstar-p4'];
/** Above this many µs per id before the first call, the time is n8n evaluating IDs once per item. */
const EXPRESSION_BOUND_US = 50;
const LABEL = /** @type {Record<string, string>} */ ({
	cstar: 'Cstar Bulk (defaults)',
	'cstar-p4': 'Cstar Bulk (parallelRequests 4)',
	'per-item': 'HTTP Request per item',
	diy: 'DIY bulk',
	'floor-c1': 'floor at 1',
	'floor-c4': 'floor at 4',
});

/**
 * @param {object} input
 * @param {SummaryRow[]} input.rows
 * @param {RunRecord[]} input.runs
 * @param {Workload[]} input.workloads
 * @param {BaselineRecord[]} input.baselines
 * @param {CpuResult | undefined} input.cpu
 * @param {Cutoff[]} input.cutoffs
 * @param {Diagnostic[]} input.diagnostics
 * @returns {Goal[]}
 */
function judgeGoals({ rows, runs, workloads, baselines, cpu, cutoffs, diagnostics }) {
	/** @type {Goal[]} */
	const goals = [];
	const unlimited = workloads.filter((w) => !w.rateLimit);
	const rateLimited = workloads.find((w) => w.rateLimit);
	/** @param {string} workload @param {string} contender */
	const row = (workload, contender) =>
		rows.find((r) => r.workload === workload && r.contender === contender);
	/** @param {number} ids @param {number} latency */
	const unlimitedKey = (ids, latency) =>
		unlimited.find((w) => w.ids === ids && w.latencyMs === latency)?.key;

	// 0. Correctness of ours in every run.
	{
		const mine = runs.filter((r) => OURS.includes(r.contender));
		const bad = mine.filter((r) => r.idsLost > 0 || r.idsTwice > 0 || r.idsUnexpected !== 0);
		const lost = mine.reduce((sum, r) => sum + r.idsLost, 0);
		const twice = mine.reduce((sum, r) => sum + r.idsTwice, 0);
		const idsTotal = mine.reduce((sum, r) => sum + r.ids, 0);
		goals.push({
			id: 'no-loss',
			goal: 'Ours loses no id and applies none twice, in every run',
			status: mine.length === 0 ? 'not measured' : bad.length === 0 ? 'met' : 'missed',
			numbers: `${fmtInt(mine.length)} runs of ours, ${fmtInt(idsTotal)} ids in all: ${fmtInt(lost)} lost, ${fmtInt(twice)} applied twice`,
			why: bad.length
				? `Runs with lost or doubled ids: ${bad
						.map(
							(r) =>
								`${r.contender} ${r.workload} run ${r.run} (${r.idsLost} lost, ${r.idsTwice} twice${r.error ? `, error: ${r.error}` : ''})`,
						)
						.join('; ')}.`
				: undefined,
		});
	}

	// 1. Calls = ceil(unique ids / 100) without faults.
	{
		const checked = runs.filter(
			(r) => OURS.includes(r.contender) && unlimited.some((w) => w.key === r.workload),
		);
		const wrong = checked.filter((r) => r.requests !== Math.ceil(r.ids / 100));
		const parts = [];
		for (const contender of [...OURS, 'per-item', 'diy']) {
			const byIds = new Map();
			for (const r of runs.filter(
				(x) => x.contender === contender && unlimited.some((w) => w.key === x.workload),
			)) {
				byIds.set(r.ids, Math.max(byIds.get(r.ids) ?? 0, r.requests));
			}
			if (byIds.size === 0) continue;
			const sizes = [...byIds.keys()].sort((a, b) => a - b);
			parts.push(
				`${LABEL[contender]}: ${sizes.map((n) => fmtInt(byIds.get(n))).join(' / ')} calls for ${sizes.map(fmtInt).join(' / ')} ids`,
			);
		}
		goals.push({
			id: 'calls',
			goal: 'Calls = ceil(unique ids / 100) with no faults (1/100 of per item)',
			status: checked.length === 0 ? 'not measured' : wrong.length === 0 ? 'met' : 'missed',
			numbers: `${parts.join('; ')} (highest over the runs)`,
			why: wrong.length
				? `Runs with other call counts: ${wrong
						.map(
							(r) =>
								`${r.contender} ${r.workload} run ${r.run}: ${r.requests} calls for ${r.ids} ids, statuses ${JSON.stringify(r.byStatus)}`,
						)
						.join('; ')}.`
				: undefined,
		});
	}

	// 2 and 3. Rate limit: ids per window, and 429s.
	if (rateLimited) {
		const perItem = row(rateLimited.key, 'per-item');
		for (const contender of OURS) {
			const ours = row(rateLimited.key, contender);
			const ratio =
				ours?.idsPerWindow !== undefined && perItem?.idsPerWindow
					? ours.idsPerWindow / perItem.idsPerWindow
					: undefined;
			goals.push({
				id: `rl-ids-per-window-${contender}`,
				goal: `Under the rate limit, ${LABEL[contender]} completes at least 99× the ids per rate-limit window of HTTP Request per item`,
				status: ratio === undefined ? 'not measured' : ratio >= 99 ? 'met' : 'missed',
				numbers:
					ours && perItem
						? `${fmtInt(ours.idsPerWindow ?? NaN)} ids per window (${fmtInt(ours.idsOnce)} ids in ${fmtInt(ours.windows ?? NaN)} windows) against ${fmtInt(perItem.idsPerWindow ?? NaN)} (${fmtInt(perItem.idsOnce)} ids in ${fmtInt(perItem.windows ?? NaN)} windows): ${fmtRatio(ratio ?? NaN)}`
						: 'a contender of the comparison was not run',
				why:
					ratio !== undefined && ratio < 99 && ours
						? `Ours needed ${fmtInt(ours.windows ?? NaN)} windows where ${fmtInt(Math.ceil(ours.ids / 100 / (rateLimited.rateLimit?.limit ?? 1)))} would hold its ${fmtInt(Math.ceil(ours.ids / 100))} calls; ${fmtInt(ours.rateLimitedMax)} 429s.`
						: undefined,
			});
		}
		const all = rows.filter((r) => r.workload === rateLimited.key);
		const oursRows = all.filter((r) => OURS.includes(r.contender));
		const with429 = oursRows.filter((r) => r.rateLimitedMax > 0);
		const floor4 = row(rateLimited.key, 'floor-c4');
		goals.push({
			id: 'rl-429',
			goal: 'Under the rate limit, zero 429s for ours when the X-RateLimit-* headers give the budget',
			status: oursRows.length === 0 ? 'not measured' : with429.length === 0 ? 'met' : 'missed',
			numbers: `429s per run (median, highest): ${all.map((r) => `${LABEL[r.contender]} ${fmtInt(r.rateLimited)}, ${fmtInt(r.rateLimitedMax)}`).join('; ')}`,
			why: with429.length
				? `${with429
						.map(
							(r) =>
								`${LABEL[r.contender]} got up to ${r.rateLimitedMax} 429s in ${fmtInt(r.windows ?? NaN)} windows`,
						)
						.join(
							'; ',
						)}. The node's pacer (bulk/rateLimitPacer.ts) counts calls down only once it knows the budget, so the ` +
					"calls that start a window go uncounted, and it adopts an answer's X-RateLimit-Remaining, which does not include the calls " +
					'still under way: with several calls at once its count runs up to (parallel requests − 1) too high, and the calls it lets go ' +
					'at the end of a window get 429 (then wait for Retry-After and succeed).' +
					(floor4 && floor4.rateLimitedMax === 0
						? ` The floor at 4, which subtracts the calls under way and waits for their answers when that leaves nothing, got 0 429s in ${fmtInt(floor4.windows ?? NaN)} windows.`
						: '')
				: undefined,
			close: with429.length
				? "In the pacer, count every call sent (also while the budget is unknown), subtract the calls under way when adopting an answer's remaining count, and when that leaves nothing but calls are under way, wait for their answers (the exact count) before waiting for the reset."
				: undefined,
		});
	}

	// 4, 5, 6. 10,000 ids at 50 ms without a rate limit.
	{
		const key = unlimitedKey(10000, 50);
		for (const [contender, floorKey] of [
			['cstar', 'floor-c1'],
			['cstar-p4', 'floor-c4'],
		]) {
			const ours = key ? row(key, contender) : undefined;
			const floor = key ? row(key, floorKey) : undefined;
			const ratio = ours && floor ? ours.wallMs / floor.wallMs : undefined;
			/** @type {Goal} */
			const goal = {
				id: `floor-${contender}`,
				goal: `No rate limit, 50 ms, 10,000 ids: ${LABEL[contender]} at most 1.25× the ${LABEL[floorKey]}`,
				status: ratio === undefined ? 'not measured' : ratio <= 1.25 ? 'met' : 'missed',
				numbers:
					ours && floor
						? `${fmtSeconds(ours.wallMs)} against ${fmtSeconds(floor.wallMs)}: ${fmtRatio(ratio ?? NaN)}`
						: 'not run',
			};
			if (ratio !== undefined && ratio > 1.25 && ours && floor) {
				const pre = ours.preSendMs ?? 0;
				const prePerIdUs = (pre * 1000) / ours.ids;
				const callsMs = ours.wallMs - pre;
				const calls = Math.max(1, ours.requests);
				goal.why =
					`Of ours' ${fmtSeconds(ours.wallMs)}, ${fmtSeconds(pre)} passed before its first call reached the emulator ` +
					`(${fmtInt(prePerIdUs)} µs per id), and the calls took the other ${fmtSeconds(callsMs)}, ` +
					`against the floor's ${fmtSeconds(floor.wallMs)} (${fmtRatio(callsMs / floor.wallMs)}; ${((callsMs - floor.wallMs) / calls).toFixed(1)} ms more per call).`;
				if (prePerIdUs > EXPRESSION_BOUND_US) {
					goal.why +=
						' The time before the first call is the node reading each item\'s "IDs" parameter (default ={{ $json.id }}) through n8n, which evaluates the expression once per item.';
					goal.close =
						'Read the ids without one expression evaluation per item when the parameter is the default {{ $json.id }} ' +
						'(or any plain $json.<field>): get the raw parameter once with rawExpressions and read item.json.<field> directly; ' +
						'likewise read Data Mode and Update Fields once when they hold no expression.';
				} else if (callsMs / floor.wallMs > 1.25) {
					goal.close = `The calls themselves are slower than the floor's: ${((callsMs - floor.wallMs) / calls).toFixed(1)} ms more per call, spent in the node and n8n's HTTP helper between and around calls.`;
				} else {
					goal.close = `Each part alone is near the floor; together the time before the first call (${fmtSeconds(pre)}) and the calls exceed 1.25×. Starting calls while ids are still being read, or reading them faster, would close it.`;
				}
				const legacy = diagnostics.find((d) => d.key === 'legacy-expressions');
				if (legacy) {
					goal.why += ` With n8n's legacy expression engine (diagnostic run below) the time before the first call is ${fmtInt(((legacy.record.preSendMs ?? 0) * 1000) / legacy.record.ids)} µs per id.`;
				}
			}
			goals.push(goal);
		}
		const p4 = key ? row(key, 'cstar-p4') : undefined;
		const perItem = key ? row(key, 'per-item') : undefined;
		goals.push({
			id: 'p4-vs-per-item',
			goal: 'No rate limit, 50 ms, 10,000 ids: Cstar Bulk with parallelRequests 4 faster in wall time than HTTP Request per item',
			status: !p4 || !perItem ? 'not measured' : p4.wallMs < perItem.wallMs ? 'met' : 'missed',
			numbers:
				p4 && perItem
					? `${fmtSeconds(p4.wallMs)} against ${fmtSeconds(perItem.wallMs)} (${fmtRatio(perItem.wallMs / p4.wallMs)} faster)`
					: 'not run',
		});
	}

	// 7, 8. Memory at the largest id count.
	{
		const largest = Math.max(0, ...unlimited.map((w) => w.ids));
		const keys = unlimited.filter((w) => w.ids === largest).map((w) => w.key);
		const empty = median(
			baselines.filter((b) => b.name === 'empty' && b.ok).map((b) => b.peakMemoryKb / 1024),
		);
		const idsOnly = median(
			baselines
				.filter((b) => b.name === 'ids-only' && b.ids === largest && b.ok)
				.map((b) => b.peakMemoryKb / 1024),
		);
		/** @param {string} contender */
		const peakOf = (contender) => {
			const peaks = keys
				.map((k) => row(k, contender)?.peakMemoryMB)
				.filter((v) => v !== undefined)
				.map(Number);
			return peaks.length ? Math.max(...peaks) : undefined;
		};
		const ours = peakOf('cstar');
		const oursP4 = peakOf('cstar-p4');
		const oursMax =
			ours === undefined ? oursP4 : oursP4 === undefined ? ours : Math.max(ours, oursP4);
		const growth = oursMax !== undefined && Number.isFinite(empty) ? oursMax - empty : undefined;
		const preSends = keys
			.flatMap((k) => OURS.map((c) => row(k, c)))
			.filter((r) => r?.preSendMs !== undefined);
		const oursPrePerIdUs = preSends.length
			? Math.max(...preSends.map((r) => ((r?.preSendMs ?? 0) * 1000) / largest))
			: 0;
		/** @type {Goal} */
		const memory = {
			id: 'memory-vs-empty',
			goal: `At ${fmtInt(largest)} ids, n8n's peak memory with ours grows by at most 300 MB over an empty run`,
			status:
				growth === undefined || largest < 100000
					? 'not measured'
					: growth <= 300
						? 'met'
						: 'missed',
			numbers:
				growth === undefined
					? 'not run'
					: `peak ${fmtMB(oursMax ?? NaN)} (defaults ${fmtMB(ours ?? NaN)}, parallel 4 ${fmtMB(oursP4 ?? NaN)}) against ${fmtMB(empty)} for an empty run: +${fmtMB(growth)}`,
		};
		if (memory.status === 'missed' && oursMax !== undefined) {
			const legacy = diagnostics.find((d) => d.key === 'legacy-expressions');
			memory.why =
				`The ${fmtInt(largest)} input items alone (Start → Ids → Split, no contender) peak at ${fmtMB(idsOnly)} (+${fmtMB(idsOnly - empty)}); ` +
				`ours adds ${fmtMB(oursMax - idsOnly)} on top: its ${fmtInt(largest)} output items, kept in n8n's run data and saved with the execution` +
				(oursPrePerIdUs > EXPRESSION_BOUND_US
					? `, and the garbage of ${fmtInt(largest)} expression evaluations.`
					: '.') +
				(legacy?.record.peakMemoryKb
					? ` With n8n's legacy expression engine (diagnostic run below) ours peaks at ${fmtMB(legacy.record.peakMemoryKb / 1024)}.`
					: '');
			memory.close =
				(oursPrePerIdUs > EXPRESSION_BOUND_US
					? 'Skip the per-item expression evaluations (see the 1.25× goal); and make '
					: 'Make ') +
				'output items smaller (no requestId on every item, or one shared object per call); part of the growth is the input items and n8n keeping and saving run data, which no node can avoid.';
		}
		goals.push(memory);
		const perItemPeak = peakOf('per-item');
		const perItemCut = cutoffs.filter(
			(c) => c.contender === 'per-item' && keys.includes(c.workload),
		);
		goals.push({
			id: 'memory-vs-per-item',
			goal: `At ${fmtInt(largest)} ids, n8n's peak memory with ours no more than with HTTP Request per item`,
			status:
				oursMax === undefined || perItemPeak === undefined || largest < 100000
					? 'not measured'
					: oursMax <= perItemPeak
						? 'met'
						: 'missed',
			numbers:
				perItemPeak !== undefined && oursMax !== undefined
					? `ours ${fmtMB(oursMax)} against per item ${fmtMB(perItemPeak)}`
					: perItemCut.length
						? `per item was cut off at ${fmtInt(largest)} ids (${perItemCut.map((c) => c.reason).join('; ')})`
						: 'not run',
		});
	}

	// 9. The node's own CPU time per id.
	goals.push({
		id: 'cpu',
		goal: "The node's own CPU time under 20 µs per id (in-process, 100,000 ids)",
		status: !cpu
			? 'not measured'
			: cpu.coldUsPerId < 20 && cpu.warmUsPerId < 20
				? cpu.ids >= 100000
					? 'met'
					: 'not measured'
				: 'missed',
		numbers: cpu
			? `${cpu.coldUsPerId.toFixed(2)} µs per id on the first (cold) run, ${cpu.warmUsPerId.toFixed(2)} µs warm, for ${fmtInt(cpu.ids)} ids on Node ${cpu.node.replace(/^v/, '')}`
			: 'not run',
	});
	return goals;
}

module.exports = { judgeGoals };
