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

const { parseArgs, USAGE, UsageError, MILLION_IDS_PER_ITEM } = require('./lib/args');
const { CONTENDERS, runsIn, workloadKind } = require('./lib/contenders');
const { startEmulatorProcess, controlRequest } = require('./lib/emulator');
const { describeMachine, machineLines } = require('./lib/machine');
const n8n = require('./lib/n8n');
const harness = require('../harness');
const { Runner } = require('./lib/runner');
const { summarise, median } = require('./lib/summary');
const { judgeGoals } = require('./lib/goals');
const { resultsMarkdown } = require('./lib/report');
const { wallTimeChart } = require('./lib/chart');
const { credentials, SEARCH_CREDENTIAL } = require('./lib/workflows');
const { fmtInt, fmtSeconds, fmtMB } = require('./lib/format');
const { freePort } = harness;

/** @typedef {import('./lib/runner').Workload} Workload */
/** @typedef {import('./lib/emulator').EmulatorProcess} EmulatorProcess */
/** @typedef {import('./lib/runner').RunRecord} RunRecord */
/** @typedef {import('./lib/runner').BaselineRecord} BaselineRecord */
/** @typedef {import('./lib/summary').Cutoff} Cutoff */
/** @typedef {import('./lib/goals').CpuResult} CpuResult */
/** @typedef {import('./lib/goals').Diagnostic} Diagnostic */

const startedAt = Date.now();
/** n8n's and the CPU child's heap limit for the big workload: most of the machine's 24 GB. */
const MILLION_HEAP_MB = 20480;
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
					idsPerItem: 1,
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
			idsPerItem: 1,
		});
	}
	if (args.million) workloads.push(millionWorkload(args.millionIds));
	if (args.search) workloads.push(...searchWorkloads(args));
	return workloads;
}

/**
 * The search workloads (issue 20): every ticket of an emulator of their own is open before each run,
 * and the node finds them by status = open and sets them to pending (the field its filter reads).
 * Under the rate limit at 0 ms, where the limit binds hardest; and at --search-latency without one,
 * for the time against the floor that lists and then bulks.
 * @param {import('./lib/args').BenchArgs} args
 * @returns {Workload[]}
 */
function searchWorkloads(args) {
	const ids = args.searchIds;
	/** @type {import('./lib/runner').SearchSpec} */
	const search = { resource: 'tickets', filters: { status: 'open' }, matching: { status: 'open' } };
	const { limit, windowSeconds } = args.searchRateLimit;
	const found = `${fmtInt(ids)} tickets found by a search`;
	return [
		{
			key: `q${ids}rl`,
			label: `${found}, rate limit ${limit} per ${windowSeconds} s`,
			ids,
			latencyMs: 0,
			rateLimit: { limit, windowSeconds },
			idsPerItem: 1,
			search,
		},
		{
			key: `q${ids}@${args.searchLatencyMs}`,
			label: `${found}, ${args.searchLatencyMs} ms, no rate limit`,
			ids,
			latencyMs: args.searchLatencyMs,
			rateLimit: null,
			idsPerItem: 1,
			search,
		},
	];
}

/**
 * The big workload: ids as items of 100, 50 ms. n8n gets the machine's memory rather than its default
 * heap limit, so what is measured is whether n8n can hold the run, not Node's default.
 * @param {number} ids
 * @returns {Workload}
 */
function millionWorkload(ids) {
	return {
		key: `m${ids}@50`,
		label: `${fmtInt(ids)} ids as ${fmtInt(ids / MILLION_IDS_PER_ITEM)} items of ${MILLION_IDS_PER_ITEM}, 50 ms, no rate limit`,
		ids,
		latencyMs: 50,
		rateLimit: null,
		idsPerItem: MILLION_IDS_PER_ITEM,
		n8nEnv: { NODE_OPTIONS: `--max-old-space-size=${MILLION_HEAP_MB}` },
	};
}

/**
 * The node's own CPU time per id, in a child process on n8n's Node.
 * @param {string} nodeBin
 * @param {number} ids
 * @param {number} [idsPerItem]
 * @returns {CpuResult}
 */
