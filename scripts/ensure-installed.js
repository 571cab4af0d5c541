// @ts-check
'use strict';

/**
 * First step of the README's two commands on a fresh clone: installs the dev dependencies with
 * `npm ci` when they are missing or older than package-lock.json, and does nothing otherwise.
 */
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const installedLock = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');

const stale =
	!fs.existsSync(installedLock) || fs.statSync(installedLock).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
	process.stdout.write('Installing dev dependencies (npm ci)…\n');
	childProcess.execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
		cwd: root,
		stdio: 'inherit',
	});
}
