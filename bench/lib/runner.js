// @ts-check
'use strict';

/**
 * Runs one contender on one workload once, and measures it on both sides: n8n's run (through
 * bench/n8n-probe-hooks.js) or the floor's own clock, and the emulator's counters and per-id apply counts.
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const harness = require('../../harness');
const n8n = require('./n8n');
const { UPDATE, buildWorkflow } = require('./workflows');

/** @typedef {import('./contenders').Contender} Contender */
/** @typedef {import('./emulator').EmulatorProcess} EmulatorProcess */
/** @typedef {import('./emulator').LogEntry} LogEntry */

/**
 * @typedef {object} Workload
 * @property {string} key
 * @property {string} label
 * @property {number} ids
 * @property {number} latencyMs
 * @property {{ limit: number, windowSeconds: number } | null} rateLimit
 * @property {number} idsPerItem   ids per input item (1, or 100 for the big workload)
 * @property {Record<string, string>} [n8nEnv]   more environment for n8n in this workload
 * @property {SearchSpec} [search]   the tickets come from the node's search (on the search emulator), not from input items
 */

/**
 * @typedef {object} SearchSpec
 * @property {'tickets'} resource
 * @property {Record<string, string>} filters   cStar list filters; before each run every ticket of the search emulator is made to match them
 * @property {Record<string, unknown>} matching  the change that makes a ticket match (applied before each run, outside its time)
 */

/**
 * @typedef {object} RunRecord
 * @property {string} workload
 * @property {string} contender
 * @property {number} run            1-based
 * @property {number} ids            ids this contender was given
 * @property {boolean} ok            finished without a workflow error (n8n) or a crash (floor)
 * @property {string} [error]
 * @property {number} wallMs         the contender's own time: n8n, first contender node's start to last one's end; floor, first call to last answer
 * @property {number} [processMs]    n8n: `n8n execute` from spawn to exit (start-up and the final print included)
 * @property {number} [toFinishMs]   n8n: process start to the end of the workflow (start-up included)
 * @property {number} [preSendMs]    n8n: contender start to the first request reaching the emulator
 * @property {number} [postSendMs]   n8n: the last request reaching the emulator to the contender's end (its answer and the outputs)
 * @property {number} requests       API requests the emulator received
 * @property {Record<string, number>} byStatus
 * @property {number} rateLimited    429s the emulator sent
 * @property {number} idsOnce        given ids whose change was applied exactly once
 * @property {number} idsLost        given ids never applied
 * @property {number} idsTwice       given ids applied more than once
 * @property {number} idsUnexpected  applies to ids that were not given
 * @property {number} [windows]      rate-limit windows the run's requests fell into (rate-limited workload)
 * @property {number} [idsPerWindow]
 * @property {number} [peakMemoryKb] n8n: VmHWM of the n8n process when the workflow ended (after n8n saved the execution)
 * @property {number} [startMemoryKb] n8n: VmHWM when the workflow started (after n8n's start-up)
 * @property {number} [polledPeakKb] n8n: the highest VmHWM polled over the whole process life
 * @property {number} [floorPeakKb]  floor: VmHWM of the floor script
 * @property {number} [listCalls]    search workloads: the GET requests (list pages) the emulator received
 * @property {number} [bulkCalls]    search workloads: the POST /bulk requests
 * @property {{ outputs: number[], errorItems: number[], statuses: Record<string, number>[] }} [items]  the result node's output items
 * @property {number[]} loadAverage  1-minute load average before the run
 */

/**
 * @typedef {object} BaselineRecord
 * @property {'empty' | 'ids-only'} name
 * @property {number} ids
 * @property {number} run
 * @property {boolean} ok
 * @property {number} peakMemoryKb
 * @property {number} startMemoryKb
 * @property {number} processMs
 * @property {number} toFinishMs
 */

/**
 * A short code per contender spec, for workflow ids (at most 21 characters in all).
 * @type {Record<import('./workflows').ContenderSpec['kind'], (spec: import('./workflows').ContenderSpec) => string>}
 */
const WORKFLOW_CODES = {
	cstar: (spec) =>
		`c${spec.parallelRequests ?? 1}${spec.summary ? 's' : ''}${spec.search ? 'q' : ''}`,
	perItem: (spec) =>
		spec.batching ? `pb${spec.batching.batchSize}x${spec.batching.batchInterval}` : 'pi',
	diy: () => 'dy',
	n8nFloor: (spec) => `nf${spec.parallelRequests ?? 1}`,
	none: () => 'id',
};

