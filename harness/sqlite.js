// @ts-check
'use strict';

/**
 * The SQLite driver of the n8n runtime (sqlite3), the one native module n8n needs to start. Its prebuilt
 * binaries are not on the npm registry, so it is built from source against Node's headers, which takes
 * minutes on a small machine. The build needs only the headers, not n8n, so the runtime starts it in a
 * side folder while n8n installs, and drops the binary into n8n's tree afterwards (sqlite3 uses N-API:
 * one binary fits every Node). When that can't be done the driver is rebuilt in place, as before.
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { runCaptured, runStreamed } = require('./process');
const { withStep } = require('./status');

const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error'];
const BINARY = path.join('build', 'Release', 'node_sqlite3.node');

/** @typedef {import('./log').Logger} Logger */
/** @typedef {{ runtimeDir: string, nodeDir: string, nodeBin: string, env: NodeJS.ProcessEnv, log: Logger }} Where */

/**
 * From source (prebuild-install's download from outside the registry can only fail here) and on every
 * core.
 * @param {NodeJS.ProcessEnv} env
 */
const buildEnv = (env) => ({ ...env, npm_config_build_from_source: 'true', JOBS: 'max' });

/** @param {string} packageDir @returns {string | undefined} */
function installedVersion(packageDir) {
	const file = path.join(packageDir, 'package.json');
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : undefined;
}

/**
 * `npm rebuild sqlite3` in `cwd` against the headers of `nodeDir`.
 * @param {string} cwd
 * @param {Where} where
 */
function rebuild(cwd, { nodeDir, env, log }) {
	return runStreamed('npm', ['rebuild', 'sqlite3', `--nodedir=${nodeDir}`, ...NPM_FLAGS], {
		cwd,
		env: buildEnv(env),
		log,
	});
}

/**
 * Installs the sqlite3 that `n8nVersion` pins into `<runtimeDir>/.sqlite3-build/` and builds it there.
 * @param {string} n8nVersion
 * @param {Where} where
 * @returns {Promise<{ version: string, binary: string } | null>} null when it could not be built aside
 */
async function buildSqliteAside(n8nVersion, where) {
	const { log } = where;
	try {
		const { stdout } = await runCaptured(
			'npm',
			['view', `n8n@${n8nVersion}`, 'dependencies.sqlite3'],
			{ cwd: where.runtimeDir, env: where.env },
		);
		const version = stdout.trim();
		if (!/^\d+\.\d+\.\d+$/.test(version)) return null;
		const dir = path.join(where.runtimeDir, '.sqlite3-build');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
		log(`building sqlite3 ${version} while n8n installs`);
		await withStep(`building sqlite3 ${version}`, async () => {
			await runStreamed(
				'npm',
				['install', `sqlite3@${version}`, '--ignore-scripts', ...NPM_FLAGS],
				{
					cwd: dir,
					env: where.env,
					log,
				},
			);
			await rebuild(dir, where);
		});
		return { version, binary: path.join(dir, 'node_modules', 'sqlite3', BINARY) };
	} catch (error) {
		log(`sqlite3 could not be built aside (${error instanceof Error ? error.message : error})`);
		return null;
	}
}

/**
 * Gives n8n's sqlite3 a working binary: the one built aside when its version matches and it loads, else
 * a rebuild in place.
 * @param {{ version: string, binary: string } | null} aside from {@link buildSqliteAside}
 * @param {Where} where
 */
async function installSqliteBinary(aside, where) {
	const inTree = path.join(where.runtimeDir, 'node_modules', 'sqlite3');
	const placed = aside !== null && placeBinary(aside, inTree, where.nodeBin);
	fs.rmSync(path.join(where.runtimeDir, '.sqlite3-build'), { recursive: true, force: true });
	if (placed) {
		where.log(`sqlite3 ${aside.version}: the binary built aside loads in n8n's tree`);
		return;
	}
	where.log("building sqlite3 in n8n's tree (about a minute)");
	await withStep('building sqlite3 (npm rebuild)', () => rebuild(where.runtimeDir, where));
	if (!loads(inTree, where.nodeBin))
		throw new Error(`sqlite3 does not load after the rebuild in ${inTree}`);
}

/**
 * Copies the binary built aside into n8n's sqlite3 when the versions match.
 * @param {{ version: string, binary: string }} aside
 * @param {string} inTree n8n's sqlite3 package folder
 * @param {string} nodeBin
 * @returns {boolean} whether it is in place and loads
 */
function placeBinary(aside, inTree, nodeBin) {
	if (installedVersion(inTree) !== aside.version || !fs.existsSync(aside.binary)) return false;
	fs.mkdirSync(path.dirname(path.join(inTree, BINARY)), { recursive: true });
	fs.copyFileSync(aside.binary, path.join(inTree, BINARY));
	return loads(inTree, nodeBin);
}

/**
 * @param {string} packageDir
 * @param {string} nodeBin
 * @returns {boolean} whether `nodeBin` can open an in-memory database with the sqlite3 in `packageDir`
 */
function loads(packageDir, nodeBin) {
	const probe = `new (require(${JSON.stringify(packageDir)}).Database)(':memory:').close()`;
	try {
		childProcess.execFileSync(nodeBin, ['-e', probe], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

module.exports = { buildSqliteAside, installSqliteBinary };