function measureCpu(nodeBin, ids, idsPerItem = 1) {
	const output = childProcess.execFileSync(
		nodeBin,
		[
			`--max-old-space-size=${MILLION_HEAP_MB}`,
			path.join(__dirname, 'lib', 'node-cpu-child.js'),
			String(ids),
			'4',
			String(idsPerItem),
		],
		{ encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
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

/**
 * @typedef {object} Session   one bench run: what it runs and what it has measured so far
 * @property {import('./lib/args').BenchArgs} args
 * @property {import('./lib/contenders').Contender[]} contenders
 * @property {Workload[]} workloads
 * @property {import('./lib/machine').MachineInfo} machine
 * @property {string} nodeBin
 * @property {Runner} runner
 * @property {RunRecord[]} runs
 * @property {BaselineRecord[]} baselines
 * @property {Cutoff[]} cutoffs
 * @property {Diagnostic[]} diagnostics
 * @property {CpuResult | undefined} cpu
 * @property {CpuResult[]} cpuScaling   the node's CPU per id at the big workload's shape, small and large
 * @property {string[]} runNotes
 */

/** @param {string[]} argv @returns {import('./lib/args').BenchArgs | undefined} */
function argsOrExit(argv) {
	try {
		return parseArgs(argv);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`${error.message}\n`);
		process.exitCode = 2;
		return undefined;
	}
}

async function main() {
	const args = argsOrExit(process.argv.slice(2));
	if (!args) return;
	if (args.help) return say(USAGE);
	if (args.fromJson) return rewriteFromJson(args.fromJson, args.out);

	const contenders = CONTENDERS.filter((c) => args.contenders.includes(c.key));
	// A search workload no chosen contender runs in would only cost its emulator.
	const workloads = planWorkloads(args).filter(
		(w) => !w.search || contenders.some((c) => runsIn(c, w)),
	);
	const { runtime, userFolder, machine, emulator, searchEmulator, stop } = await startServices(
		args,
		workloads,
	);

	/** @type {Session | undefined} */
	let session;
	try {
		const runner = await prepareRunner({
			args,
			contenders,
			workloads,
			emulator,
			searchEmulator,
			userFolder,
			runtime,
		});
		session = {
			args,
			contenders,
			workloads,
			machine,
			nodeBin: runtime.nodeBin,
			runner,
			runs: [],
			baselines: [],
			cutoffs: [],
			diagnostics: [],
			cpu: undefined,
			cpuScaling: [],
			runNotes: [],
		};
		if (args.memoryBaseline) await runBaselines(session);
		for (const workload of workloads) await runWorkload(session, workload);
		await runDiagnostics(session);
		if (args.cpu) measureAllCpu(session);
	} finally {
		await stop();
	}
	writeOutputs(args.out, measuredOf(session));
}

/**
 * n8n (built, packed, installed in a fresh user folder) and the emulator with enough tickets.
 * @param {import('./lib/args').BenchArgs} args
 * @param {Workload[]} workloads
 */
async function startServices(args, workloads) {
	say(`cStar bench${args.quick ? ' (quick)' : ''}: set-up (build, pack, n8n runtime, user folder)`);
	const { runtime, userFolder } = await n8n.prepareN8n(note);
	const machine = describeMachine(runtime);
	for (const line of machineLines(machine)) say(line);
	const tickets = Math.max(1, ...workloads.filter((w) => !w.search).map((w) => w.ids));
	const emulator = await startEmulatorProcess({
		port: await freePort(),
		tickets,
		nodeBin: runtime.nodeBin,
	});
	say(`emulator: ${emulator.url}, ${fmtInt(tickets)} tickets (pid ${emulator.pid})`);
	const searchEmulator = await startSearchEmulator(workloads, runtime.nodeBin);
	const stop = async () => {
		await emulator.stop().catch(() => undefined);
		await searchEmulator?.stop().catch(() => undefined);
		try {
			harness.removeUserFolder(userFolder);
		} catch {
			// already gone
		}
	};
	process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
	return { runtime, userFolder, machine, emulator, searchEmulator, stop };
}

/**
 * The search workloads' own emulator, seeded with exactly their tickets, so that a filter can match
 * every one of them and nothing else (the main one holds as many tickets as the largest workload).
 * @param {Workload[]} workloads
 * @param {string} nodeBin
 */
async function startSearchEmulator(workloads, nodeBin) {
	const tickets = Math.max(0, ...workloads.filter((w) => w.search).map((w) => w.ids));
	if (tickets === 0) return undefined;
	const emulator = await startEmulatorProcess({ port: await freePort(), tickets, nodeBin });
	say(`search emulator: ${emulator.url}, ${fmtInt(tickets)} tickets (pid ${emulator.pid})`);
	return emulator;
}

/**
 * The runner, with every workflow the run needs built and imported into n8n.
 * @param {{ args: import('./lib/args').BenchArgs, contenders: import('./lib/contenders').Contender[], workloads: Workload[], emulator: EmulatorProcess, searchEmulator: EmulatorProcess | undefined, userFolder: string, runtime: { nodeBin: string } }} input
 */
async function prepareRunner(input) {
	const { args, contenders, workloads, emulator, searchEmulator, userFolder, runtime } = input;
	const ticketIds = async (/** @type {EmulatorProcess} */ of) =>
		/** @type {string[]} */ (
			(await controlRequest(`${of.url}/__emulator/store/tickets`, 'GET')).ids
		);
	const runner = new Runner({
		emulator,
		search: searchEmulator && { emulator: searchEmulator, ids: await ticketIds(searchEmulator) },
		userFolder,
		allIds: await ticketIds(emulator),
		nodeBin: runtime.nodeBin,
		n8nEnv: args.n8nEnv,
		runTimeoutMs: args.runTimeoutSeconds * 1000,
		rateLimitedPerItemIds: args.rateLimitedPerItemIds,
	});
	const target = { url: emulator.url, teamId: emulator.teamId, key: emulator.key };
	const searchTarget = searchEmulator && {
		url: searchEmulator.url,
		teamId: searchEmulator.teamId,
		key: searchEmulator.key,
		credential: SEARCH_CREDENTIAL,
	};
	for (const workload of workloads) {
		for (const contender of contenders) {
			if (contender.kind !== 'n8n' || !runsIn(contender, workload)) continue;
			runner.addWorkflowFor(contender, workload, (workload.search && searchTarget) || target);
		}
	}
	if (args.memoryBaseline) {
		runner.addWorkflow({ kind: 'none' }, [], target);
		const largest = largestUnlimited(workloads);
		if (largest > 0) runner.addWorkflow({ kind: 'none' }, runner.allIds.slice(0, largest), target);
	}
	const allCredentials = credentials(target, searchTarget);
	say(
		`importing ${runner.workflows.size} workflows and ${allCredentials.length} credentials into n8n`,
	);
	await harness.importCredentials(userFolder, allCredentials);
	await runner.importWorkflows();
	return runner;
}

/** The largest id count of the workloads of one id per item without a rate limit. @param {Workload[]} workloads */
function largestUnlimited(workloads) {
	return Math.max(0, ...workloads.filter((w) => workloadKind(w) === 'unlimited').map((w) => w.ids));
}

/** n8n's memory without a contender: an empty run and the ids-only run. @param {Session} session */
async function runBaselines(session) {
	const largest = largestUnlimited(session.workloads);
	for (let run = 1; run <= session.args.runs; run++) {
		for (const [name, count] of /** @type {const} */ ([
			['empty', 0],
			['ids-only', largest],
		])) {
			if (name === 'ids-only' && largest === 0) continue;
			const record = await session.runner.runBaseline(name, count, run);
			session.baselines.push(record);
			say(
				`[${elapsed()}] baseline ${name}${count ? ` ${fmtInt(count)} ids` : ''} run ${run}: peak ${fmtMB(record.peakMemoryKb / 1024)}${record.ok ? '' : ' FAILED'}`,
			);
		}
	}
}

/**
 * How many runs each contender gets at a workload (cut-offs recorded, a 0 skips it).
 * @param {Session} session
 * @param {Workload} workload
 */
function runsWanted(session, workload) {
	const { args, runs, cutoffs } = session;
	/** @type {Map<string, number>} */
	const wanted = new Map();
	for (const contender of session.contenders.filter((c) => runsIn(c, workload))) {
		const decision = cutoffDecision(
			contender.key,
			workload,
			session.workloads,
			runs,
			cutoffs,
			args,
		);
		if (decision.cut) {
			const { reason, estimateSeconds } = decision;
			cutoffs.push({ workload: workload.key, contender: contender.key, reason, estimateSeconds });
			say(`[${elapsed()}] ${workload.label} · ${contender.label}: cut off (${reason})`);
			continue;
		}
		// The big workload runs once: one run is minutes, and it is judged on its totals.
		const once = decision.once || workload.idsPerItem > 1;
		wanted.set(contender.key, once ? 1 : args.runs);
		if (decision.once)
			session.runNotes.push(`${contender.label} at ${workload.label}: ${decision.reason}`);
	}
	return wanted;
}

/** @param {Session} session @param {Workload} workload */
async function runWorkload(session, workload) {
	const { args } = session;
	const wanted = runsWanted(session, workload);
	for (let run = 1; run <= args.runs; run++) {
		for (const contender of session.contenders) {
			if (run > (wanted.get(contender.key) ?? 0)) continue;
			const record = await session.runner.runOnce(contender, workload, run);
			session.runs.push(record);
			say(
				`[${elapsed()}] ${workload.label} · ${contender.label} · run ${run}/${wanted.get(contender.key)}: ${describeRun(record)}`,
			);
			if (
				run === 1 &&
				record.wallMs > args.slowSeconds * 1000 &&
				args.slowRuns < (wanted.get(contender.key) ?? 0)
			) {
				wanted.set(contender.key, args.slowRuns);
				session.runNotes.push(
					`${contender.label} at ${workload.label}: ${args.slowRuns} run(s), as its first took ${fmtSeconds(record.wallMs)} (over ${args.slowSeconds} s)`,
				);
			}
		}
	}
}

/** Cstar Bulk at the largest id count again with n8n's legacy expression engine. @param {Session} session */
async function runDiagnostics(session) {
	const cstar = session.contenders.find((c) => c.key === 'cstar');
	const largest = largestUnlimited(session.workloads);
	const workload = session.workloads.find(
		(w) => workloadKind(w) === 'unlimited' && w.ids === largest && w.latencyMs === 0,
	);
	if (!session.args.diagnostics) return;
	if (!cstar || !workload || session.args.n8nEnv.N8N_EXPRESSION_ENGINE !== undefined) return;
	const record = await session.runner.runOnce(cstar, workload, 1, {
		N8N_EXPRESSION_ENGINE: 'legacy',
	});
	session.diagnostics.push({
		key: 'legacy-expressions',
		label: `${cstar.label}, ${workload.label}, with n8n's legacy expression engine (N8N_EXPRESSION_ENGINE=legacy; n8n ${session.machine.n8nVersion} defaults to "vm")`,
		record,
	});
	say(
		`[${elapsed()}] diagnostic: ${cstar.label} with the legacy expression engine: ${describeRun(record)}`,
	);
}

/**
 * The node's CPU per id: at --cpu-ids (one id per item), and with the big workload at its shape (items
 * of 100 ids) at 10,000 ids and at its size, to show the cost grows linearly.
 * @param {Session} session
 */
function measureAllCpu(session) {
	const { args, nodeBin } = session;
	try {
		session.cpu = measureCpu(nodeBin, args.cpuIds);
		say(
			`[${elapsed()}] node CPU per id: ${session.cpu.coldUsPerId.toFixed(2)} µs cold, ${session.cpu.warmUsPerId.toFixed(2)} µs warm (${fmtInt(session.cpu.ids)} ids)`,
		);
		if (!args.million) return;
		for (const ids of [...new Set([10000, args.millionIds])]) {
			const result = measureCpu(nodeBin, ids, MILLION_IDS_PER_ITEM);
			session.cpuScaling.push(result);
			say(
				`[${elapsed()}] node CPU per id, items of ${MILLION_IDS_PER_ITEM}: ${result.warmUsPerId.toFixed(2)} µs warm (${fmtInt(ids)} ids)`,
			);
		}
	} catch (error) {
		// Keep the n8n results of a long run even when the in-process measurement breaks.
		const message = error instanceof Error ? error.message : String(error);
		session.runNotes.push(
			`The CPU-per-id measurement failed: ${message.split('\n').slice(0, 3).join(' ')}`,
		);
		say(`[${elapsed()}] node CPU per id: FAILED: ${message}`);
	}
}

/**
 * What results.json keeps of a session.
 * @param {Session | undefined} session
 * @returns {Measured}
 */
function measuredOf(session) {
	if (!session) throw new Error('the bench stopped before it measured anything');
	const { args, machine, runs, runNotes } = session;
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
		million: args.million,
		millionIds: args.millionIds,
		search: args.search,
		searchIds: args.searchIds,
		searchRateLimit: args.searchRateLimit,
		searchLatencyMs: args.searchLatencyMs,
		n8nEnv: args.n8nEnv,
		cpuIds: args.cpuIds,
	};
	const { contenders, workloads, cutoffs, baselines, diagnostics, cpu, cpuScaling } = session;
	const durationSeconds = (Date.now() - startedAt) / 1000;
	return {
		machine,
		settings,
		durationSeconds,
		contenders,
		workloads,
		cutoffs,
		baselines,
		diagnostics,
		cpu,
		cpuScaling,
		runs,
		runNotes,
	};
}

/**
 * @typedef {object} Measured   everything a run measured: what results.json keeps besides its derived parts
 * @property {import('./lib/machine').MachineInfo} machine
 * @property {{ quick: boolean, runs: number, slowRuns: number, slowSeconds: number, maxRunSeconds: number, rateLimit: { limit: number, windowSeconds: number }, rateLimitedIds: number, rateLimitedPerItemIds: number, million?: boolean, millionIds?: number, search?: boolean, searchIds?: number, searchRateLimit?: { limit: number, windowSeconds: number }, searchLatencyMs?: number, n8nEnv: Record<string, string>, cpuIds: number }} settings
 * @property {number} durationSeconds
 * @property {import('./lib/contenders').Contender[]} contenders
 * @property {Workload[]} workloads
 * @property {Cutoff[]} cutoffs
 * @property {BaselineRecord[]} baselines
 * @property {Diagnostic[]} diagnostics
 * @property {CpuResult | undefined} cpu
 * @property {CpuResult[]} [cpuScaling]
 * @property {RunRecord[]} runs
 * @property {string[]} runNotes
 */

/**
 * Judges the goals and writes results.json, results.md and wall-time.svg from what was measured.
 * @param {string} out
 * @param {Measured} measured
 */
function writeOutputs(out, measured) {
	const { machine, settings, durationSeconds, contenders, workloads, cutoffs } = measured;
	const { baselines, diagnostics, cpu, runs, runNotes } = measured;
	const cpuScaling = measured.cpuScaling ?? [];
	const rows = summarise(runs, workloads, contenders);
	const goals = judgeGoals({
		rows,
		runs,
		workloads,
		baselines,
		cpu,
		cpuScaling,
		cutoffs,
		diagnostics,
	});
	/** @type {import('./lib/args').BenchArgs} */
	const reportArgs = { ...parseArgs(settings.quick ? ['--quick'] : []), ...settings, out };
	fs.mkdirSync(out, { recursive: true });
	const json = { ...measured, goals, summary: rows, cpuScaling };
	fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
	const markdown = resultsMarkdown({
		machine,
		args: reportArgs,
		workloads,
		contenders,
		rows,
		cutoffs,
		baselines,
		cpu,
		cpuScaling,
		goals,
		diagnostics,
		durationSeconds,
		runNotes,
	});
	fs.writeFileSync(path.join(out, 'results.md'), markdown);
	const subtitle = `median of up to ${settings.runs} runs; n8n ${machine.n8nVersion} on Node ${machine.n8nNode}; ${machine.cpuModel}, ${machine.cpuCount} cores; ${machine.date.slice(0, 10)}`;
	const chart = wallTimeChart({ rows, workloads, contenders, cutoffs, subtitle });
	fs.writeFileSync(path.join(out, 'wall-time.svg'), chart);
	printGoals(goals);
	say(
		`wrote ${path.relative(process.cwd(), out) || out}/results.md, results.json, wall-time.svg (the run took ${fmtInt(durationSeconds / 60)} min)`,
	);
}

/** @param {import('./lib/goals').Goal[]} goals */
function printGoals(goals) {
	say('');
	say('Goals (issues 5, 12 and 20):');
	for (const goal of goals) {
		const mark =
			goal.status === 'met' ? 'MET    ' : goal.status === 'missed' ? 'MISSED ' : 'not measured';
		say(`  ${mark} ${goal.goal}`);
		say(`          ${goal.numbers}`);
		if (goal.why) say(`          why: ${goal.why}`);
	}
	say('');
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
	const kind = workloadKind(workload);
	if (kind !== 'unlimited' && kind !== 'million') return { cut: false, once: false, reason: '' };
	const smaller = workloads
		.filter(
			(w) => workloadKind(w) === kind && w.latencyMs === workload.latencyMs && w.ids < workload.ids,
		)
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
