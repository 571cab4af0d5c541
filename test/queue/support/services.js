// @ts-check
'use strict';

/**
 * The real services n8n's queue mode needs, started for one test run on loopback only:
 * Debian's `redis-server` (its own port, no persistence) and Debian's `postgresql` (a throwaway
 * cluster made with `initdb` in a temp folder, run by `pg_ctl` on its own port). When the binaries
 * are missing and we are root (as in CI), they are installed with apt-get first.
 * Every `stop()` is safe to call twice and after a failed start.
 */

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../../../harness');
const { delay, waitFor } = require('./wait');

const APT_PACKAGES = ['redis-server', 'postgresql'];
/** The OS user Debian's postgresql package creates; initdb and postgres refuse to run as root. */
const PG_USER = 'postgres';

/** @param {string} command @param {string[]} args @param {childProcess.ExecFileSyncOptions} [options] */
function sh(command, args, options = {}) {
	return childProcess.execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', ...options });
}

/** The newest installed PostgreSQL's bin folder (`/usr/lib/postgresql/<major>/bin`), or ''. */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return '';
	const majors = fs
		.readdirSync(root)
		.filter((entry) => fs.existsSync(path.join(root, entry, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : '';
}

/** @param {string} binary */
function onPath(binary) {
	try {
		sh('sh', ['-c', `command -v ${binary}`]);
		return true;
	} catch {
		return false;
	}
}

/**
 * Installs redis-server and postgresql with apt-get when either is missing. CI runs as root on a
 * fresh Debian machine; elsewhere a missing package is an error that says what to install.
 * @param {(line: string) => void} log
 */
function ensureServicePackages(log) {
	const missing = [];
	if (!onPath('redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (missing.length === 0) return;
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		throw new Error(
			`queue mode needs ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')}`,
		);
	}
	log(`installing ${missing.join(', ')} with apt-get (once per machine)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	sh('apt-get', ['update', '-qq'], { env, timeout: 10 * 60 * 1000 });
	sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES], {
		env,
		timeout: 15 * 60 * 1000,
	});
	if (!onPath('redis-server') || !postgresBinDir()) throw new Error('apt-get did not install them');
}

/**
 * @typedef {object} Service
 * @property {number} port
 * @property {() => Promise<void>} stop
 */

/**
 * Starts `redis-server` on a free loopback port with persistence off (no RDB, no AOF).
 * @param {string} dir a temp folder for its working directory
 * @returns {Promise<Service>}
 */
async function startRedis(dir) {
	const port = await freePort();
	const child = childProcess.spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	const exited = new Promise((resolve) => child.on('close', resolve));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		await Promise.race([exited, delay(10000).then(() => child.kill('SIGKILL'))]);
		await exited;
	};
	try {
		await waitFor(() => output.includes('Ready to accept connections'), {
			what: `redis-server on port ${port}`,
			failed: () => (child.exitCode !== null ? output : ''),
		});
	} catch (error) {
		await stop();
		throw error;
	}
	return { port, stop };
}

/**
 * Makes a throwaway PostgreSQL cluster with `initdb` (trust auth, owned by the postgres user) and
 * starts it with `pg_ctl` on a free loopback port, socket in the same folder; creates database `n8n`.
 * @param {string} dir a temp folder; the cluster is `<dir>/pgdata`
 * @returns {Promise<Service & { user: string, database: string }>}
 */
async function startPostgres(dir) {
	const bin = postgresBinDir();
	const port = await freePort();
	const data = path.join(dir, 'pgdata');
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	/** @param {string} tool @param {string[]} args */
	const pg = (tool, args) =>
		asRoot
			? sh('runuser', ['-u', PG_USER, '--', path.join(bin, tool), ...args], { cwd: dir })
			: sh(path.join(bin, tool), args, { cwd: dir });
	if (asRoot) {
		fs.chmodSync(dir, 0o755);
		sh('chown', [PG_USER, dir]);
	}
	const user = asRoot ? PG_USER : os.userInfo().username;
	pg('initdb', ['-D', data, '-A', 'trust', '-U', user, '--no-sync', '-E', 'UTF8']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
	let started = false;
	const stop = async () => {
		if (!started) return;
		started = false;
		try {
			pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		} catch {
			// Already gone.
		}
	};
	try {
		pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'postgres.log'), '-w', 'start']);
		started = true;
		pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, 'n8n']);
	} catch (error) {
		await stop();
		throw error;
	}
	return { port, user, database: 'n8n', stop };
}

module.exports = { ensureServicePackages, startRedis, startPostgres };
