// @ts-check
'use strict';

/**
 * The harness that drives a real n8n with this package installed the way users install community
 * packages; used by the e2e suite, the demo, `npm run dev` and the bench. Each file is one concern:
 * runtime.js (installs n8n on its own Node 24), env.js (the headless environment), package.js
 * (build, pack, install), user-folder.js, imports.js, cli.js (`n8n execute` and other commands),
 * run-data.js (reading a run), server.js (`n8n start` with a logged-in owner), n8n-log.js,
 * versions.js (what n8n 1.x shows differently from 2.x).
 *
 * Typical use:
 *   const userFolder = await createUserFolder();           // package installed, database migrated
 *   await importCredentials(userFolder, [{ id, name, type: 'cstarApi', data: { apiKey, baseUrl } }]);
 *   await importWorkflow(userFolder, workflowJson);        // workflowJson.id ≤ 21 characters
 *   const { run, log } = await executeAndParseRun(userFolder, workflowJson.id);
 *   const [succeeded, failed] = nodeOutputs(run, 'Cstar Bulk');
 *   removeUserFolder(userFolder);
 *
 * Code that may not touch the OS (TypeScript tests under n8n's lint) imports this; everything that
 * spawns processes or writes files lives here, in CommonJS with JSDoc types.
 */

const { executeAndParseRun, n8nCli, parseRawOutput, runN8n } = require('./cli');
const { n8nEnv, spawnN8n, withBrokerPort } = require('./env');
const { requestJson } = require('./http');
const { activateWorkflow, importCredentials, importWorkflow } = require('./imports');
const { quiet, stderrLog, stderrLogger } = require('./log');
const { n8nLog } = require('./n8n-log');
const { installPackage, packPackage, preparePackage, TARBALL_ENV } = require('./package');
const { freePort } = require('./ports');
const { nodeError, nodeHints, nodeOutputs, runError } = require('./run-data');
const runtime = require('./runtime');
const { startN8nServer } = require('./server');
const { createUserFolder, removeUserFolder } = require('./user-folder');
const { versionDifferences } = require('./versions');

/** @typedef {import('./cli').ExecuteResult} ExecuteResult */
/** @typedef {import('./imports').CredentialImport} CredentialImport */
/** @typedef {import('./package').PackedPackage} PackedPackage */
/** @typedef {import('./run-data').OutputItem} OutputItem */
/** @typedef {import('./runtime').Runtime} Runtime */
/** @typedef {import('./server').N8nServer} N8nServer */
/** @typedef {import('./versions').VersionDifferences} VersionDifferences */

module.exports = {
	...runtime,
	n8nEnv,
	withBrokerPort,
	spawnN8n,
	freePort,
	TARBALL_ENV,
	packPackage,
	installPackage,
	preparePackage,
	createUserFolder,
	removeUserFolder,
	importCredentials,
	importWorkflow,
	activateWorkflow,
	runN8n,
	n8nCli,
	n8nLog,
	executeAndParseRun,
	parseRawOutput,
	nodeHints,
	nodeOutputs,
	nodeError,
	runError,
	startN8nServer,
	versionDifferences,
	requestJson,
	quiet,
	stderrLog,
	stderrLogger,
};
