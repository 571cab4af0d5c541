#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run bench`: the Cstar Bulk node through real n8n against the cStar emulator, side by side with
 * what users do today and with the floor. See bench/README.md and `npm run bench -- --help`.
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { parseArgs, USAGE, UsageError } = require('./lib/args');
const { CONTENDERS } = require('./lib/contenders');
const { startEmulatorProcess, controlRequest } = require('./lib/emulator');
const { describeMachine, machineLines } = require('./lib/machine');
const n8n = require('./lib/n8n');
const harness = require('../harness');
const { Runner } = require('./lib/runner');
const { summarise, median } = require('./lib/summary');
const { judgeGoals } = require('./lib/goals');
const { resultsMarkdown } = require('./lib/report');
const { wallTimeChart } = require('./lib/chart');
const { credentials } = require('./lib/workflows');
const { fmtInt, fmtSeconds, fmtMB } = require('./lib/format');
const { freePort } = harness;

/** @typedef {import('./lib/runner').Workload} Workload */
/** @typedef {import('./lib/runner').RunRecord} RunRecord */
/** @typedef {import('./lib/runner').BaselineRecord} BaselineRecord */
/** @typedef {import('./lib/summary').Cutoff} Cutoff */
/** @typedef {import('./lib/goals').CpuResult} CpuResult */
/** @typedef {import('./lib/goals').Diagnostic} Diagnostic */

const startedAt = Date.now();
/** @param {string} line */
const say = (line) => process.stdout.write(`${line}\n`);
/** @param {string} line */
const note = (line) => process.stderr.write(`  ${line}\n`);
const elapsed = () =>
	`${Math.floor((Date.now() - startedAt) / 60000)}:${String(Math.floor(((Date.now() - startedAt) / 1000) % 60)).padStart(2, '0')}`;

/**
 * @param {import('./lib/args').BenchArgs} args
 * @returns {Workload[]}
 */
function planWorkloads(args) {
	/** @type {Workload[]} */
	const workloads = [];
	if (args.unlimited) {
		for (const latencyMs of args.latencies) {
			for (const ids of args.ids) {
				workloads.push({
					key: `u${ids}@${latencyMs}`,
					label: `${fmtInt(ids)} ids, ${latencyMs} ms, no rate limit`,
					ids,
					latencyMs,
					rateLimit: null,
				});
			}
		}
	}
	if (args.rateLimited) {
		const { limit, windowSeconds } = args.rateLimit;
		workloads.push({
			key: `rl${args.rateLimitedIds}`,
			label: `${fmtInt(args.rateLimitedIds)} ids, rate limit ${limit} per ${windowSeconds} s`,
			ids: args.rateLimitedIds,
			latencyMs: 0,
			rateLimit: { limit, windowSeconds },
		});
	}
	return workloads;
}

/**
 * The node's own CPU time per id, in a child process on n8n's Node.
 * @param {string} nodeBin
 * @param {number} ids
 * @returns {CpuResult}
 */
function measureCpu(nodeBin, ids) {
	const output = childProcess.execFileSync(
		nodeBin,
		[path.join(__dirname, 'lib', 'node-cpu-child.js'), String(ids), '4'],
		{
			encoding: 'utf8',
			maxBuffer: 16 * 1024 * 1024,
		},
	);
	const result = JSON.parse(output.trim().split('\n').pop() ?? '{}');
	const perId = result.runs.map((/** @type {{ cpuUs: number }} */ r) => r.cpuUs / result.ids);
	return { ...result, coldUsPerId: perId[0], warmUsPerId: median(perId.slice(1)) };
}

