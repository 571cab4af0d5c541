// @ts-check
'use strict';

/**
 * What a benchmark needs from n8n beyond the harness (harness/): an `n8n execute` whose child pid is
 * known (to poll its memory), whose stdout is not kept (at 100,000 ids n8n prints hundreds of MB of
 * run JSON), and whose run is read from bench/n8n-probe-hooks.js instead.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const harness = require('../../harness');

const HOOKS_FILE = path.join(__dirname, '..', 'n8n-probe-hooks.js');
/** The floor inside n8n, a bench-only node (see the file). */
const FLOOR_NODE_FILE = path.join(__dirname, '..', 'n8n-floor', 'BenchFloor.node.js');

/** @typedef {(line: string) => void} Logger */

/**
 * @typedef {object} ProbeTask
 * @property {number} [startTime]
 * @property {number} [executionTime]
 * @property {string} [executionStatus]
 * @property {string} [error]
 * @property {number[]} outputs
 * @property {number[]} errorItems
 * @property {Record<string, number>[]} statuses
 */

/**
 * @typedef {object} ProbeMemory
 * @property {number} at
 * @property {number} uptimeMs
 * @property {number} vmHwmKb
 * @property {number} vmRssKb
 */

/**
 * @typedef {object} Probe  what bench/n8n-probe-hooks.js wrote
 * @property {ProbeMemory} [preExecute]
 * @property {ProbeMemory} postExecute
 * @property {string} [status]
 * @property {number} [startedAt]
 * @property {number} [stoppedAt]
 * @property {{ message: string, node?: string }} [error]
 * @property {Record<string, ProbeTask[]>} nodes
 */

/**
 * @typedef {object} ProbedRun
 * @property {number | null} exitCode
 * @property {number} processMs      spawn to exit of `n8n execute`
 * @property {Probe | undefined} probe
 * @property {number} polledHwmKb    the highest VmHWM seen by polling the child (whole process life)
 * @property {string} logTail        the last part of n8n's stdout and stderr
 * @property {boolean} timedOut
 */

/**
 * Prepares everything `npm run bench` needs from n8n: the runtime (installs it the first time), a fresh
 * build of the package, packed and installed in a new user folder with n8n's database migrated.
 * @param {Logger} log
 * @returns {Promise<{ runtime: import('../../harness').Runtime, userFolder: string }>}
 */
async function prepareN8n(log) {
	const runtime = await harness.prepareRuntime({
		log: (line) => log(`[n8n-runtime] ${line}`),
	});
	const packed = await harness.packPackage({ log, rebuild: true });
	const userFolder = await harness.createUserFolder({ log, packed });
	installFloorNode(userFolder);
	return { runtime, userFolder };
}

/**
 * Puts the floor inside n8n into the user folder's custom-nodes folder, where n8n loads every
 * `*.node.js` as `CUSTOM.<name>`; it never enters the package.
 * @param {string} userFolder
 */
function installFloorNode(userFolder) {
	const custom = path.join(userFolder, '.n8n', 'custom');
	fs.mkdirSync(custom, { recursive: true });
	fs.copyFileSync(FLOOR_NODE_FILE, path.join(custom, path.basename(FLOOR_NODE_FILE)));
}

/**
 * Reads VmHWM (kB) of a process, or 0 when it is gone.
 * @param {number} pid
 */
function readHwmKb(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
	} catch {
		return 0;
	}
}

/**
 * Runs `n8n execute --id=<id>` with the probe hooks, polling the child's peak memory.
 * @param {string} userFolder
 * @param {string} workflowId
 * @param {{ timeoutMs: number, pollMs?: number, env?: Record<string, string> }} options
 * @returns {Promise<ProbedRun>}
 */
async function executeWithProbe(userFolder, workflowId, options) {
	const probeFile = path.join(os.tmpdir(), `cstar-bench-probe-${process.pid}-${Date.now()}.json`);
	const child = await harness.spawnN8n(
		userFolder,
		['execute', `--id=${workflowId}`, '--rawOutput'],
		{
			EXTERNAL_HOOK_FILES: HOOKS_FILE,
			BENCH_PROBE_FILE: probeFile,
			BENCH_TRIM_RUN_DATA: '1',
			...options.env,
		},
	);
	const started = process.hrtime.bigint();
	let tail = '';
	/** @param {Buffer} chunk */
	const keepTail = (chunk) => {
		tail = (tail + chunk.toString('utf8')).slice(-16000);
	};
	child.stdout.on('data', keepTail);
	child.stderr.on('data', keepTail);
	let polledHwmKb = 0;
	const poll = setInterval(() => {
		if (child.pid) polledHwmKb = Math.max(polledHwmKb, readHwmKb(child.pid));
	}, options.pollMs ?? 100);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		child.kill('SIGKILL');
	}, options.timeoutMs);
	/** @type {number | null} */
	const exitCode = await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code) => resolve(code));
	});
	clearInterval(poll);
	clearTimeout(timer);
	const processMs = Number(process.hrtime.bigint() - started) / 1e6;
	/** @type {Probe | undefined} */
	let probe;
	try {
		probe = JSON.parse(fs.readFileSync(probeFile, 'utf8'));
	} catch {
		probe = undefined;
	}
	fs.rmSync(probeFile, { force: true });
	return { exitCode, processMs, probe, polledHwmKb, logTail: tail, timedOut };
}

module.exports = {
	prepareN8n,
	executeWithProbe,
	HOOKS_FILE,
};
