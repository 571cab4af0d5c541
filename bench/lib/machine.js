// @ts-check
'use strict';

/**
 * What the bench ran on: machine, CPU, memory, OS, the Node versions (the bench's, and n8n's own from
 * the runtime), n8n, this package and its git commit, and the date.
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * @typedef {object} MachineInfo
 * @property {string} date             ISO time the bench started
 * @property {string} hostname
 * @property {string} os
 * @property {string} cpuModel
 * @property {number} cpuCount
 * @property {number} memoryGiB
 * @property {string} benchNode        the Node running the bench and the emulator's parent
 * @property {string} n8nNode          the Node n8n, the emulator and the floor run on
 * @property {string} n8nVersion
 * @property {string} packageVersion
 * @property {string} gitCommit
 * @property {boolean} gitDirty        uncommitted changes under nodes/ or credentials/ when it ran
 * @property {number[]} loadAverage    1, 5 and 15 minute load when the bench started
 */

/** @param {string} command @param {string[]} args */
function tryRun(command, args) {
	try {
		return childProcess
			.execFileSync(command, args, {
				cwd: PROJECT_ROOT,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			})
			.trim();
	} catch {
		return '';
	}
}

/**
 * @param {{ nodeVersion: string, n8nVersion: string }} runtime
 * @returns {MachineInfo}
 */
function describeMachine(runtime) {
	const cpus = os.cpus();
	let osName = `${os.type()} ${os.release()}`;
	try {
		const release = fs.readFileSync('/etc/os-release', 'utf8');
		const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1];
		if (pretty) osName = `${pretty} (${os.type()} ${os.release()})`;
	} catch {
		// keep the kernel name only
	}
	const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
	return {
		date: new Date().toISOString(),
		hostname: os.hostname(),
		os: osName,
		cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
		cpuCount: cpus.length,
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		benchNode: process.version.replace(/^v/, ''),
		n8nNode: runtime.nodeVersion,
		n8nVersion: runtime.n8nVersion,
		packageVersion: packageJson.version,
		gitCommit: tryRun('git', ['rev-parse', '--short', 'HEAD']) || 'unknown',
		gitDirty: tryRun('git', ['status', '--porcelain', '--', 'nodes', 'credentials']) !== '',
		loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
	};
}

/** @param {MachineInfo} machine */
function machineLines(machine) {
	return [
		`date:     ${machine.date}`,
		`machine:  ${machine.cpuModel}, ${machine.cpuCount} cores, ${machine.memoryGiB} GiB, ${machine.os}`,
		`versions: n8n ${machine.n8nVersion} on Node ${machine.n8nNode}; bench on Node ${machine.benchNode}; n8n-nodes-cstar ${machine.packageVersion} (${machine.gitCommit}${machine.gitDirty ? ', with uncommitted node changes' : ''})`,
		`load:     ${machine.loadAverage.join(' / ')} (1/5/15 min) at start`,
	];
}

module.exports = { describeMachine, machineLines, PROJECT_ROOT };
