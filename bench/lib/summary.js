// @ts-check
'use strict';

/**
 * Turns run records into one row per contender and workload: the median wall time, the ratio to the
 * floor, and the worst case of the correctness counts over the runs.
 */

/** @typedef {import('./runner').RunRecord} RunRecord */
/** @typedef {import('./runner').Workload} Workload */
/** @typedef {import('./contenders').Contender} Contender */

/**
 * @typedef {object} Cutoff
 * @property {string} workload
 * @property {string} contender
 * @property {string} reason
 * @property {number} [estimateSeconds]
 */

/**
 * @typedef {object} SummaryRow
 * @property {string} workload
 * @property {string} contender
 * @property {number} ids
 * @property {number} runs
 * @property {number} failedRuns
 * @property {string[]} errors
 * @property {number} wallMs             median
 * @property {number[]} wallMsAll
 * @property {string} [floorRef]
 * @property {number} [ratioToFloor]
 * @property {string} [n8nFloorRef]
 * @property {number} [ratioToN8nFloor]
 * @property {number} requests           median
 * @property {number} requestsMax
 * @property {number} rateLimited        median
 * @property {number} rateLimitedMax
 * @property {number} idsOnce            worst (lowest) over the runs
 * @property {number} idsLost            worst (highest)
 * @property {number} idsTwice           worst (highest)
 * @property {number} idsUnexpected      worst (highest)
 * @property {number} [peakMemoryMB]     highest over the runs
 * @property {number} [processMs]        median
 * @property {number} [toFinishMs]       median
 * @property {number} [preSendMs]        median
 * @property {number} [postSendMs]       median
 * @property {number} [listCalls]        search workloads: median of the list calls (GET)
 * @property {number} [bulkCalls]        search workloads: median of the bulk calls (POST)
 * @property {number} [windows]          median
 * @property {number} [idsPerWindow]     median
 * @property {number} [floorPeakMB]
 * @property {{ outputs: number[] }} [items]  the result node's output items in the last run
 */

/** @param {number[]} values */
function median(values) {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * One contender at one workload over its runs: medians, and the worst run's counts.
 * @param {Workload} workload
 * @param {Contender} contender
 * @param {RunRecord[]} mine
 * @returns {SummaryRow}
 */
function summaryRow(workload, contender, mine) {
	/** @param {(r: RunRecord) => number | undefined} pick */
	const values = (pick) =>
		mine
			.map(pick)
			.filter((v) => v !== undefined && Number.isFinite(v))
			.map(Number);
	/** @param {(r: RunRecord) => number | undefined} pick */
	const med = (pick) => {
		const list = values(pick);
		return list.length ? median(list) : undefined;
	};
	/** @type {SummaryRow} */
	const row = {
		workload: workload.key,
		contender: contender.key,
		ids: mine[0].ids,
		runs: mine.length,
		failedRuns: mine.filter((r) => !r.ok).length,
		errors: [...new Set(mine.filter((r) => r.error).map((r) => /** @type {string} */ (r.error)))],
		wallMs: median(mine.map((r) => r.wallMs)),
		wallMsAll: mine.map((r) => Math.round(r.wallMs)),
		floorRef: contender.floorRef,
		n8nFloorRef: contender.n8nFloorRef,
		requests: median(mine.map((r) => r.requests)),
		requestsMax: Math.max(...mine.map((r) => r.requests)),
		rateLimited: median(mine.map((r) => r.rateLimited)),
		rateLimitedMax: Math.max(...mine.map((r) => r.rateLimited)),
		idsOnce: Math.min(...mine.map((r) => r.idsOnce)),
		idsLost: Math.max(...mine.map((r) => r.idsLost)),
		idsTwice: Math.max(...mine.map((r) => r.idsTwice)),
		idsUnexpected: Math.max(...mine.map((r) => r.idsUnexpected)),
		processMs: med((r) => r.processMs),
		toFinishMs: med((r) => r.toFinishMs),
		preSendMs: med((r) => r.preSendMs),
		postSendMs: med((r) => r.postSendMs),
		listCalls: med((r) => r.listCalls),
		bulkCalls: med((r) => r.bulkCalls),
		windows: med((r) => r.windows),
		idsPerWindow: med((r) => r.idsPerWindow),
	};
	const peaks = values((r) => r.peakMemoryKb);
	if (peaks.length) row.peakMemoryMB = Math.max(...peaks) / 1024;
	const floorPeaks = values((r) => r.floorPeakKb);
	if (floorPeaks.length) row.floorPeakMB = Math.max(...floorPeaks) / 1024;
	const items = mine[mine.length - 1].items;
	if (items) row.items = { outputs: items.outputs };
	return row;
}

/**
 * @param {RunRecord[]} runs
 * @param {Workload[]} workloads
 * @param {Contender[]} contenders
 * @returns {SummaryRow[]}
 */
function summarise(runs, workloads, contenders) {
	/** @type {SummaryRow[]} */
	const rows = [];
	for (const workload of workloads) {
		for (const contender of contenders) {
			const mine = runs.filter((r) => r.workload === workload.key && r.contender === contender.key);
			if (mine.length === 0) continue;
			rows.push(summaryRow(workload, contender, mine));
		}
	}
	for (const row of rows) {
		row.ratioToFloor = ratioTo(rows, row, row.floorRef);
		row.ratioToN8nFloor = ratioTo(rows, row, row.n8nFloorRef);
	}
	return rows;
}

/**
 * A row's wall time over its floor's at the same workload and ids.
 * @param {SummaryRow[]} rows
 * @param {SummaryRow} row
 * @param {string | undefined} floorKey
 */
function ratioTo(rows, row, floorKey) {
	if (!floorKey) return undefined;
	const floor = rows.find((r) => r.workload === row.workload && r.contender === floorKey);
	return floor && floor.wallMs > 0 && floor.ids === row.ids ? row.wallMs / floor.wallMs : undefined;
}

module.exports = { median, summarise };
