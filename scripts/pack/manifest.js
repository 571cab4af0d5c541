// @ts-check
'use strict';

/**
 * package.json against n8n's verification guidelines for community nodes
 * (https://docs.n8n.io/integrations/creating-nodes/build/reference/verification-guidelines/) and the
 * package.json rules of its lint and scanner: a name n8n finds, MIT, a public GitHub repository, an
 * author, a homepage, the community keyword, a complete `n8n` block, and nothing that runs or installs
 * at install time.
 */

const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare'];

/**
 * @param {Record<string, any>} manifest the published package.json
 * @param {string[]} files the paths in the tarball
 * @returns {string[]} what falls short, one sentence each (empty when all is well)
 */
function manifestProblems(manifest, files) {
	const problems = [];
	const expect = (/** @type {boolean} */ ok, /** @type {string} */ problem) => {
		if (!ok) problems.push(problem);
	};
	expect(
		/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/.test(manifest.name ?? ''),
		`name "${manifest.name}" is not n8n-nodes-<name> or @scope/n8n-nodes-<name>`,
	);
	expect(manifest.license === 'MIT', 'license is not MIT');
	expect(files.includes('LICENSE'), 'the tarball has no LICENSE file');
	const repository = manifest.repository ?? {};
	expect(
		/^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/.test(repository.url ?? ''),
		'repository.url is not an https URL of a GitHub repository (provenance and the scanner need one)',
	);
	expect(!repository.directory, 'repository.directory is set: n8n accepts no monorepo packages');
	expect(/^https:\/\//.test(manifest.homepage ?? ''), 'homepage is missing or not https');
	const author = manifest.author ?? {};
	expect(
		typeof author === 'object' && Boolean(author.name) && /@/.test(author.email ?? ''),
		'author needs a name and an email',
	);
	expect(
		(manifest.keywords ?? []).includes('n8n-community-node-package'),
		'keywords lack "n8n-community-node-package" (n8n searches npm by it)',
	);
	expect(Boolean(manifest.description), 'description is missing');
	problems.push(...n8nBlockProblems(manifest.n8n, files));
	expect(Object.keys(manifest.dependencies ?? {}).length === 0, 'package.json has dependencies');
	const peers = Object.keys(manifest.peerDependencies ?? {});
	expect(
		peers.length === 1 && peers[0] === 'n8n-workflow',
		`peerDependencies should be only n8n-workflow, not ${peers.join(', ') || 'none'}`,
	);
	expect(!manifest.overrides, 'package.json has an overrides field');
	const lifecycle = LIFECYCLE_SCRIPTS.filter((name) => manifest.scripts?.[name]);
	expect(lifecycle.length === 0, `install-time scripts: ${lifecycle.join(', ')}`);
	return problems;
}

/**
 * @param {Record<string, any> | undefined} block package.json's `n8n`
 * @param {string[]} files
 * @returns {string[]}
 */
function n8nBlockProblems(block, files) {
	if (!block) return ['package.json has no "n8n" block'];
	const problems = [];
	if (block.n8nNodesApiVersion !== 1) problems.push('n8n.n8nNodesApiVersion is not 1');
	if (block.strict !== true) problems.push('n8n.strict is not true (verified nodes are strict)');
	for (const key of ['nodes', 'credentials']) {
		const paths = block[key];
		if (!Array.isArray(paths) || paths.length === 0) {
			problems.push(`n8n.${key} is missing or empty`);
			continue;
		}
		for (const entry of paths) {
			if (!/^dist\//.test(entry)) problems.push(`n8n.${key}: "${entry}" must start with dist/`);
			else if (!files.includes(entry))
				problems.push(`n8n.${key}: "${entry}" is not in the tarball`);
		}
	}
	return problems;
}

module.exports = { manifestProblems };
