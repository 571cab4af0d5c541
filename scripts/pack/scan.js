// @ts-check
'use strict';

/**
 * n8n's own community-package scanner (@n8n/scan-community-package), run offline. On the registry it
 * checks the npm provenance, then lints the attested source commit (`SOURCE_FILE_PATTERNS`) and the
 * published tarball. Here `analyzePackage` lints the same two things without the registry: this
 * checkout's source, and the unpacked tarball with the scanner's default patterns (every .js, .ts and
 * .json, which is stricter than its tarball leg). Provenance exists only once CI has published.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SCANNER = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');

/**
 * @typedef {object} ScanLeg
 * @property {string} name    what was linted
 * @property {boolean} passed
 * @property {string} [details] the scanner's ESLint report when it failed
 */

/**
 * @param {string} sourceDir the project (package.json, nodes/, credentials/)
 * @param {string} packageDir the unpacked tarball
 * @returns {Promise<ScanLeg[]>}
 */
async function scanWithN8nScanner(sourceDir, packageDir) {
	// The scanner makes a temp folder when it loads and never removes it: give it one we remove.
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-scan-'));
	const previousTmp = process.env.TMPDIR;
	process.env.TMPDIR = scratch;
	try {
		const scanner = await import(SCANNER);
		const source = await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS);
		const tarball = await scanner.analyzePackage(packageDir);
		return [
			leg(`source (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`, source),
			leg('tarball (every .js, .ts and .json)', tarball),
		];
	} finally {
		if (previousTmp === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = previousTmp;
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/**
 * @param {string} name
 * @param {{ passed: boolean, message?: string, details?: string }} result
 * @returns {ScanLeg}
 */
function leg(name, result) {
	return result.passed
		? { name, passed: true }
		: { name, passed: false, details: result.details || result.message || 'failed' };
}

/** @returns {string} the scanner's version, for the report */
function scannerVersion() {
	return require('@n8n/scan-community-package/package.json').version;
}

module.exports = { scanWithN8nScanner, scannerVersion };