class Runner {
	/**
	 * @param {object} options
	 * @param {EmulatorProcess} options.emulator
	 * @param {string} options.userFolder
	 * @param {string[]} options.allIds        the emulator's ticket ids, in seed order
	 * @param {{ emulator: EmulatorProcess, ids: string[] }} [options.search]   the search workloads' emulator and every ticket id in it (all match)
	 * @param {string} options.nodeBin         Node 24 from the n8n runtime, for the floor
	 * @param {Record<string, string>} options.n8nEnv
	 * @param {number} options.runTimeoutMs
	 * @param {number} options.rateLimitedPerItemIds
	 */
	constructor(options) {
		this.emulator = options.emulator;
		this.userFolder = options.userFolder;
		this.allIds = options.allIds;
		this.search = options.search;
		this.nodeBin = options.nodeBin;
		this.n8nEnv = options.n8nEnv;
		this.runTimeoutMs = options.runTimeoutMs;
		this.rateLimitedPerItemIds = options.rateLimitedPerItemIds;
		/** @type {Map<string, { id: string, json: Record<string, unknown>, measuredNodes: string[], resultNode: string | undefined }>} */
		this.workflows = new Map();
		this.floorRunCounter = 0;
	}

	/**
	 * What one contender gets in one workload: its ids and, for n8n, its workflow spec.
	 * @param {Contender} contender
	 * @param {Workload} workload
	 */
	planFor(contender, workload) {
		const { ids: allIds } = this.sourceOf(workload);
		let count = workload.ids;
		let spec = contender.spec;
		if (workload.rateLimit && contender.key === 'per-item') {
			count = Math.min(workload.ids, this.rateLimitedPerItemIds);
			spec = {
				kind: 'perItem',
				batching: {
					batchSize: workload.rateLimit.limit,
					batchInterval: workload.rateLimit.windowSeconds * 1000,
				},
			};
		}
		return { ids: allIds.slice(0, count), spec, idsPerItem: workload.idsPerItem ?? 1 };
	}

	/**
	 * The emulator a workload runs on and its ticket ids: the search workloads' own, or the main one.
	 * @param {Pick<Workload, 'search'>} workload
	 */
	sourceOf(workload) {
		if (!workload.search) return { emulator: this.emulator, ids: this.allIds };
		if (!this.search) throw new Error('a search workload needs the search emulator');
		return this.search;
	}

	/**
	 * @param {import('./workflows').ContenderSpec} spec
	 * @param {number} count
	 * @param {Pick<Workload, 'idsPerItem' | 'search'>} [workload]
	 */
	static workflowKey(spec, count, workload) {
		const code = WORKFLOW_CODES[spec.kind](spec);
		const idsPerItem = workload?.idsPerItem ?? 1;
		// The same spec and count on the search emulator is another workflow (other ids, credential).
		return `b-${code}-${count}${idsPerItem > 1 ? `x${idsPerItem}` : ''}${workload?.search ? '-s' : ''}`;
	}

	/**
	 * Registers the workflow a contender needs at a workload (built once per spec, id count and emulator).
	 * @param {Contender} contender
	 * @param {Workload} workload
	 * @param {import('./workflows').Target} target   the workload's emulator
	 */
	addWorkflowFor(contender, workload, target) {
		const { ids, spec } = this.planFor(contender, workload);
		const contenderSpec = /** @type {import('./workflows').ContenderSpec} */ (spec);
		return this.addWorkflow(contenderSpec, ids, target, workload);
	}

	/**
	 * Registers a workflow (built once per spec, id count and emulator).
	 * @param {import('./workflows').ContenderSpec} spec
	 * @param {string[]} ids
	 * @param {import('./workflows').Target} target
	 * @param {Pick<Workload, 'idsPerItem' | 'search'>} [workload]
	 */
	addWorkflow(spec, ids, target, workload) {
		const id = Runner.workflowKey(spec, ids.length, workload);
		if (id.length > 21) throw new Error(`workflow id too long: ${id}`);
		if (!this.workflows.has(id)) {
			const built = buildWorkflow(id, `Bench ${id}`, spec, ids, target, {
				idsPerItem: workload?.idsPerItem,
				search: workload?.search,
			});
			this.workflows.set(id, { id, ...built });
		}
		return id;
	}