/** @param {RunRecord} r */
function describeRun(r) {
	const parts = [
		`${fmtSeconds(r.wallMs)}`,
		`${fmtInt(r.requests)} calls`,
		`${fmtInt(r.rateLimited)} × 429`,
		`${fmtInt(r.idsOnce)}/${fmtInt(r.ids)} once`,
	];
	if (r.idsLost) parts.push(`${fmtInt(r.idsLost)} lost`);
	if (r.idsTwice) parts.push(`${fmtInt(r.idsTwice)} twice`);
	if (r.preSendMs !== undefined) parts.push(`1st call after ${fmtSeconds(r.preSendMs)}`);
	if (r.peakMemoryKb) parts.push(`peak ${fmtMB(r.peakMemoryKb / 1024)}`);
	if (r.idsPerWindow !== undefined) parts.push(`${fmtInt(r.idsPerWindow)} ids/window`);
	if (!r.ok) parts.push(`FAILED: ${(r.error ?? '').slice(0, 200)}`);
	return parts.join(', ');
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`${error.message}\n`);
			process.exitCode = 2;
			return;
		}
		throw error;
	}
	if (args.help) {
		say(USAGE);
		return;
	}
	if (args.fromJson) {
		rewriteFromJson(args.fromJson, args.out);
		return;
	}

	const contenders = CONTENDERS.filter((c) => args.contenders.includes(c.key));
	const workloads = planWorkloads(args);
	say(`cStar bench${args.quick ? ' (quick)' : ''}: set-up (build, pack, n8n runtime, user folder)`);
	const { runtime, userFolder } = await n8n.prepareN8n(note);
	const machine = describeMachine(runtime);
	for (const line of machineLines(machine)) say(line);

	const tickets = Math.max(1, ...workloads.map((w) => w.ids));
	const emulator = await startEmulatorProcess({
		port: await freePort(),
		tickets,
		nodeBin: runtime.nodeBin,
	});
	/** @type {RunRecord[]} */
	const runs = [];
	/** @type {BaselineRecord[]} */
	const baselines = [];
	/** @type {Cutoff[]} */
	const cutoffs = [];
	/** @type {Diagnostic[]} */
	const diagnostics = [];
	/** @type {CpuResult | undefined} */
	let cpu;
	/** @type {string[]} */
	const runNotes = [];
	const stop = async () => {
		await emulator.stop().catch(() => undefined);
		try {
			harness.removeUserFolder(userFolder);
		} catch {
			// already gone
		}
	};
	process.once('SIGINT', () => {
		void stop().finally(() => process.exit(130));
	});

	try {
		say(`emulator: ${emulator.url}, ${fmtInt(tickets)} tickets (pid ${emulator.pid})`);
		/** @type {string[]} */
		const allIds = (await controlRequest(`${emulator.url}/__emulator/store/tickets`, 'GET')).ids;
		const runner = new Runner({
			emulator,
			userFolder,
			allIds,
			nodeBin: runtime.nodeBin,
			n8nEnv: args.n8nEnv,
			runTimeoutMs: args.runTimeoutSeconds * 1000,
			rateLimitedPerItemIds: args.rateLimitedPerItemIds,
		});
		const target = { url: emulator.url, teamId: emulator.teamId, key: emulator.key };
		for (const workload of workloads) {
			for (const contender of contenders) {
				if (contender.kind !== 'n8n') continue;
				const { ids, spec } = runner.planFor(contender, workload);
				runner.addWorkflow(
					/** @type {import('./lib/workflows').ContenderSpec} */ (spec),
					ids.length,
					target,
				);
			}
		}
		const largest = Math.max(0, ...workloads.filter((w) => !w.rateLimit).map((w) => w.ids));
		if (args.memoryBaseline) {
			runner.addWorkflow({ kind: 'none' }, 0, target);
			if (largest > 0) runner.addWorkflow({ kind: 'none' }, largest, target);
		}
		say(`importing ${runner.workflows.size} workflows and 2 credentials into n8n`);
		await harness.importCredentials(userFolder, credentials(target));
		await runner.importWorkflows();

		if (args.memoryBaseline) {
			for (let run = 1; run <= args.runs; run++) {
				for (const [name, count] of /** @type {const} */ ([
					['empty', 0],
					['ids-only', largest],
				])) {
					if (name === 'ids-only' && largest === 0) continue;
					const record = await runner.runBaseline(name, count, run);
					baselines.push(record);
					say(
						`[${elapsed()}] baseline ${name}${count ? ` ${fmtInt(count)} ids` : ''} run ${run}: peak ${fmtMB(record.peakMemoryKb / 1024)}${record.ok ? '' : ' FAILED'}`,
					);
				}
			}
		}

		for (const workload of workloads) {
			/** @type {Map<string, number>} runs wanted per contender for this workload */
			const wanted = new Map();
			for (const contender of contenders) {
				const decision = cutoffDecision(contender.key, workload, workloads, runs, cutoffs, args);
				if (decision.cut) {
					cutoffs.push({
						workload: workload.key,
						contender: contender.key,
						reason: decision.reason,
						estimateSeconds: decision.estimateSeconds,
					});
					say(
						`[${elapsed()}] ${workload.label} · ${contender.label}: cut off (${decision.reason})`,
					);
					continue;
				}
				wanted.set(contender.key, decision.once ? 1 : args.runs);
				if (decision.once)
					runNotes.push(`${contender.label} at ${workload.label}: ${decision.reason}`);
			}
			for (let run = 1; run <= args.runs; run++) {
				for (const contender of contenders) {
					if (run > (wanted.get(contender.key) ?? 0)) continue;
					const record = await runner.runOnce(contender, workload, run);
					runs.push(record);
					say(
						`[${elapsed()}] ${workload.label} · ${contender.label} · run ${run}/${wanted.get(contender.key)}: ${describeRun(record)}`,
					);
					if (
						run === 1 &&
						record.wallMs > args.slowSeconds * 1000 &&
						args.slowRuns < (wanted.get(contender.key) ?? 0)
					) {
						wanted.set(contender.key, args.slowRuns);
						runNotes.push(
							`${contender.label} at ${workload.label}: ${args.slowRuns} run(s), as its first took ${fmtSeconds(record.wallMs)} (over ${args.slowSeconds} s)`,
						);
					}
				}
			}
		}

		const cstar = contenders.find((c) => c.key === 'cstar');
		const largestWorkload = workloads.find(
			(w) => !w.rateLimit && w.ids === largest && w.latencyMs === 0,
		);
		if (cstar && largestWorkload && args.n8nEnv.N8N_EXPRESSION_ENGINE === undefined) {
			const record = await runner.runOnce(cstar, largestWorkload, 1, {
				N8N_EXPRESSION_ENGINE: 'legacy',
			});
			diagnostics.push({
				key: 'legacy-expressions',
				label: `${cstar.label}, ${largestWorkload.label}, with n8n's legacy expression engine (N8N_EXPRESSION_ENGINE=legacy; n8n ${machine.n8nVersion} defaults to "vm")`,
				record,
			});
			say(
				`[${elapsed()}] diagnostic: ${cstar.label} with the legacy expression engine: ${describeRun(record)}`,
			);
		}

		if (args.cpu) {
			try {
				cpu = measureCpu(runtime.nodeBin, args.cpuIds);
				say(
					`[${elapsed()}] node CPU per id: ${cpu.coldUsPerId.toFixed(2)} µs cold, ${cpu.warmUsPerId.toFixed(2)} µs warm (${fmtInt(cpu.ids)} ids)`,
				);
			} catch (error) {
				// Keep the n8n results of a long run even when the in-process measurement breaks.
				const message = error instanceof Error ? error.message : String(error);
				runNotes.push(
					`The CPU-per-id measurement failed: ${message.split('\n').slice(0, 3).join(' ')}`,
				);
				say(`[${elapsed()}] node CPU per id: FAILED: ${message}`);
			}
		}
	} finally {
		await stop();
	}

	const maxLoad = Math.max(0, ...runs.map((r) => r.loadAverage[0] ?? 0));
	runNotes.push(
		`Highest 1-minute load average before a run: ${maxLoad.toFixed(2)} on ${machine.cpuCount} cores (n8n and the emulator use about one core each while a contender runs; more means other processes shared the machine)`,
	);
	const settings = {
		quick: args.quick,
		runs: args.runs,
		slowRuns: args.slowRuns,
		slowSeconds: args.slowSeconds,
		maxRunSeconds: args.maxRunSeconds,
		rateLimit: args.rateLimit,
		rateLimitedIds: args.rateLimitedIds,
		rateLimitedPerItemIds: args.rateLimitedPerItemIds,
		n8nEnv: args.n8nEnv,
		cpuIds: args.cpuIds,
	};
	writeOutputs(args.out, {
		machine,
		settings,
		durationSeconds: (Date.now() - startedAt) / 1000,
		contenders,
		workloads,
		cutoffs,
		baselines,
		diagnostics,
		cpu,
		runs,
		runNotes,
	});
}

