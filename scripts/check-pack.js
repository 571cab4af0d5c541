// @ts-check
'use strict';

/**
 * `npm run test:pack`: packs the built package exactly as `npm publish` would, unpacks the tarball and
 * checks it the way n8n's verification does:
 *   1. its files: the node, the credential and both icons under dist/, README, LICENSE and
 *      package.json, and nothing else (no declaration files, no build info, no repo images);
 *   2. package.json against the verification guidelines (scripts/pack/manifest.js);
 *   3. n8n's own scanner rules on the source and on the unpacked tarball (scripts/pack/scan.js).
 * Run `npm run build` first.
 */
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { manifestProblems } = require('./pack/manifest');
const { scanWithN8nScanner, scannerVersion } = require('./pack/scan');

const root = path.resolve(__dirname, '..');
const REQUIRED = [
	'dist/nodes/CstarBulk/CstarBulk.node.js',
	'dist/nodes/CstarBulk/CstarBulk.node.json',
	'dist/credentials/CstarApi.credentials.js',
	'dist/icons/cstar.svg',
	'dist/icons/cstar.dark.svg',
	'README.md',
	'LICENSE',
	'package.json',
];
/** What may ship: compiled node and credential code (with source maps), the codex file, the icons. */
const ALLOWED =
	/^(dist\/(nodes|credentials)\/.+\.(js|js\.map|node\.json)|dist\/icons\/[\w.-]+\.svg|README\.md|LICENSE|package\.json)$/;

/**
 * @param {string} workDir
 * @returns {{ dir: string, files: string[], size: number }} the unpacked tarball
 */
function packAndUnpack(workDir) {
	const output = childProcess.execFileSync(
		'npm',
		['pack', '--json', '--pack-destination', workDir],
		{ cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const [info] = JSON.parse(output.slice(output.indexOf('[')));
	const dir = path.join(workDir, 'package');
	childProcess.execFileSync('tar', ['-xzf', path.join(workDir, info.filename), '-C', workDir]);
	return {
		dir,
		files: info.files.map((/** @type {{ path: string }} */ f) => f.path),
		size: info.size,
	};
}

/** @param {string[]} files */
function fileProblems(files) {
	return [
		...files.filter((file) => !ALLOWED.test(file)).map((file) => `unexpected file: ${file}`),
		...REQUIRED.filter((file) => !files.includes(file)).map((file) => `missing: ${file}`),
	];
}

async function main() {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-check-pack-'));
	try {
		const packed = packAndUnpack(workDir);
		const manifest = JSON.parse(fs.readFileSync(path.join(packed.dir, 'package.json'), 'utf8'));
		const legs = await scanWithN8nScanner(root, packed.dir);
		const sections = [
			{ name: 'files', problems: fileProblems(packed.files) },
			{ name: 'package.json', problems: manifestProblems(manifest, packed.files) },
			...legs.map((scanned) => ({
				name: `n8n scanner ${scannerVersion()}, ${scanned.name}`,
				problems: scanned.passed ? [] : [scanned.details ?? 'failed'],
			})),
		];
		for (const section of sections) {
			const verdict = section.problems.length === 0 ? 'ok' : 'FAILED';
			process.stdout.write(`npm pack check, ${section.name}: ${verdict}\n`);
			for (const problem of section.problems) process.stdout.write(`  ${problem}\n`);
		}
		const failed = sections.filter((section) => section.problems.length > 0).length;
		process.stdout.write(
			`npm pack check: ${packed.files.length} files, ${packed.size} bytes; ` +
				`${sections.length - failed} passed, ${failed} failed\n`,
		);
		process.exitCode = failed > 0 ? 1 : 0;
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`npm pack check failed: ${error instanceof Error ? error.stack : error}\n`);
	process.exit(1);
});
