// @ts-check
'use strict';

/**
 * The chart: wall time against ids, log–log, one panel per latency, one line per contender. Plain SVG
 * written here (no chart library).
 */

const { fmtInt } = require('./format');

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
 * @param {object} input
 * @param {SummaryRow[]} input.rows
 * @param {Workload[]} input.workloads
 * @param {Contender[]} input.contenders
 * @param {Cutoff[]} input.cutoffs
 * @param {string} input.subtitle
 * @returns {string} the SVG document
 */
function wallTimeChart({ rows, workloads, contenders, cutoffs, subtitle }) {
	const unlimited = workloads.filter((w) => !w.rateLimit && (w.idsPerItem ?? 1) === 1);
	const latencies = [...new Set(unlimited.map((w) => w.latencyMs))].sort((a, b) => a - b);
	const idCounts = [...new Set(unlimited.map((w) => w.ids))].sort((a, b) => a - b);
	const shown = contenders.filter((c) =>
		rows.some((r) => r.contender === c.key && unlimited.some((w) => w.key === r.workload)),
	);
	const values = rows
		.filter((r) => unlimited.some((w) => w.key === r.workload) && r.wallMs > 0)
		.map((r) => r.wallMs / 1000);

	const panelWidth = 440;
	const panelHeight = 330;
	const margin = { left: 70, right: 20, top: 84, bottom: 60 };
	const legendRowHeight = 20;
	const legendRows = Math.ceil(shown.length / 2) + 1;
	const width =
		margin.left +
		latencies.length * (panelWidth + margin.left + margin.right) -
		margin.left +
		margin.right;
	const height = margin.top + panelHeight + margin.bottom + legendRows * legendRowHeight + 20;

	const yMin = values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0.01;
	const yMax = values.length ? 10 ** Math.ceil(Math.log10(Math.max(...values))) : 100;
	const xMin = (idCounts[0] ?? 1000) / 1.6;
	const xMax = (idCounts[idCounts.length - 1] ?? 100000) * 1.6;
	/** @param {number} ids */
	const x = (ids) =>
		((Math.log10(ids) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * panelWidth;
	/** @param {number} seconds */
	const y = (seconds) =>
		panelHeight -
		((Math.log10(seconds) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) *
			panelHeight;

	/** @type {string[]} */
	const parts = [];
	parts.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="${margin.left}" y="24" font-size="16" font-weight="bold">Wall time against ids (log–log, lower is better)</text>`,
		`<text x="${margin.left}" y="44" fill="#555">${escapeXml(subtitle)}</text>`,
	);
	latencies.forEach((latency, panelIndex) => {
		const left = margin.left + panelIndex * (panelWidth + margin.left + margin.right);
		const top = margin.top;
		parts.push(`<g transform="translate(${left},${top})">`);
		parts.push(
			`<text x="${panelWidth / 2}" y="-16" text-anchor="middle" font-weight="bold">${latency} ms per request, no rate limit</text>`,
		);
		parts.push(
			`<rect x="0" y="0" width="${panelWidth}" height="${panelHeight}" fill="none" stroke="#999"/>`,
		);
		for (let decade = yMin; decade <= yMax * 1.0001; decade *= 10) {
			const yy = y(decade).toFixed(1);
			parts.push(`<line x1="0" x2="${panelWidth}" y1="${yy}" y2="${yy}" stroke="#e3e3e3"/>`);
			parts.push(
				`<text x="-8" y="${yy}" text-anchor="end" dominant-baseline="middle">${secondsLabel(decade)}</text>`,
			);
			for (const step of [2, 5]) {
				const minor = decade * step;
				if (minor < yMax)
					parts.push(
						`<line x1="0" x2="${panelWidth}" y1="${y(minor).toFixed(1)}" y2="${y(minor).toFixed(1)}" stroke="#f3f3f3"/>`,
					);
			}
		}
		for (const ids of idCounts) {
			const xx = x(ids).toFixed(1);
			parts.push(`<line x1="${xx}" x2="${xx}" y1="0" y2="${panelHeight}" stroke="#e3e3e3"/>`);
			parts.push(
				`<text x="${xx}" y="${panelHeight + 18}" text-anchor="middle">${fmtInt(ids)}</text>`,
			);
		}
		parts.push(
			`<text x="${panelWidth / 2}" y="${panelHeight + 40}" text-anchor="middle" fill="#333">ids</text>`,
		);
		parts.push(
			`<text transform="translate(-52,${panelHeight / 2}) rotate(-90)" text-anchor="middle" fill="#333">wall time (median)</text>`,
		);
		for (const contender of shown) {
			const points = idCounts
				.map((ids) => {
					const workload = unlimited.find((w) => w.ids === ids && w.latencyMs === latency);
					const r =
						workload &&
						rows.find((row) => row.workload === workload.key && row.contender === contender.key);
					return r && r.wallMs > 0
						? { ids, seconds: r.wallMs / 1000, runs: r.runs, failed: r.failedRuns > 0 }
						: undefined;
				})
				.filter((p) => p !== undefined);
			if (points.length === 0) continue;
			const dash = contender.kind === 'floor' ? ' stroke-dasharray="6 4"' : '';
			parts.push(
				`<polyline fill="none" stroke="${contender.color}" stroke-width="2"${dash} points="${points.map((p) => `${x(p.ids).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(' ')}"/>`,
			);
			for (const p of points) {
				const fill = p.failed ? '#ffffff' : contender.color;
				parts.push(
					`<circle cx="${x(p.ids).toFixed(1)}" cy="${y(p.seconds).toFixed(1)}" r="4" fill="${fill}" stroke="${contender.color}" stroke-width="1.5"><title>${escapeXml(`${contender.label}: ${fmtInt(p.ids)} ids, ${p.seconds.toFixed(3)} s (median of ${p.runs})`)}</title></circle>`,
				);
			}
			const cut = cutoffs.filter(
				(c) =>
					c.contender === contender.key &&
					unlimited.some((w) => w.key === c.workload && w.latencyMs === latency),
			);
			for (const c of cut) {
				const workload = unlimited.find((w) => w.key === c.workload);
				if (!workload || !c.estimateSeconds) continue;
				const last = points[points.length - 1];
				const xx = x(workload.ids);
				const yy = y(Math.min(Math.max(c.estimateSeconds, yMin), yMax));
				parts.push(
					`<line x1="${x(last.ids).toFixed(1)}" y1="${y(last.seconds).toFixed(1)}" x2="${xx.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="${contender.color}" stroke-width="1" stroke-dasharray="2 3"/>`,
					`<text x="${(xx - 6).toFixed(1)}" y="${(yy - 8).toFixed(1)}" text-anchor="end" fill="${contender.color}" font-size="11">cut off (est. ≥ ${fmtInt(c.estimateSeconds)} s)</text>`,
				);
			}
		}
		parts.push('</g>');
	});
	const legendTop = margin.top + panelHeight + margin.bottom + 10;
	shown.forEach((contender, index) => {
		const column = index % 2;
		const rowIndex = Math.floor(index / 2);
		const lx = margin.left + column * (panelWidth + margin.left + margin.right);
		const ly = legendTop + rowIndex * legendRowHeight;
		const dash = contender.kind === 'floor' ? ' stroke-dasharray="6 4"' : '';
		parts.push(
			`<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${contender.color}" stroke-width="2"${dash}/>`,
			`<circle cx="${lx + 14}" cy="${ly}" r="4" fill="${contender.color}"/>`,
			`<text x="${lx + 36}" y="${ly}" dominant-baseline="middle">${escapeXml(contender.label)}</text>`,
		);
	});
	parts.push(
		`<text x="${margin.left}" y="${legendTop + Math.ceil(shown.length / 2) * legendRowHeight + 4}" fill="#555" font-size="11">n8n contenders: from the first contender node's start to the last one's end (n8n's start-up excluded). Floor: first call to last answer. Hollow marker: a run failed.</text>`,
		'</svg>',
	);
	return `${parts.join('\n')}\n`;
}

module.exports = { wallTimeChart };
