// @ts-check
'use strict';

/**
 * Jest global teardown of the e2e suite: removes the temp folder that holds the tarball packed by
 * the global setup (the user folders are removed by the tests themselves).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { TARBALL_ENV } = require('../../../harness/package');

/** @returns {Promise<void>} */
module.exports = async function globalTeardown() {
	const tarball = process.env[TARBALL_ENV];
	if (!tarball) return;
	const folder = path.dirname(tarball);
	if (path.dirname(folder) === os.tmpdir() && path.basename(folder).startsWith('n8n-cstar-pack-')) {
		fs.rmSync(folder, { recursive: true, force: true });
	}
};
