// @ts-check
'use strict';

/** This package as users get it: built, packed with `npm pack`, installed into a user folder. */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { quiet } = require('./log');
const { PROJECT_ROOT, runCaptured } = require('./process');

/** Set by the e2e suite's global setup so every test file reuses one build of the package. */
const TARBALL_ENV = 'CSTAR_E2E_TARBALL';

/** @typedef {import('./log').Logger} Logger */

/**
 * @typedef {object} PackedPackage
 * @property {string} tarball  absolute path of the `.tgz` produced by `npm pack`
 * @property {string} name     package name (`n8n-nodes-cstar`)
 * @property {string} version
 * @property {string} sha256   of the tarball; names the cached user-folder template
 * @property {string[]} files  the paths inside the tarball, as `npm pack --json` lists them
 */

/** @param {string} file */
function sha256File(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Builds the package (`npm run build`) and packs it with `npm pack` into a fresh temp folder, so the
 * tarball is exactly what `npm publish` would upload. When the environment variable CSTAR_E2E_TARBALL
 * names an existing tarball (the e2e global setup sets it), that one is reused instead of building again.
 * @param {{ log?: Logger, rebuild?: boolean }} [options] `rebuild` ignores CSTAR_E2E_TARBALL
 * @returns {Promise<PackedPackage>}
 */
async function packPackage(options = {}) {
	const log = options.log || quiet;
	const reused = process.env[TARBALL_ENV];
	if (!options.rebuild && reused && fs.existsSync(reused) && fs.existsSync(`${reused}.json`)) {
		return JSON.parse(fs.readFileSync(`${reused}.json`, 'utf8'));
	}
	const env = { ...process.env };
	log('building the package (npm run build)');
	await runCaptured('npm', ['run', 'build'], { cwd: PROJECT_ROOT, env });
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-pack-'));
	log('packing it (npm pack)');
	const { stdout } = await runCaptured(
		'npm',
		['pack', '--json', '--pack-destination', destination],
		{ cwd: PROJECT_ROOT, env },
	);
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const tarball = path.join(destination, info.filename);
	/** @type {PackedPackage} */
	const packed = {
		tarball,
		name: info.name,
		version: info.version,
		sha256: sha256File(tarball),
		files: info.files.map((/** @type {{ path: string }} */ f) => f.path),
	};
	fs.writeFileSync(`${tarball}.json`, JSON.stringify(packed, null, 2));
	log(`packed ${info.filename} (${info.files.length} files, ${info.size} bytes)`);
	return packed;
}

/**
 * Installs a packed package into `<userFolder>/.n8n/nodes` the way users install community packages
 * (`npm init -y` there, then `npm install <tarball> --ignore-scripts`), so n8n loads its node as
 * `n8n-nodes-cstar.cstarBulk`. Peer dependencies are not installed (`--legacy-peer-deps`), like n8n's
 * own installer, which strips `peerDependencies` before `npm install --ignore-scripts`
 * (n8n/dist/modules/community-packages/community-packages.service.js, downloadPackage): n8n provides
 * n8n-workflow itself.
 * @param {string} userFolder an N8N_USER_FOLDER
 * @param {PackedPackage} packed from {@link packPackage}
 * @returns {Promise<void>}
 */
async function installPackage(userFolder, packed) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const env = { ...process.env };
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		await runCaptured('npm', ['init', '-y'], { cwd: nodesDir, env });
	}
	const flags = ['--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'];
	await runCaptured('npm', ['install', packed.tarball, ...flags, '--loglevel=error'], {
		cwd: nodesDir,
		env,
	});
	const installed = path.join(nodesDir, 'node_modules', packed.name, 'package.json');
	if (!fs.existsSync(installed)) throw new Error(`npm install did not create ${installed}`);
}

/**
 * Builds and packs the package ({@link packPackage}) and, when `userFolder` is given, installs the
 * tarball into `<userFolder>/.n8n/nodes` ({@link installPackage}).
 * @param {string} [userFolder]
 * @param {{ log?: Logger, rebuild?: boolean }} [options]
 * @returns {Promise<PackedPackage>}
 */
async function preparePackage(userFolder, options = {}) {
	const packed = await packPackage(options);
	if (userFolder) await installPackage(userFolder, packed);
	return packed;
}

module.exports = { TARBALL_ENV, packPackage, installPackage, preparePackage };