/**
 * @typedef {object} Measured   everything a run measured: what results.json keeps besides its derived parts
 * @property {import('./lib/machine').MachineInfo} machine
 * @property {{ quick: boolean, runs: number, slowRuns: number, slowSeconds: number, maxRunSeconds: number, rateLimit: { limit: number, windowSeconds: number }, rateLimitedIds: number, rateLimitedPerItemIds: number, n8nEnv: Record<string, string>, cpuIds: number }} settings
 * @property {number} durationSeconds
 * @property {import('./lib/contenders').Contender[]} contenders
 * @property {Workload[]} workloads
 * @property {Cutoff[]} cutoffs
 * @property {BaselineRecord[]} baselines
 * @property {Diagnostic[]} diagnostics
 * @property {CpuResult | undefined} cpu
 * @property {RunRecord[]} runs
 * @property {string[]} runNotes
 */

/**
 * Judges the goals and writes results.json, results.md and wall-time.svg from what was measured.
 * @param {string} out
 * @param {Measured} measured
 */
function writeOutputs(out, measured) {
	const {
		machine,
		settings,
		durationSeconds,
		contenders,
		workloads,
		cutoffs,
		baselines,
		diagnostics,
		cpu,
		runs,
		runNotes,
	} = measured;
	const rows = summarise(runs, workloads, contenders);
	const goals = judgeGoals({ rows, runs, workloads, baselines, cpu, cutoffs, diagnostics });
	/** @type {import('./lib/args').BenchArgs} */
	const reportArgs = { ...parseArgs(settings.quick ? ['--quick'] : []), ...settings, out };
	fs.mkdirSync(out, { recursive: true });
	fs.writeFileSync(
		path.join(out, 'results.json'),
		`${JSON.stringify({ machine, settings, durationSeconds, contenders, workloads, goals, summary: rows, cutoffs, baselines, diagnostics, cpu, runNotes, runs }, null, 2)}\n`,
	);
	fs.writeFileSync(
		path.join(out, 'results.md'),
		resultsMarkdown({
			machine,
			args: reportArgs,
			workloads,
			contenders,
			rows,
			cutoffs,
			baselines,
			cpu,
			goals,
			diagnostics,
			durationSeconds,
			runNotes,
		}),
	);
	fs.writeFileSync(
		path.join(out, 'wall-time.svg'),
		wallTimeChart({
			rows,
			workloads,
			contenders,
			cutoffs,
			subtitle: `median of up to ${settings.runs} runs; n8n ${machine.n8nVersion} on Node ${machine.n8nNode}; ${machine.cpuModel}, ${machine.cpuCount} cores; ${machine.date.slice(0, 10)}`,
		}),
	);

	say('');
	say('Goals (issue 5):');
	for (const goal of goals) {
		const mark =
			goal.status === 'met' ? 'MET    ' : goal.status === 'missed' ? 'MISSED ' : 'not measured';
		say(`  ${mark} ${goal.goal}`);
		say(`          ${goal.numbers}`);
		if (goal.why) say(`          why: ${goal.why}`);
	}
	say('');
	say(
		`wrote ${path.relative(process.cwd(), out) || out}/results.md, results.json, wall-time.svg (the run took ${fmtInt(durationSeconds / 60)} min)`,
	);
}

