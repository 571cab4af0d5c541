// @ts-check
'use strict';

/**
 * The n8n version matrix: runs the e2e suites against each n8n version (each in its own runtime
 * folder, see scripts/n8n-runtime.js) and, with `--write`, records the results in
 * docs/compatibility.json and the README's Compatibility table. A plain run (CI, `npm run
 * test:versions`) writes nothing and exits 1 when a suite fails.
 *
 *   node scripts/version-matrix.js [--write] [--only <version>] [--queue | --queue-only] [--ci]
 *
 * `--queue` also runs the queue-mode suite on the default version (as `npm run compat` does);
 * `--ci` runs only the matrix versions marked `ci: true` (`npm run test:versions`; the default
 * version's suites run in `npm run test:e2e`).
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { DEFAULT_N8N_VERSION, PROJECT_ROOT } = require('../harness/runtime');
const { writeCompatibility } = require('./compatibility');

/** The suites every version must pass; 1.x runs these only, to keep CI lean. */
const ESSENTIAL = ['smoke', 'bulk', 'errors', 'credential', 'examples', 'cancel'];
/**
 * Versions tested besides the default: the newest installable 1.x (in CI too), and the floor, the
 * oldest n8n the node runs on (1.85 brought `NodeConnectionTypes` as a runtime value; `npm run compat` only).
 */
const MATRIX = [
	// Search mode (issue 20) and the pickers' lists (issue 21; the browser suite is 2.x only) must
	// work on the newest 1.x too: their suites run there in CI.
	{ version: '1.123.81', suites: [...ESSENTIAL, 'search', 'pickers'], ci: true },
	{ version: '1.85.4', suites: ESSENTIAL, ci: false },
];

/**
 * @typedef {object} SuiteResult
 * @property {string} version
 * @property {string} mode      'regular' (`n8n execute`, `n8n start`) or 'queue'
 * @property {string} suite
 * @property {'passed' | 'failed'} outcome
 * @property {number} tests
 * @property {number} failedTests
 * @property {number} seconds
 * @property {string} date     YYYY-MM-DD
 * @property {string} node     the Node version n8n ran on
 * @property {string} engine   n8n's expression engine
 */

/**
 * The environment for one version: N8N_RUNTIME_DIR is for the default version only; another
 * version's folder can be given as N8N_RUNTIME_DIR_<version with _ for .>, e.g. N8N_RUNTIME_DIR_1_123_81.
 * @param {string} version
 */
function envFor(version) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, CSTAR_N8N_VERSION: version };
	if (version !== DEFAULT_N8N_VERSION) delete env.N8N_RUNTIME_DIR;
	const own = process.env[`N8N_RUNTIME_DIR_${version.replace(/\./g, '_')}`];
	if (own) env.N8N_RUNTIME_DIR = own;
	return env;
}

/** @param {string} version @param {string[]} args @param {'inherit' | 'pipe'} [stdout] */
function run(version, args, stdout = 'inherit') {
	const result = childProcess.spawnSync(args[0], args.slice(1), {
		cwd: PROJECT_ROOT,
		env: envFor(version),
		stdio: ['ignore', stdout, 'inherit'],
		encoding: 'utf8',
	});
	return { ok: result.status === 0, stdout: result.stdout || '' };
}

/**
 * The expression engine n8n runs by default (n8nEnv sets no N8N_EXPRESSION_ENGINE), read from the
 * runtime's @n8n/config; n8n without that setting (before the vm engine) has only the legacy one.
 * @param {string} runtimeDir
 * @returns {string}
 */
function defaultEngineOf(runtimeDir) {
	const config = path.join(
		runtimeDir,
		'node_modules/@n8n/config/dist/configs/expression-engine.config.js',
	);
	if (!fs.existsSync(config)) return 'legacy';
	const engine = /this\.engine = '(\w+)'/.exec(fs.readFileSync(config, 'utf8'));
	return engine ? engine[1] : 'unknown';
}

/**
 * Prepares the version's runtime, then runs the suites with jest and reads jest's JSON report.
 * @param {string} version
 * @param {string} mode
 * @param {string} config jest config file
 * @param {string[]} files test files (paths relative to the project)
 * @returns {SuiteResult[]}
 */
function runSuites(version, mode, config, files) {
	if (!run(version, ['node', 'scripts/n8n-runtime.js', 'prepare']).ok) {
		throw new Error(`n8n ${version} could not be installed`);
	}
	const info = JSON.parse(run(version, ['node', 'scripts/n8n-runtime.js', 'info'], 'pipe').stdout);
	const node = info.nodeVersion;
	const engine = defaultEngineOf(info.dir);
	const report = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-matrix-')),
		'jest.json',
	);
	const started = Date.now();
	run(version, [
		'npx',
		'jest',
		'--config',
		config,
		'--runInBand',
		'--json',
		`--outputFile=${report}`,
		...files,
	]);
	const parsed = fs.existsSync(report)
		? JSON.parse(fs.readFileSync(report, 'utf8'))
		: { testResults: [] };
	fs.rmSync(path.dirname(report), { recursive: true, force: true });
	const date = new Date(started).toISOString().slice(0, 10);
	return parsed.testResults.map((/** @type {any} */ file) => {
		const tests = file.assertionResults || [];
		const failedTests = tests.filter((/** @type {any} */ t) => t.status !== 'passed').length;
		return {
			version,
			mode,
			suite: path.basename(file.name).replace(/\.e2e\.test\.ts$/, ''),
			outcome: file.status === 'passed' && failedTests === 0 ? 'passed' : 'failed',
			tests: tests.length,
			failedTests,
			seconds: Math.round(((file.endTime || 0) - (file.startTime || 0)) / 1000),
			date,
			node,
			engine,
		};
	});
}

/** @param {number} since @returns {number} whole seconds since `since` */
const secondsSince = (since) => Math.round((Date.now() - since) / 1000);

/** @param {string[]} suites */
const e2eFiles = (suites) => suites.map((s) => `test/e2e/${s}.e2e.test.ts`);

function main() {
	const started = Date.now();
	const argv = process.argv.slice(2);
	const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
	/** @type {SuiteResult[]} */
	const results = [];
	const ci = argv.includes('--ci');
	if (!ci && (!only || only === DEFAULT_N8N_VERSION)) {
		if (!argv.includes('--queue-only'))
			results.push(...runSuites(DEFAULT_N8N_VERSION, 'regular', 'jest.e2e.config.js', []));
		if (argv.includes('--queue') || argv.includes('--queue-only'))
			results.push(...runSuites(DEFAULT_N8N_VERSION, 'queue', 'jest.queue.config.js', []));
	}
	for (const entry of MATRIX) {
		if (only ? only !== entry.version : ci && !entry.ci) continue;
		results.push(
			...runSuites(entry.version, 'regular', 'jest.e2e.config.js', e2eFiles(entry.suites)),
		);
	}
	for (const r of results)
		process.stderr.write(`[matrix] n8n ${r.version} ${r.mode} ${r.suite}: ${r.outcome}\n`);
	process.stderr.write(`[matrix] ${results.length} suite(s) in ${secondsSince(started)} s\n`);
	if (argv.includes('--write')) {
		writeCompatibility(results);
		// The table is written plain; prettier pads it as format:check expects.
		run(DEFAULT_N8N_VERSION, [
			'npx',
			'prettier',
			'--write',
			'README.md',
			'docs/compatibility.json',
		]);
	}
	if (results.length === 0 || results.some((r) => r.outcome !== 'passed')) process.exitCode = 1;
}

if (require.main === module) main();

module.exports = { ESSENTIAL, MATRIX };