	/** Imports every registered workflow in one n8n command. */
	async importWorkflows() {
		await harness.importWorkflow(
			this.userFolder,
			[...this.workflows.values()].map((w) => w.json),
		);
	}

	/** @param {Workload} workload */
	async configureEmulator(workload) {
		const { emulator } = this.sourceOf(workload);
		const { rateLimit } = workload;
		// A new limit also starts every key on a fresh window, so runs never inherit each other's budget.
		if (rateLimit) await emulator.setRateLimit(rateLimit.limit, rateLimit.windowSeconds);
		else await emulator.setRateLimit(1_000_000_000, 3600);
		await emulator.setLatency(workload.latencyMs);
	}

	/**
	 * Makes every ticket of the search emulator match the search again (the run before changed them),
	 * with the floor's calls at 0 ms and no rate limit, before the run's counters are read.
	 * @param {Workload} workload
	 */
	async makeSearchMatch(workload) {
		if (!workload.search) return;
		const { emulator, ids } = this.sourceOf(workload);
		await emulator.setRateLimit(1_000_000_000, 3600);
		await emulator.setLatency(0);
		const reset = await this.runFloor(emulator, {
			concurrency: 4,
			ids,
			data: workload.search.matching,
		});
		if (!reset.ok) throw new Error(`making the search tickets match failed: ${reset.error}`);
	}

	/** @param {EmulatorProcess} emulator */
	async snapshot(emulator) {
		const [counts, applied] = await Promise.all([emulator.counts(), emulator.applied()]);
		return { counts, applied };
	}

	/**
	 * @param {Contender} contender
	 * @param {Workload} workload
	 * @param {number} run
	 * @param {Record<string, string>} [extraEnv]   more environment for n8n, on top of --n8n-env
	 * @returns {Promise<RunRecord>}
	 */
	async runOnce(contender, workload, run, extraEnv = {}) {
		const { ids, spec } = this.planFor(contender, workload);
		const { emulator } = this.sourceOf(workload);
		await this.makeSearchMatch(workload);
		await this.configureEmulator(workload);
		const loadAverage = os.loadavg().map((value) => Math.round(value * 100) / 100);
		const before = await this.snapshot(emulator);

		/** @type {Partial<RunRecord> & { wallMs: number, ok: boolean, contenderStart?: number }} */
		let measured;
		if (contender.kind === 'floor') {
			const concurrency = /** @type {number} */ (contender.concurrency);
			measured = await this.runFloor(emulator, {
				concurrency,
				ids,
				data: UPDATE,
				search: contender.listsFirst ? workload.search : undefined,
			});
		} else {
			const workflowId = Runner.workflowKey(
				/** @type {import('./workflows').ContenderSpec} */ (spec),
				ids.length,
				workload,
			);
			const env = { ...workload.n8nEnv, ...extraEnv };
			// The big workload's run is minutes long by design: give it at least 30 minutes.
			const timeoutMs =
				workload.idsPerItem > 1 ? Math.max(this.runTimeoutMs, 1_800_000) : this.runTimeoutMs;
			measured = await this.runN8n(workflowId, env, timeoutMs);
		}

		const after = await this.snapshot(emulator);
		const requests = after.counts.requests - before.counts.requests;
		/** @type {LogEntry[]} */
		let entries = [];
		if (workload.rateLimit || workload.search) entries = await emulator.log(before.counts.requests);
		else if (requests > 0) entries = await emulator.log(before.counts.requests, 1);

		const applied = appliedCounts(ids, before, after);
		const { contenderStart, ...rest } = measured;
		/** @type {RunRecord} */
		const record = {
			workload: workload.key,
			contender: contender.key,
			run,
			ids: ids.length,
			...rest,
			requests,
			byStatus: statusDiff(before.counts.byStatus, after.counts.byStatus),
			rateLimited: after.counts.rateLimited - before.counts.rateLimited,
			idsOnce: applied.once,
			idsLost: applied.lost,
			idsTwice: applied.twice,
			idsUnexpected: after.counts.idsApplied - before.counts.idsApplied - applied.sum,
			loadAverage,
		};
		if (contenderStart !== undefined && entries.length > 0) {
			record.preSendMs = entries[0].at - contenderStart;
			const [last] = await emulator.log(after.counts.requests - 1, 1);
			if (last) record.postSendMs = contenderStart + record.wallMs - last.at;
		}
		if (workload.search) {
			record.listCalls = entries.filter((entry) => entry.method === 'GET').length;
			record.bulkCalls = entries.filter((entry) => entry.method === 'POST').length;
		}
		if (workload.rateLimit && entries.length > 0) {
			record.windows = countWindows(entries, workload.rateLimit.windowSeconds * 1000);
			record.idsPerWindow = applied.once / record.windows;
		}
		return record;
	}

