// @ts-check
'use strict';

/**
 * The workflows in examples/ are what users import from the n8n editor. The demo, `npm run dev`
 * and the e2e suite import the very same files, with only what a user would fill in replaced:
 * the credential, the Settings node (cStar URL and team id), and a Code node's sample data.
 */
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');

/** @typedef {{ id: string, name: string, type: string, parameters: Record<string, any>, credentials?: Record<string, { id: string, name: string }> }} WorkflowNode */
/** @typedef {{ id: string, name: string, nodes: WorkflowNode[], connections: Record<string, unknown>, [key: string]: unknown }} Workflow */

/**
 * @typedef {object} ExampleSettings
 * @property {{ id: string, name: string }} [credential]  replaces every node's cstarApi credential
 * @property {{ cstarUrl: string, teamId: string }} [settings]  the Settings node's values
 * @property {Record<string, string>} [code]  node name → JavaScript for that Code node
 */

/**
 * @param {string} file e.g. 'close-open-tickets.json'
 * @param {ExampleSettings} [fill]
 * @returns {Workflow}
 */
function loadExample(file, fill = {}) {
	return loadWorkflow(path.join(EXAMPLES_DIR, file), fill);
}

/**
 * Like loadExample, for a workflow file elsewhere (e.g. an example as an older release shipped it).
 * @param {string} file its path, relative to the project's root
 * @param {ExampleSettings} [fill]
 * @returns {Workflow}
 */
function loadWorkflow(file, fill = {}) {
	/** @type {Workflow} */
	const workflow = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', file), 'utf8'));
	for (const node of workflow.nodes) {
		if (fill.credential && node.credentials?.cstarApi) node.credentials.cstarApi = fill.credential;
		if (fill.settings && node.name === 'Settings') {
			for (const assignment of node.parameters.assignments.assignments) {
				if (assignment.name === 'cstarUrl') assignment.value = fill.settings.cstarUrl;
				if (assignment.name === 'teamId') assignment.value = fill.settings.teamId;
			}
		}
		if (fill.code && fill.code[node.name] !== undefined)
			node.parameters.jsCode = fill.code[node.name];
	}
	const missing = Object.keys(fill.code || {}).filter(
		(name) => !workflow.nodes.some((node) => node.name === name),
	);
	if (missing.length > 0) throw new Error(`${file} has no node named ${missing.join(', ')}`);
	return workflow;
}

/** @returns {string[]} the example files */
function exampleFiles() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort();
}

/**
 * JavaScript for a Code node that returns one item per entry of `rows`.
 * @param {Record<string, unknown>[]} rows
 */
function codeReturning(rows) {
	return `return ${JSON.stringify(rows.map((json) => ({ json })))};`;
}

module.exports = { EXAMPLES_DIR, loadExample, loadWorkflow, exampleFiles, codeReturning };
