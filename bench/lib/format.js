// @ts-check
'use strict';

/** Number formatting shared by the console, the markdown and the chart. */

/** @param {number} value */
function fmtInt(value) {
	if (!Number.isFinite(value)) return '–';
	return Math.round(value).toLocaleString('en-US');
}

/** @param {number} ms */
function fmtSeconds(ms) {
	if (!Number.isFinite(ms)) return '–';
	const s = ms / 1000;
	if (s >= 100) return `${Math.round(s).toLocaleString('en-US')} s`;
	if (s >= 10) return `${s.toFixed(1)} s`;
	if (s >= 1) return `${s.toFixed(2)} s`;
	return `${s.toFixed(3)} s`;
}

/** @param {number} mb */
function fmtMB(mb) {
	if (!Number.isFinite(mb)) return '–';
	return `${Math.round(mb).toLocaleString('en-US')} MB`;
}

/** @param {number} ratio */
function fmtRatio(ratio) {
	if (!Number.isFinite(ratio)) return '–';
	if (ratio >= 100) return `${Math.round(ratio).toLocaleString('en-US')}×`;
	if (ratio >= 10) return `${ratio.toFixed(1)}×`;
	return `${ratio.toFixed(2)}×`;
}

module.exports = { fmtInt, fmtSeconds, fmtMB, fmtRatio };
