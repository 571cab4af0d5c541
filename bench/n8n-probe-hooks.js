// @ts-check
'use strict';

/**
 * An n8n external-hooks file (loaded by n8n itself through EXTERNAL_HOOK_FILES) that makes `n8n execute`
 * measurable without reading its stdout.
 *
 * n8n runs `workflow.postExecute` after the execution has finished and has been saved to n8n's
 * database, and before `n8n execute` prints the whole run as indented JSON. At that point this hook:
 *   - reads the n8n process's own peak memory (VmHWM in /proc/self/status) and current RSS,
 *   - summarises the run data per node and run: start time, execution time, status, error message,
 *     and for each output the number of items and how many of them carry an `error` field,
 *   - writes that summary as JSON to the file named by BENCH_PROBE_FILE,
 *   - and, when BENCH_TRIM_RUN_DATA=1, replaces every node's output items by empty lists, so the final
 *     print (hundreds of MB of JSON at 100,000 ids, an artefact of the CLI, not of the workflow) does not
 *     stretch each benchmark run. The execution was already saved when this runs.
 *
 * `workflow.preExecute` records memory and process uptime when the workflow starts (after n8n's start-up).
 * It runs inside n8n on n8n's Node 24; it only uses Node built-ins.
 */

const fs = require('node:fs');

/** @returns {{ vmHwmKb: number, vmRssKb: number }} */
function memory() {
	try {
		const status = fs.readFileSync('/proc/self/status', 'utf8');
		const kb = (/** @type {string} */ name) =>
			Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
		return { vmHwmKb: kb('VmHWM'), vmRssKb: kb('VmRSS') };
	} catch {
		const rss = Math.round(process.memoryUsage().rss / 1024);
		return { vmHwmKb: rss, vmRssKb: rss };
	}
}

/** @type {Record<string, unknown>} */
const probe = {};

/**
 * @param {unknown} value
 * @returns {number | undefined}
 */
function time(value) {
	if (typeof value === 'number') return value;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'string') {
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? undefined : parsed;
	}
	return undefined;
}

/**
 * @param {any} task one ITaskData
 */
function summariseTask(task) {
	/** @type {any[][]} */
	const main = Array.isArray(task?.data?.main) ? task.data.main : [];
	return {
		startTime: time(task?.startTime),
		executionTime: typeof task?.executionTime === 'number' ? task.executionTime : undefined,
		executionStatus: task?.executionStatus,
		error: task?.error
			? String(task.error.message ?? task.error.description ?? 'error')
			: undefined,
		outputs: main.map((items) => (Array.isArray(items) ? items.length : 0)),
		errorItems: main.map((items) =>
			Array.isArray(items)
				? items.filter((item) => item?.json && item.json.error !== undefined).length
				: 0,
		),
		statuses: main.map((items) => {
			/** @type {Record<string, number>} */
			const counts = {};
			if (!Array.isArray(items)) return counts;
			for (const item of items) {
				const status = item?.json?.status;
				if (typeof status === 'string') counts[status] = (counts[status] ?? 0) + 1;
			}
			return counts;
		}),
	};
}

module.exports = {
	workflow: {
		preExecute: [
			async function preExecute() {
				probe.preExecute = {
					at: Date.now(),
					uptimeMs: Math.round(process.uptime() * 1000),
					...memory(),
				};
			},
		],
		postExecute: [
			/** @param {any} fullRunData */
			async function postExecute(fullRunData) {
				const atPost = {
					at: Date.now(),
					uptimeMs: Math.round(process.uptime() * 1000),
					...memory(),
				};
				const runData = fullRunData?.data?.resultData?.runData ?? {};
				/** @type {Record<string, unknown[]>} */
				const nodes = {};
				for (const [name, tasks] of Object.entries(runData)) {
					nodes[name] = Array.isArray(tasks) ? tasks.map(summariseTask) : [];
				}
				const error = fullRunData?.data?.resultData?.error;
				const summary = {
					...probe,
					postExecute: atPost,
					status: fullRunData?.status,
					finished: fullRunData?.finished,
					startedAt: time(fullRunData?.startedAt),
					stoppedAt: time(fullRunData?.stoppedAt),
					error: error
						? { message: String(error.message ?? ''), node: error.node?.name }
						: undefined,
					nodes,
				};
				const file = process.env.BENCH_PROBE_FILE;
				if (file) fs.writeFileSync(file, JSON.stringify(summary));
				if (process.env.BENCH_TRIM_RUN_DATA === '1') {
					for (const tasks of Object.values(runData)) {
						if (!Array.isArray(tasks)) continue;
						for (const task of tasks) {
							if (task?.data?.main) task.data.main = task.data.main.map(() => []);
						}
					}
				}
			},
		],
	},
};
