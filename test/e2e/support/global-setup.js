// @ts-check
'use strict';

/**
 * Jest global setup of the e2e suite (jest.e2e.config.js): makes sure the n8n runtime is prepared
 * (instant when it already is), then builds and packs the package once for the whole run and hands
 * the tarball to every test file through the CSTAR_E2E_TARBALL environment variable.
 */

const {
	getRuntime,
	prepareRuntime,
	packPackage,
	TARBALL_ENV,
	stderrLog,
} = require('../../../harness');

/** @returns {Promise<void>} */
module.exports = async function globalSetup() {
	// `npm run test:e2e` has prepared it already; a bare `jest -c jest.e2e.config.js` may not have.
	if (!getRuntime()) await prepareRuntime();
	const started = Date.now();
	const packed = await packPackage({ log: stderrLog, rebuild: true });
	process.env[TARBALL_ENV] = packed.tarball;
	stderrLog(
		`package ${packed.name}@${packed.version} built and packed in ${Date.now() - started} ms`,
	);
};
