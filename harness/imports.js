// @ts-check
'use strict';

/** Importing credentials and workflows into a user folder with n8n's `import:*` commands. */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { n8nCli } = require('./cli');
const { N8N_VERSION } = require('./runtime');

/**
 * Writes `data` to a file in the user folder, runs `fn` with its path, then deletes the file (import
 * files hold plain credentials).
 * @template T
 * @param {string} userFolder
 * @param {string} prefix
 * @param {unknown} data
 * @param {(file: string) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withJsonFile(userFolder, prefix, data, fn) {
	const file = path.join(userFolder, `${prefix}-${crypto.randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(data));
	try {
		return await fn(file);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/**
 * Runs `n8n import:<kind> --input=<file of data>` and throws when n8n reports a failure.
 * @param {string} userFolder
 * @param {'credentials' | 'workflow'} kind
 * @param {unknown} data
 * @returns {Promise<{ log: string }>}
 */
async function importJson(userFolder, kind, data) {
	const result = await withJsonFile(userFolder, kind, data, (file) =>
		n8nCli(userFolder, [`import:${kind}`, `--input=${file}`]),
	);
	if (result.exitCode !== 0) {
		throw new Error(`n8n import:${kind} failed (exit ${result.exitCode}):\n${result.log}`);
	}
	return { log: result.log };
}

/**
 * @typedef {object} CredentialImport
 * @property {string} id    referenced from a workflow node as `credentials.<type>.id`
 * @property {string} name
 * @property {string} type  for example `cstarApi`
 * @property {Record<string, unknown>} data plain (unencrypted) fields; n8n encrypts them on import
 */

/**
 * Imports credentials with `n8n import:credentials --input=<file>`. Throws when n8n reports a failure.
 * @param {string} userFolder
 * @param {CredentialImport[]} creds
 * @returns {Promise<{ log: string }>}
 */
async function importCredentials(userFolder, creds) {
	return importJson(userFolder, 'credentials', creds);
}

/**
 * Imports one workflow (or an array of them) with `n8n import:workflow --input=<file>`. Each needs an
 * `id` of at most 21 characters, which executeAndParseRun then takes. `active: false` is added when
 * missing (n8n requires the field).
 * @param {string} userFolder
 * @param {Record<string, unknown> | Record<string, unknown>[]} workflowJson
 * @returns {Promise<{ log: string }>}
 */
async function importWorkflow(userFolder, workflowJson) {
	const workflows = Array.isArray(workflowJson) ? workflowJson : [workflowJson];
	const prepared = workflows.map((workflow) => {
		const id = workflow.id;
		if (typeof id !== 'string' || id.length === 0 || id.length > 21) {
			throw new Error(
				`a workflow to import needs a string id of 1 to 21 characters, got ${JSON.stringify(id)}`,
			);
		}
		return { active: false, settings: {}, ...workflow };
	});
	return importJson(userFolder, 'workflow', prepared);
}

/**
 * Makes an imported workflow active, so a server started afterwards serves its production webhooks:
 * `n8n publish:workflow` on 2.x (where being active means having a published version), `n8n
 * update:workflow --active=true` on 1.x. Throws when n8n reports a failure.
 * @param {string} userFolder
 * @param {string} id
 */
async function activateWorkflow(userFolder, id) {
	const args = N8N_VERSION.startsWith('1.')
		? ['update:workflow', `--id=${id}`, '--active=true']
		: ['publish:workflow', `--id=${id}`];
	const result = await n8nCli(userFolder, args);
	if (result.exitCode !== 0) {
		throw new Error(`n8n ${args[0]} failed (exit ${result.exitCode}):\n${result.log}`);
	}
}

module.exports = { importCredentials, importWorkflow, activateWorkflow };
