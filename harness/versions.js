// @ts-check
'use strict';

/**
 * What n8n 1.x shows users differently from 2.x, each difference named once. The e2e suites found
 * them on 1.123.81 and n8n's own source (in the runtime folder's node_modules) says why; a test that
 * meets one asserts the 1.x behaviour through this file, with a comment. The runtime's version
 * (`CSTAR_N8N_VERSION`, harness/runtime.js) decides which behaviour applies.
 *
 * Differences in how the harness drives n8n (not seen by users) are handled where they arise:
 * server.js waits for `GET /rest/settings` (1.x's readiness check does not wait for the REST routes),
 * cli.js takes the printed run when `n8n execute` ends by a signal.
 */

const { N8N_VERSION } = require('./runtime');

/** @param {string} version @returns {boolean} whether it is n8n 1.x */
const isN8n1 = (version) => version.startsWith('1.');

/**
 * @param {string} version
 * @returns {boolean} whether it is n8n 1.12x, where 1.123.81 showed two differences 1.85.4 does not
 *   (checked on 2026-12-02; the versions in between are untested)
 */
const isN8n112x = (version) => /^1\.12\d\./.test(version);

/**
 * What the editor's credential test says on n8n 1.12x (1.123.81; 1.85.4 applies our rules) when the request fails, by HTTP status or
 * connection error code. n8n-workflow 1.x's ExecutionBaseError declares `cause` as a class field,
 * which resets the Error cause NodeApiError hands to it (errors/abstract/execution-base.error.js), so
 * the credential tester (credentials-tester.service.js) never sees the failed response: the
 * credential's responseCode rules (credentials/CstarApi.credentials.ts) never apply, and the answer
 * is NodeApiError's own message for the status (errors/node-api.error.js STATUS_CODE_MESSAGES) or for
 * the connection error. n8n 2.x forwards the cause, so our rules, the status text or the error code
 * apply. The responseSuccessBody rule (a publishable key answered 200) works on both.
 * @type {Record<string, string>}
 */
const CREDENTIAL_TEST_MESSAGES_1X = {
	401: 'Authorization failed - please check your credentials',
	403: 'Forbidden - perhaps check your credentials?',
	404: 'The resource you are requesting could not be found',
	429: 'The service is receiving too many requests from you',
	500: 'The service was not able to process your request',
	ECONNREFUSED: 'The service refused the connection - perhaps it is offline',
};

/**
 * Whether the credential test applies the responseCode rules: 2.x and 1.85.4 do, 1.12x does not.
 * @param {string} version
 */
const credentialTestRulesApply = (version) => !isN8n112x(version);

/**
 * @param {string} version
 * @returns {(failure: number | string, message: string) => string} the credential test's message for
 *   a failed request (`failure`: its HTTP status or error code), where 2.x says `message`
 */
const credentialTestMessageOn = (version) => (failure, message) => {
	if (credentialTestRulesApply(version)) return message;
	const shown = CREDENTIAL_TEST_MESSAGES_1X[String(failure)];
	if (!shown) throw new Error(`no n8n 1.x credential test message is known for ${failure}`);
	return shown;
};

/**
 * @typedef {object} VersionDifferences
 * @property {string} n8nVersion the runtime's n8n version
 * @property {boolean} n8n1 whether it is n8n 1.x
 * @property {boolean} credentialTestRules whether the credential test applies our responseCode rules
 * @property {(failure: number | string, message: string) => string} credentialTestMessage
 *   what the credential test answers for a failed request; see CREDENTIAL_TEST_MESSAGES_1X
 * @property {boolean} errorOutputTakesDetails whether "On Error: Continue (using error output)" moves
 *   the node's `{ error, message, details }` items (the ids a fatal error kept from cStar) to n8n's
 *   Error output, merged over their input items. n8n 2.x's handleNodeErrorOutput takes an item whose
 *   json has only those keys; 1.x's (n8n-core workflow-execute.js) only `{ error }` or
 *   `{ error, message }`, so on 1.x the items stay on the node's Failed output as the node made them
 *   and the Error output is empty.
 * @property {boolean} pairedItemExpressions whether `$('<node>').item` in an expression gives the
 *   paired item. n8n 1.123.81's default expression engine, `vm` (@n8n/expression-runtime 0.14 on
 *   isolated-vm), gives null for it, from any node, even the one right before; the `legacy` engine
 *   (N8N_EXPRESSION_ENGINE=legacy) and 2.x's `vm` give the item. Through it, the delete-customers
 *   example's "Not deleted" shows no "requestedBecause" on 1.123.81.
 */

/**
 * @param {string} version
 * @returns {VersionDifferences}
 */
function differencesFor(version) {
	const n8n1 = isN8n1(version);
	return {
		n8nVersion: version,
		n8n1,
		credentialTestRules: credentialTestRulesApply(version),
		credentialTestMessage: credentialTestMessageOn(version),
		errorOutputTakesDetails: !n8n1,
		pairedItemExpressions: !isN8n112x(version),
	};
}

/** The differences of this process's runtime (harness/runtime.js N8N_VERSION). */
const versionDifferences = differencesFor(N8N_VERSION);

module.exports = { versionDifferences, differencesFor, CREDENTIAL_TEST_MESSAGES_1X };
