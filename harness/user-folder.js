// @ts-check
'use strict';

/**
 * N8N_USER_FOLDERs for tests and tools: a temp folder with the package installed and n8n's database
 * migrated, copied from a cached template per package build.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { runN8n } = require('./cli');
const { quiet } = require('./log');
const { forgetLog } = require('./n8n-log');
const { installPackage, packPackage } = require('./package');
const { PROJECT_ROOT } = require('./process');
const { requireRuntime } = require('./runtime');

/** Where reusable, git-ignored e2e artefacts are kept (user-folder templates). */
const CACHE_DIR = path.join(PROJECT_ROOT, '.tmp', 'e2e');
const USER_FOLDER_PREFIX = 'n8n-cstar-user-';

/** @typedef {import('./log').Logger} Logger */
/** @typedef {import('./package').PackedPackage} PackedPackage */

/** Templates of older builds are of no further use, once no run can still be copying them. */
function removeOldTemplates(/** @type {string} */ keep) {
	for (const entry of fs.readdirSync(CACHE_DIR)) {
		const old = path.join(CACHE_DIR, entry);
		if (entry !== keep && Date.now() - fs.statSync(old).mtimeMs > 60 * 60 * 1000) {
			fs.rmSync(old, { recursive: true, force: true });
		}
	}
}

/**
 * Installs the package into `building` and runs every migration (the first command on a new folder
 * does), then renames it to `template`; another process may have made the same template meanwhile.
 * @param {string} building
 * @param {string} template
 * @param {PackedPackage} packed
 */
async function buildTemplate(building, template, packed) {
	await installPackage(building, packed);
	const result = await runN8n(building, ['list:workflow']);
	if (result.exitCode !== 0) {
		throw new Error(
			`n8n list:workflow failed on a new user folder (exit ${result.exitCode}):\n${result.log}`,
		);
	}
	fs.writeFileSync(path.join(building, '.complete'), `${new Date().toISOString()}\n`);
	try {
		fs.renameSync(building, template);
	} catch (error) {
		// Another process made the same template meanwhile; use theirs.
		if (!fs.existsSync(path.join(template, '.complete'))) throw error;
		fs.rmSync(building, { recursive: true, force: true });
	}
}

/**
 * Makes the cached template for a package build: a user folder with the package installed and n8n's
 * database created and migrated. It is built in a temp name and renamed into place, so concurrent
 * runs never see a half-made template.
 * @param {PackedPackage} packed
 * @param {Logger} log
 * @returns {Promise<string>} the template folder
 */
async function templateFor(packed, log) {
	const runtime = requireRuntime();
	const key = `n8n-${runtime.n8nVersion}-node-${runtime.nodeVersion}-pkg-${packed.sha256.slice(0, 16)}`;
	const template = path.join(CACHE_DIR, key);
	if (fs.existsSync(path.join(template, '.complete'))) return template;

	fs.mkdirSync(CACHE_DIR, { recursive: true });
	removeOldTemplates(key);
	const building = fs.mkdtempSync(path.join(CACHE_DIR, 'building-'));
	try {
		log(`making a user-folder template (package install and database migrations): ${key}`);
		await buildTemplate(building, template, packed);
	} catch (error) {
		fs.rmSync(building, { recursive: true, force: true });
		throw error;
	}
	return template;
}

/**
 * Creates a fresh temp N8N_USER_FOLDER with the package installed in `.n8n/nodes` and n8n's database
 * already migrated. The first call for a package build makes a template (in `.tmp/e2e/`, git-ignored)
 * and every call copies it, which saves the migrations and the npm install on each test. Each copy
 * shares the template's encryption key, which is harmless for tests.
 * @param {{ log?: Logger, packed?: PackedPackage }} [options] `packed` skips packPackage
 * @returns {Promise<string>} the folder; remove it with {@link removeUserFolder}
 */
async function createUserFolder(options = {}) {
	const log = options.log || quiet;
	const packed = options.packed || (await packPackage({ log }));
	const template = await templateFor(packed, log);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), USER_FOLDER_PREFIX));
	fs.cpSync(template, userFolder, { recursive: true });
	fs.rmSync(path.join(userFolder, '.complete'), { force: true });
	return userFolder;
}

/**
 * Deletes a user folder made by {@link createUserFolder}, and forgets its n8n log.
 * @param {string} userFolder
 */
function removeUserFolder(userFolder) {
	if (!path.basename(userFolder).startsWith(USER_FOLDER_PREFIX)) {
		throw new Error(`refusing to remove ${userFolder}: not a folder made by createUserFolder`);
	}
	fs.rmSync(userFolder, { recursive: true, force: true });
	forgetLog(userFolder);
}

module.exports = { createUserFolder, removeUserFolder };
