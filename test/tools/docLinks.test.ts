import { anchors, linkProblems, projectLinkProblems, slug } from '../../scripts/check-links';

const reader =
	(files: Record<string, string>) =>
	(relativePath: string): string | undefined =>
		files[relativePath];

describe('relative links in README.md and docs/', () => {
	it('all reach a file, and a heading where they name one', () => {
		expect(projectLinkProblems()).toEqual([]);
	});
});

describe('linkProblems', () => {
	const files = {
		'README.md': [
			'# Title',
			'## Try it: the local emulator',
			'[ok](docs/a.md#the-codes) [ok too](#try-it-the-local-emulator) ![chart](bench/c.svg)',
			'[gone](docs/moved.md) [old anchor](#retries-rate-limits-and-idempotency) [web](https://x.y/z#q)',
			'```sh',
			'# not a heading',
			'```',
			'`[in code](nowhere.md)`',
		].join('\n'),
		'docs/a.md':
			'# A\n\n## The codes\n\n[back](../README.md#title) [wrong](../README.md#not-a-heading)',
		'bench/c.svg': '',
	};

	it('reports a missing file and an anchor no heading gives, and nothing else', () => {
		expect(linkProblems(['README.md', 'docs/a.md'], reader(files))).toEqual([
			'README.md: docs/moved.md (no such file)',
			'README.md: #retries-rate-limits-and-idempotency (no heading with that anchor in README.md)',
			'docs/a.md: ../README.md#not-a-heading (no heading with that anchor in README.md)',
		]);
	});

	it('reports a checked file that is missing', () => {
		expect(linkProblems(['docs/gone.md'], reader(files))).toEqual([
			'docs/gone.md: the file itself is missing',
		]);
	});
});

describe('anchors (as GitHub makes them)', () => {
	it('drops punctuation and code marks, keeps hyphens, numbers repeats', () => {
		expect(slug('Retries, rate limits and idempotency')).toBe(
			'retries-rate-limits-and-idempotency',
		);
		expect(slug('`npm run bench`')).toBe('npm-run-bench');
		expect(slug('What n8n 1.x shows: a test')).toBe('what-n8n-1x-shows-a-test');
		expect([...anchors('# Same\n## Same\n### Same')]).toEqual(['same', 'same-1', 'same-2']);
	});
});
