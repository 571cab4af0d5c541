import { manifestProblems } from '../../scripts/pack/manifest';
import manifest from '../../package.json';

const FILES = [
	'LICENSE',
	'README.md',
	'package.json',
	'dist/nodes/CstarBulk/CstarBulk.node.js',
	'dist/credentials/CstarApi.credentials.js',
];

const without = (key: string) =>
	Object.fromEntries(Object.entries(manifest).filter(([name]) => name !== key));

describe('manifestProblems (package.json against the verification guidelines)', () => {
	it('passes this package.json', () => {
		expect(manifestProblems(manifest, FILES)).toEqual([]);
	});

	it.each(['repository', 'homepage', 'author', 'keywords', 'n8n', 'license', 'description'])(
		'reports a missing %s',
		(key) => {
			expect(manifestProblems(without(key), FILES)).toHaveLength(1);
		},
	);

	it('reports a repository that is not on GitHub, or a monorepo folder', () => {
		const gitlab = { ...manifest, repository: { type: 'git', url: 'https://gitlab.com/a/b.git' } };
		const monorepo = { ...manifest, repository: { ...manifest.repository, directory: 'pkg' } };
		expect(manifestProblems(gitlab, FILES)).toEqual([expect.stringContaining('GitHub')]);
		expect(manifestProblems(monorepo, FILES)).toEqual([expect.stringContaining('monorepo')]);
	});

	it('reports an author without an email, and keywords without the community keyword', () => {
		const author = { ...manifest, author: { name: 'someone' } };
		const keywords = { ...manifest, keywords: ['cstar'] };
		expect(manifestProblems(author, FILES)).toEqual(['author needs a name and an email']);
		expect(manifestProblems(keywords, FILES)).toEqual([
			expect.stringContaining('n8n-community-node-package'),
		]);
	});

	it('reports n8n block paths that are not under dist/ or not in the tarball, and a non-strict block', () => {
		const n8n = {
			...manifest.n8n,
			strict: false,
			nodes: ['./dist/nodes/CstarBulk/CstarBulk.node.js'],
		};
		const problems = manifestProblems({ ...manifest, n8n }, FILES.slice(0, 3));
		expect(problems).toEqual([
			expect.stringContaining('n8n.strict'),
			expect.stringContaining('must start with dist/'),
			expect.stringContaining('is not in the tarball'),
		]);
	});

	it('reports dependencies, other peers, overrides and install-time scripts', () => {
		const bad = {
			...manifest,
			dependencies: { axios: '1' },
			peerDependencies: { 'n8n-workflow': '*', 'n8n-core': '*' },
			overrides: { axios: '1' },
			scripts: { ...manifest.scripts, postinstall: 'node x.js' },
		};
		expect(manifestProblems(bad, FILES)).toHaveLength(4);
	});
});
