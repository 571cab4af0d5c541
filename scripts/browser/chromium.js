// @ts-check
'use strict';

/**
 * Headless Chromium for the browser suite and `npm run screenshots`, driven by puppeteer-core: never a
 * browser download. It uses the browser named by CHROMIUM_PATH, else one on PATH (Debian's chromium,
 * or Chrome as GitHub's Ubuntu runners have it), else installs Debian's `chromium` with apt-get (as
 * root, or through sudo).
 */
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** @param {string} name @returns {string | undefined} */
function onPath(name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const file = path.join(dir, name);
		if (dir && fs.existsSync(file)) return file;
	}
	return undefined;
}

/** @returns {string | undefined} */
function findChromium() {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	for (const name of CANDIDATES) {
		const found = onPath(name);
		if (found) return found;
	}
	return undefined;
}

/** @param {(line: string) => void} log @returns {string} the installed browser */
function installChromium(log) {
	const root = process.getuid?.() === 0;
	const sudo = root ? [] : ['sudo', '-n'];
	const run = (/** @type {string[]} */ args) => {
		const [command, ...rest] = [...sudo, ...args];
		childProcess.execFileSync(command, rest, {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
	};
	log("installing Debian's chromium with apt-get (once per machine)");
	run(['apt-get', 'update', '-qq']);
	run([
		'apt-get',
		'install',
		'-y',
		'-qq',
		'--no-install-recommends',
		'chromium',
		'fonts-liberation',
	]);
	const found = findChromium();
	if (!found) throw new Error('apt-get installed chromium, but no chromium is on PATH');
	return found;
}

/**
 * @param {{ log?: (line: string) => void, width?: number, height?: number }} [options]
 * @returns {Promise<import('puppeteer-core').Browser>}
 */
async function launchChromium(options = {}) {
	const log = options.log ?? (() => undefined);
	const executablePath = findChromium() ?? installChromium(log);
	const puppeteer = require('puppeteer-core');
	const args = [
		`--window-size=${options.width ?? 1440},${options.height ?? 900}`,
		'--disable-dev-shm-usage',
		'--lang=en-US',
	];
	// Chromium's sandbox refuses to run as root, which CI is.
	if (process.getuid?.() === 0) args.push('--no-sandbox');
	return puppeteer.launch({
		executablePath,
		headless: true,
		args,
		defaultViewport: { width: options.width ?? 1440, height: options.height ?? 900 },
	});
}

module.exports = { launchChromium, findChromium };