/**
 * --from-json: judges and writes the outputs again from a results.json, without running anything
 * (after a change to the goals, the report or the chart).
 * @param {string} file
 * @param {string} out
 */
function rewriteFromJson(file, out) {
	/** @type {Measured & { runNotes?: string[] }} */
	const measured = JSON.parse(fs.readFileSync(file, 'utf8'));
	const contenders = CONTENDERS.filter((c) => measured.contenders.some((m) => m.key === c.key));
	let runNotes = measured.runNotes;
	if (!runNotes) {
		// results.json of a run before the notes were kept: rebuild them from the runs.
		const rows = summarise(measured.runs, measured.workloads, contenders);
		runNotes = rows
			.filter(
				(r) =>
					r.runs < measured.settings.runs &&
					!measured.workloads.find((w) => w.key === r.workload)?.rateLimit,
			)
			.map(
				(r) =>
					`${contenders.find((c) => c.key === r.contender)?.label} at ${measured.workloads.find((w) => w.key === r.workload)?.label}: ${r.runs} run(s) only (over --max-run-seconds ${measured.settings.maxRunSeconds} s by estimate; it runs once for its time and memory)`,
			);
		const maxLoad = Math.max(0, ...measured.runs.map((r) => r.loadAverage[0] ?? 0));
		runNotes.push(
			`Highest 1-minute load average before a run: ${maxLoad.toFixed(2)} on ${measured.machine.cpuCount} cores (n8n and the emulator use about one core each while a contender runs; more means other processes shared the machine)`,
		);
	}
	writeOutputs(out, { ...measured, contenders, runNotes });
}

