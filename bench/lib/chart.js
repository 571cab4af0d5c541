// @ts-check
'use strict';

/**
 * The chart: wall time against ids, log–log, one panel per latency, one line per contender. Plain SVG
 * written here (no chart library).
 */

const { fmtInt } = require('./format');
const { workloadKind } = require('./contenders');

/** @typedef {import('./summary').SummaryRow} SummaryRow */
/** @typedef {import('./summary').Cutoff} Cutoff */
/** @typedef {import('./runner').Workload} Workload */
/** @typedef {import('./contenders').Contender} Contender */

/** @param {string} text */
function escapeXml(text) {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** @param {number} seconds */
function secondsLabel(seconds) {
	if (seconds >= 1) return `${fmtInt(seconds)} s`;
	return `${seconds.toPrecision(1)} s`;
}

/**
 * @typedef {object} ChartInput
 * @property {SummaryRow[]} rows
 * @property {Workload[]} workloads
 * @property {Contender[]} contenders
 * @property {Cutoff[]} cutoffs
 * @property {string} subtitle
 */

/** Floors are dashed: the plain-Node ones long, the one inside n8n short. @param {Contender} contender */
function dashOf(contender) {
	if (contender.kind === 'floor') return ' stroke-dasharray="6 4"';
	return contender.spec?.kind === 'n8nFloor' ? ' stroke-dasharray="2 3"' : '';
}

const PANEL = { width: 440, height: 330 };
const MARGIN = { left: 70, right: 20, top: 84, bottom: 60 };
const LEGEND_ROW_HEIGHT = 20;

/**
 * What the chart shows and its log–log scales.
 * @param {ChartInput} input
 */
function chartGeometry({ rows, workloads, contenders }) {
	const unlimited = workloads.filter((w) => workloadKind(w) === 'unlimited');
	const latencies = [...new Set(unlimited.map((w) => w.latencyMs))].sort((a, b) => a - b);
	const idCounts = [...new Set(unlimited.map((w) => w.ids))].sort((a, b) => a - b);
	const shown = contenders.filter((c) =>
		rows.some((r) => r.contender === c.key && unlimited.some((w) => w.key === r.workload)),
	);
	const values = rows
		.filter((r) => unlimited.some((w) => w.key === r.workload) && r.wallMs > 0)
		.map((r) => r.wallMs / 1000);
	const yMin = values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0.01;
	const yMax = values.length ? 10 ** Math.ceil(Math.log10(Math.max(...values))) : 100;
	const xMin = (idCounts[0] ?? 1000) / 1.6;
	const xMax = (idCounts[idCounts.length - 1] ?? 100000) * 1.6;
	/** @param {number} ids */
	const x = (ids) =>
		((Math.log10(ids) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * PANEL.width;
	/** @param {number} seconds */
	const y = (seconds) =>
		PANEL.height -
		((Math.log10(seconds) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) *
			PANEL.height;
	return { unlimited, latencies, idCounts, shown, yMin, yMax, x, y };
}

/** @typedef {ReturnType<typeof chartGeometry>} Geometry */

/** The panel's frame, grid and axis labels. @param {Geometry} g @param {number} latency @param {string[]} parts */
function panelAxes(g, latency, parts) {
	parts.push(
		`<text x="${PANEL.width / 2}" y="-16" text-anchor="middle" font-weight="bold">${latency} ms per request, no rate limit</text>`,
		`<rect x="0" y="0" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#999"/>`,
	);
	for (let decade = g.yMin; decade <= g.yMax * 1.0001; decade *= 10) {
		const yy = g.y(decade).toFixed(1);
		parts.push(
			`<line x1="0" x2="${PANEL.width}" y1="${yy}" y2="${yy}" stroke="#e3e3e3"/>`,
			`<text x="-8" y="${yy}" text-anchor="end" dominant-baseline="middle">${secondsLabel(decade)}</text>`,
		);
		for (const step of [2, 5]) {
			const minor = decade * step;
			if (minor < g.yMax)
				parts.push(
					`<line x1="0" x2="${PANEL.width}" y1="${g.y(minor).toFixed(1)}" y2="${g.y(minor).toFixed(1)}" stroke="#f3f3f3"/>`,
				);
		}
	}
	for (const ids of g.idCounts) {
		const xx = g.x(ids).toFixed(1);
		parts.push(
			`<line x1="${xx}" x2="${xx}" y1="0" y2="${PANEL.height}" stroke="#e3e3e3"/>`,
			`<text x="${xx}" y="${PANEL.height + 18}" text-anchor="middle">${fmtInt(ids)}</text>`,
		);
	}
	parts.push(
		`<text x="${PANEL.width / 2}" y="${PANEL.height + 40}" text-anchor="middle" fill="#333">ids</text>`,
		`<text transform="translate(-52,${PANEL.height / 2}) rotate(-90)" text-anchor="middle" fill="#333">wall time (median)</text>`,
	);
}

/**
 * One contender's line and markers in one panel, and its cut-offs.
 * @param {ChartInput} input @param {Geometry} g @param {Contender} contender @param {number} latency @param {string[]} parts
 */
function contenderLine(input, g, contender, latency, parts) {
	const points = g.idCounts
		.map((ids) => {
			const workload = g.unlimited.find((w) => w.ids === ids && w.latencyMs === latency);
			const r =
				workload &&
				input.rows.find((row) => row.workload === workload.key && row.contender === contender.key);
			return r && r.wallMs > 0
				? { ids, seconds: r.wallMs / 1000, runs: r.runs, failed: r.failedRuns > 0 }
				: undefined;
		})
		.filter((p) => p !== undefined);
	if (points.length === 0) return;
	const dash = dashOf(contender);
	parts.push(
		`<polyline fill="none" stroke="${contender.color}" stroke-width="2"${dash} points="${points.map((p) => `${g.x(p.ids).toFixed(1)},${g.y(p.seconds).toFixed(1)}`).join(' ')}"/>`,
	);
	for (const p of points) {
		const fill = p.failed ? '#ffffff' : contender.color;
		parts.push(
			`<circle cx="${g.x(p.ids).toFixed(1)}" cy="${g.y(p.seconds).toFixed(1)}" r="4" fill="${fill}" stroke="${contender.color}" stroke-width="1.5"><title>${escapeXml(`${contender.label}: ${fmtInt(p.ids)} ids, ${p.seconds.toFixed(3)} s (median of ${p.runs})`)}</title></circle>`,
		);
	}
	const last = points[points.length - 1];
	for (const c of input.cutoffs.filter((cut) => cut.contender === contender.key)) {
		const workload = g.unlimited.find((w) => w.key === c.workload && w.latencyMs === latency);
		if (!workload || !c.estimateSeconds) continue;
		const xx = g.x(workload.ids);
		const yy = g.y(Math.min(Math.max(c.estimateSeconds, g.yMin), g.yMax));
		parts.push(
			`<line x1="${g.x(last.ids).toFixed(1)}" y1="${g.y(last.seconds).toFixed(1)}" x2="${xx.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="${contender.color}" stroke-width="1" stroke-dasharray="2 3"/>`,
			`<text x="${(xx - 6).toFixed(1)}" y="${(yy - 8).toFixed(1)}" text-anchor="end" fill="${contender.color}" font-size="11">cut off (est. ≥ ${fmtInt(c.estimateSeconds)} s)</text>`,
		);
	}
}

/** @param {Geometry} g @param {string[]} parts */
function legend(g, parts) {
	const legendTop = MARGIN.top + PANEL.height + MARGIN.bottom + 10;
	g.shown.forEach((contender, index) => {
		const lx = MARGIN.left + (index % 2) * (PANEL.width + MARGIN.left + MARGIN.right);
		const ly = legendTop + Math.floor(index / 2) * LEGEND_ROW_HEIGHT;
		const dash = dashOf(contender);
		parts.push(
			`<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${contender.color}" stroke-width="2"${dash}/>`,
			`<circle cx="${lx + 14}" cy="${ly}" r="4" fill="${contender.color}"/>`,
			`<text x="${lx + 36}" y="${ly}" dominant-baseline="middle">${escapeXml(contender.label)}</text>`,
		);
	});
	parts.push(
		`<text x="${MARGIN.left}" y="${legendTop + Math.ceil(g.shown.length / 2) * LEGEND_ROW_HEIGHT + 4}" fill="#555" font-size="11">n8n contenders: from the first contender node's start to the last one's end (n8n's start-up excluded). Floor: first call to last answer. Hollow marker: a run failed.</text>`,
	);
}

/**
 * @param {ChartInput} input
 * @returns {string} the SVG document
 */
function wallTimeChart(input) {
	const g = chartGeometry(input);
	const legendRows = Math.ceil(g.shown.length / 2) + 1;
	const width = g.latencies.length * (PANEL.width + MARGIN.left + MARGIN.right) + MARGIN.right;
	const height = MARGIN.top + PANEL.height + MARGIN.bottom + legendRows * LEGEND_ROW_HEIGHT + 20;
	/** @type {string[]} */
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">Wall time against ids (log–log, lower is better)</text>`,
		`<text x="${MARGIN.left}" y="44" fill="#555">${escapeXml(input.subtitle)}</text>`,
	];
	g.latencies.forEach((latency, panelIndex) => {
		const left = MARGIN.left + panelIndex * (PANEL.width + MARGIN.left + MARGIN.right);
		parts.push(`<g transform="translate(${left},${MARGIN.top})">`);
		panelAxes(g, latency, parts);
		for (const contender of g.shown) contenderLine(input, g, contender, latency, parts);
		parts.push('</g>');
	});
	legend(g, parts);
	parts.push('</svg>');
	return `${parts.join('\n')}\n`;
}

module.exports = { wallTimeChart };
