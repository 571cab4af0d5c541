// @ts-check
'use strict';

/**
 * What this project's two workflows must do, beyond being valid workflows:
 *   - ci.yml runs .ci/run (the same steps as the project's CI) on every push and pull request;
 *   - publish.yml runs on a version tag as `n8n-node release` makes them (the bare version, 0.2.0),
 *     with only `id-token: write` and `contents: read`, and lints, builds, checks the tarball and
 *     publishes with `npm publish --provenance` under RELEASE_MODE (what `n8n-node prerelease` wants).
 * Each takes the workflow as parsed YAML and returns what is wrong, one sentence each.
 */

/** @typedef {Record<string, any>} Workflow */

/** @param {Workflow} workflow @returns {Array<Record<string, any>>} every step of every job */
const stepsOf = (workflow) =>
	Object.values(workflow.jobs ?? {}).flatMap((job) => (Array.isArray(job.steps) ? job.steps : []));

/** @param {Workflow} workflow @returns {string[]} every `run:` script */
const scriptsOf = (workflow) =>
	stepsOf(workflow)
		.map((step) => step.run)
		.filter((run) => typeof run === 'string');

/** @param {Workflow} workflow @returns {Record<string, any>} the `on:` block as a mapping */
function triggers(workflow) {
	const on = workflow.on;
	if (typeof on === 'string') return { [on]: null };
	if (Array.isArray(on)) return Object.fromEntries(on.map((event) => [event, null]));
	return on ?? {};
}

/**
 * @param {Workflow} workflow ci.yml
 * @param {string} ciRun the text of .ci/run
 * @returns {string[]}
 */
function ciProblems(workflow, ciRun) {
	const problems = [];
	const on = triggers(workflow);
	if (!('push' in on)) problems.push('ci.yml does not run on push');
	if (!('pull_request' in on)) problems.push('ci.yml does not run on pull_request');
	if (on.push?.tags || on.push?.['tags-ignore'] || on.push?.paths) {
		problems.push('ci.yml limits its push trigger to tags or paths');
	}
	if (!scriptsOf(workflow).some((run) => /^\s*bash \.ci\/run\s*$/m.test(run))) {
		problems.push('ci.yml has no step that runs `bash .ci/run`');
	}
	if (!/^npm ci\b/m.test(ciRun) || !/^npm run test:all\s*$/m.test(ciRun)) {
		problems.push('.ci/run no longer runs `npm ci` then `npm run test:all`');
	}
	return problems;
}

/**
 * @param {Workflow} workflow publish.yml
 * @returns {string[]}
 */
function publishProblems(workflow) {
	const problems = [];
	const on = triggers(workflow);
	const tags = on.push?.tags ?? [];
	if (Object.keys(on).join() !== 'push' || on.push?.branches) {
		problems.push('publish.yml must run only on a pushed tag');
	}
	if (!tags.includes('*.*.*')) {
		problems.push("publish.yml's tags do not include '*.*.*' (n8n-node release tags 0.2.0)");
	}
	const jobs = Object.entries(workflow.jobs ?? {});
	const publishing = jobs.filter(([, job]) =>
		(job.steps ?? []).some((/** @type {any} */ step) => /\bnpm publish\b/.test(step.run ?? '')),
	);
	if (publishing.length !== 1)
		return [...problems, 'publish.yml needs exactly one job that publishes'];
	const [[id, job]] = publishing;
	const permissions = JSON.stringify(job.permissions ?? workflow.permissions);
	if (permissions !== JSON.stringify({ 'id-token': 'write', contents: 'read' })) {
		problems.push(`job ${id}: permissions must be exactly id-token: write, contents: read`);
	}
	problems.push(...publishStepProblems(id, job.steps));
	return problems;
}

/**
 * @param {string} id
 * @param {Array<Record<string, any>>} steps
 * @returns {string[]}
 */
function publishStepProblems(id, steps) {
	const problems = [];
	const at = (/** @type {RegExp} */ pattern) =>
		steps.findIndex((step) => pattern.test(step.run ?? ''));
	const publish = at(/\bnpm publish\b/);
	const step = steps[publish];
	if (!/\bnpm publish --provenance\b/.test(step.run)) {
		problems.push(`job ${id}: the publish step does not run \`npm publish --provenance\``);
	}
	if (step.env?.RELEASE_MODE !== 'true') {
		problems.push(
			`job ${id}: the publish step does not set RELEASE_MODE ('true'), so prepublishOnly fails`,
		);
	}
	const setupNode = steps.find((s) => /^actions\/setup-node@/.test(s.uses ?? ''));
	if (setupNode?.with?.['registry-url'] !== 'https://registry.npmjs.org') {
		problems.push(`job ${id}: actions/setup-node has no registry-url https://registry.npmjs.org`);
	}
	for (const [name, pattern] of /** @type {Array<[string, RegExp]>} */ ([
		['npm ci', /\bnpm ci\b/],
		['npm run lint', /\bnpm run lint\b/],
		['npm run build', /\bnpm run build\b/],
		['npm run test:pack', /\bnpm run test:pack\b/],
	])) {
		const index = at(pattern);
		if (index === -1 || index > publish)
			problems.push(`job ${id}: no \`${name}\` before publishing`);
	}
	return problems;
}

module.exports = { ciProblems, publishProblems };