	/**
	 * @param {string} workflowId
	 * @param {Record<string, string>} extraEnv
	 * @param {number} [timeoutMs]
	 * @returns {Promise<Partial<RunRecord> & { wallMs: number, ok: boolean, contenderStart?: number }>}
	 */
	async runN8n(workflowId, extraEnv, timeoutMs = this.runTimeoutMs) {
		const workflow = this.workflows.get(workflowId);
		if (!workflow) throw new Error(`workflow ${workflowId} was not imported`);
		const result = await n8n.executeWithProbe(this.userFolder, workflowId, {
			timeoutMs,
			env: { ...this.n8nEnv, ...extraEnv },
		});
		const { probe } = result;
		let start = Infinity;
		let end = -Infinity;
		for (const name of workflow.measuredNodes) {
			for (const task of probe?.nodes[name] ?? []) {
				if (task.startTime === undefined) continue;
				start = Math.min(start, task.startTime);
				end = Math.max(end, task.startTime + (task.executionTime ?? 0));
			}
		}
		const ok = result.exitCode === 0 && probe?.status === 'success' && !result.timedOut;
		/** @type {string | undefined} */
		let error;
		if (!ok) {
			error = result.timedOut
				? `timed out after ${Math.round(timeoutMs / 1000)} s`
				: probe?.error
					? `${probe.error.node ? `${probe.error.node}: ` : ''}${probe.error.message}`
					: `n8n exited ${result.exitCode}: ${result.logTail.slice(-600)}`;
		}
		const items = workflow.resultNode ? mergeTasks(probe?.nodes[workflow.resultNode]) : undefined;
		const hasSpan = Number.isFinite(start) && Number.isFinite(end);
		return {
			ok,
			error,
			wallMs: hasSpan ? end - start : result.processMs,
			contenderStart: hasSpan ? start : undefined,
			processMs: Math.round(result.processMs),
			toFinishMs: probe?.postExecute.uptimeMs,
			peakMemoryKb: probe?.postExecute.vmHwmKb ?? result.polledHwmKb,
			startMemoryKb: probe?.preExecute?.vmHwmKb,
			polledPeakKb: result.polledHwmKb,
			items,
		};
	}

