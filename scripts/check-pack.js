// @ts-check
'use strict';

/**
 * Checks what `npm publish` would upload: only dist/, README.md, LICENSE and package.json, with the
 * node, the credential and both icons inside, and no runtime dependencies.
 */
const childProcess = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [pack] = JSON.parse(
	childProcess.execFileSync('npm', ['pack', '--dry-run', '--json'], {
		cwd: root,
		encoding: 'utf8',
	}),
);
/** @type {string[]} */
const files = pack.files.map((/** @type {{ path: string }} */ file) => file.path);
const allowed = (/** @type {string} */ file) =>
	file.startsWith('dist/') || ['README.md', 'LICENSE', 'package.json'].includes(file);
const required = [
	'dist/nodes/CstarBulk/CstarBulk.node.js',
	'dist/nodes/CstarBulk/CstarBulk.node.json',
	'dist/credentials/CstarApi.credentials.js',
	'dist/icons/cstar.svg',
	'dist/icons/cstar.dark.svg',
	'README.md',
	'LICENSE',
	'package.json',
];
const problems = [
	...files
		.filter((file) => !allowed(file))
		.map((file) => `unexpected file in the package: ${file}`),
	...required
		.filter((file) => !files.includes(file))
		.map((file) => `missing from the package: ${file}`),
];
const manifest = require(path.join(root, 'package.json'));
if (Object.keys(manifest.dependencies ?? {}).length > 0)
	problems.push('package.json has runtime dependencies');

if (problems.length > 0) {
	process.stderr.write(`npm pack check failed:\n  ${problems.join('\n  ')}\n`);
	process.exit(1);
}
process.stdout.write(
	`npm pack check: ${files.length} files, ${pack.size} bytes, only dist/, README.md, LICENSE and package.json\n`,
);