/**
 * Whether to run a contender at a workload, from its median at the next smaller id count (same latency).
 * Over --max-run-seconds it is cut off, except that it runs once (for its time and memory) at the first
 * latency where that id count comes up, when the estimate stays under 4× the limit.
 * @param {string} contender
 * @param {Workload} workload
 * @param {Workload[]} workloads
 * @param {RunRecord[]} runs
 * @param {Cutoff[]} cutoffs
 * @param {import('./lib/args').BenchArgs} args
 * @returns {{ cut: true, reason: string, estimateSeconds?: number } | { cut: false, once: boolean, reason: string }}
 */
function cutoffDecision(contender, workload, workloads, runs, cutoffs, args) {
	if (workload.rateLimit) return { cut: false, once: false, reason: '' };
	const smaller = workloads
		.filter((w) => !w.rateLimit && w.latencyMs === workload.latencyMs && w.ids < workload.ids)
		.sort((a, b) => b.ids - a.ids)[0];
	if (!smaller) return { cut: false, once: false, reason: '' };
	if (cutoffs.some((c) => c.contender === contender && c.workload === smaller.key)) {
		return { cut: true, reason: `cut off already at ${fmtInt(smaller.ids)} ids` };
	}
	const previous = runs.filter((r) => r.contender === contender && r.workload === smaller.key);
	if (previous.length === 0) return { cut: false, once: false, reason: '' };
	if (previous.every((r) => !r.ok))
		return { cut: true, reason: `every run failed at ${fmtInt(smaller.ids)} ids` };
	const estimateSeconds =
		(median(previous.map((r) => r.wallMs)) / 1000) * (workload.ids / smaller.ids);
	if (estimateSeconds <= args.maxRunSeconds) return { cut: false, once: false, reason: '' };
	const measuredBefore = runs.some((r) => r.contender === contender && r.ids === workload.ids);
	if (!measuredBefore && estimateSeconds <= 4 * args.maxRunSeconds) {
		return {
			cut: false,
			once: true,
			reason: `1 run only: estimated ${fmtInt(estimateSeconds)} s from ${fmtInt(smaller.ids)} ids, over the ${args.maxRunSeconds} s limit, so it runs once for its time and memory and is cut off at the other latencies`,
		};
	}
	return {
		cut: true,
		estimateSeconds,
		reason: `estimated ${fmtInt(estimateSeconds)} s from its ${fmtSeconds(median(previous.map((r) => r.wallMs)))} at ${fmtInt(smaller.ids)} ids, over the ${args.maxRunSeconds} s limit${measuredBefore ? `; ${fmtInt(workload.ids)} ids were measured at another latency` : ''}`,
	};
}

main().catch((error) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