	/**
	 * The plain-Node floor (bench/lib/floor-child.js) against one emulator: the ids, or what a search lists.
	 * @param {EmulatorProcess} emulator
	 * @param {{ concurrency: number, ids: string[], data: Record<string, unknown>, search?: SearchSpec }} call
	 * @returns {Promise<Partial<RunRecord> & { wallMs: number, ok: boolean }>}
	 */
	async runFloor(emulator, { concurrency, ids, data, search }) {
		const file = path.join(
			os.tmpdir(),
			`cstar-bench-floor-${process.pid}-${++this.floorRunCounter}.json`,
		);
		fs.writeFileSync(
			file,
			JSON.stringify({
				url: emulator.url,
				teamId: emulator.teamId,
				key: emulator.key,
				ids: search ? [] : ids,
				concurrency,
				data,
				search: search && { resource: search.resource, filters: search.filters },
				runKey: `${process.pid}-${Date.now()}-${this.floorRunCounter}`,
			}),
		);
		try {
			const started = Date.now();
			const { code, stdout, stderr } = await new Promise((resolve, reject) => {
				const child = childProcess.spawn(
					this.nodeBin,
					[path.join(__dirname, 'floor-child.js'), file],
					{ stdio: ['ignore', 'pipe', 'pipe'] },
				);
				let out = '';
				let err = '';
				child.stdout.on('data', (chunk) => (out += chunk));
				child.stderr.on('data', (chunk) => (err += chunk));
				const timer = setTimeout(() => child.kill('SIGKILL'), this.runTimeoutMs);
				child.on('error', reject);
				child.on('close', (exitCode) => {
					clearTimeout(timer);
					resolve({ code: exitCode, stdout: out, stderr: err });
				});
			});
			if (code !== 0)
				return {
					ok: false,
					error: `floor exited ${code}: ${stderr.slice(-600)}`,
					wallMs: Date.now() - started,
				};
			const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
			return { ok: true, wallMs: result.wallMs, floorPeakKb: result.vmHwmKb };
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * n8n's memory with no contender: the workflow is Start alone ('empty') or Start → Ids → Split.
	 * @param {'empty' | 'ids-only'} name
	 * @param {number} count
	 * @param {number} run
	 * @returns {Promise<BaselineRecord>}
	 */
	async runBaseline(name, count, run) {
		const workflowId =
			name === 'empty'
				? Runner.workflowKey({ kind: 'none' }, 0)
				: Runner.workflowKey({ kind: 'none' }, count);
		const result = await n8n.executeWithProbe(this.userFolder, workflowId, {
			timeoutMs: this.runTimeoutMs,
			env: this.n8nEnv,
		});
		return {
			name,
			ids: name === 'empty' ? 0 : count,
			run,
			ok: result.exitCode === 0 && result.probe?.status === 'success',
			peakMemoryKb: result.probe?.postExecute.vmHwmKb ?? result.polledHwmKb,
			startMemoryKb: result.probe?.preExecute?.vmHwmKb ?? 0,
			processMs: Math.round(result.processMs),
			toFinishMs: result.probe?.postExecute.uptimeMs ?? 0,
		};
	}
}

/**
 * Per given id, how often this run applied it, from the emulator's counts before and after.
 * @param {string[]} ids
 * @param {{ applied: Record<string, number> }} before
 * @param {{ applied: Record<string, number> }} after
 */
function appliedCounts(ids, before, after) {
	const counts = { once: 0, lost: 0, twice: 0, sum: 0 };
	for (const id of ids) {
		const key = `tickets:${id}`;
		const times = (after.applied[key] ?? 0) - (before.applied[key] ?? 0);
		counts.sum += times;
		if (times === 0) counts.lost++;
		else if (times === 1) counts.once++;
		else counts.twice++;
	}
	return counts;
}

/** @param {Record<string, number>} before @param {Record<string, number>} after */
function statusDiff(before, after) {
	/** @type {Record<string, number>} */
	const byStatus = {};
	for (const [status, count] of Object.entries(after)) {
		const diff = count - (before[status] ?? 0);
		if (diff > 0) byStatus[status] = diff;
	}
	return byStatus;
}

/**
 * The result node's output items over all its tasks (a loop runs it once per batch).
 * @param {import('./n8n').ProbeTask[] | undefined} tasks
 */
function mergeTasks(tasks) {
	if (!tasks) return undefined;
	const merged = {
		outputs: /** @type {number[]} */ ([]),
		errorItems: /** @type {number[]} */ ([]),
		statuses: /** @type {Record<string, number>[]} */ ([]),
	};
	for (const task of tasks) {
		task.outputs.forEach((count, index) => {
			merged.outputs[index] = (merged.outputs[index] ?? 0) + count;
		});
		task.errorItems.forEach((count, index) => {
			merged.errorItems[index] = (merged.errorItems[index] ?? 0) + count;
		});
		task.statuses.forEach((counts, index) => {
			const statuses = (merged.statuses[index] ??= {});
			for (const [status, count] of Object.entries(counts))
				statuses[status] = (statuses[status] ?? 0) + count;
		});
	}
	return merged;
}

/**
 * Rate-limit windows as the emulator keeps them: a key's window starts at its first request and lasts
 * `windowMs`; the first request after that starts the next one.
 * @param {LogEntry[]} entries
 * @param {number} windowMs
 */
function countWindows(entries, windowMs) {
	const times = entries.map((entry) => entry.at).sort((a, b) => a - b);
	let windows = 0;
	let windowStart = -Infinity;
	for (const at of times) {
		if (at >= windowStart + windowMs) {
			windows++;
			windowStart = at;
		}
	}
	return windows;
}

module.exports = { Runner, countWindows };
