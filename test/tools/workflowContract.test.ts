import { ciProblems, publishProblems } from '../../scripts/workflows/contract';

const CI_RUN = 'set -e\nnpm ci --no-audit --no-fund\nnpm run test:all\n';
const ci = () => ({
	on: { push: { branches: ['**'] }, pull_request: null },
	jobs: { test: { steps: [{ uses: 'actions/checkout@v4' }, { run: 'bash .ci/run' }] } },
});

const publish = () => ({
	on: { push: { tags: ['*.*.*'] } },
	permissions: {},
	jobs: {
		publish: {
			permissions: { 'id-token': 'write', contents: 'read' },
			steps: [
				{ uses: 'actions/checkout@v4' },
				{ uses: 'actions/setup-node@v4', with: { 'registry-url': 'https://registry.npmjs.org' } },
				{ run: 'npm ci --no-audit' },
				{ run: 'npm run lint' },
				{ run: 'npm run build' },
				{ run: 'npm run test:pack' },
				{ run: 'npm publish --provenance', env: { RELEASE_MODE: 'true' } },
			],
		},
	},
});

describe('ciProblems', () => {
	it('passes a workflow that runs .ci/run on push and pull request', () => {
		expect(ciProblems(ci(), CI_RUN)).toEqual([]);
	});

	it('reports a missing trigger, a tags-only push and no .ci/run step', () => {
		const workflow = { ...ci(), on: { push: { tags: ['*'] } }, jobs: { test: { steps: [] } } };
		expect(ciProblems(workflow, CI_RUN)).toEqual([
			'ci.yml does not run on pull_request',
			'ci.yml limits its push trigger to tags or paths',
			'ci.yml has no step that runs `bash .ci/run`',
		]);
	});

	it('reports a .ci/run that no longer runs the README test command', () => {
		expect(ciProblems(ci(), 'npm ci\nnpm test\n')).toEqual([expect.stringContaining('.ci/run')]);
	});
});

describe('publishProblems', () => {
	it('passes a tag-triggered provenance publish', () => {
		expect(publishProblems(publish())).toEqual([]);
	});

	it('reports a branch trigger and a v-prefixed tag', () => {
		const workflow = { ...publish(), on: { push: { branches: ['main'], tags: ['v*'] } } };
		expect(publishProblems(workflow)).toEqual([
			'publish.yml must run only on a pushed tag',
			expect.stringContaining("'*.*.*'"),
		]);
	});

	it('reports permissions wider than id-token: write and contents: read', () => {
		const workflow = publish();
		workflow.jobs.publish.permissions = { 'id-token': 'write', contents: 'write' };
		expect(publishProblems(workflow)).toEqual([expect.stringContaining('permissions')]);
	});

	it('reports a publish without provenance or RELEASE_MODE, and steps missing before it', () => {
		const workflow = publish();
		const steps = workflow.jobs.publish.steps;
		steps.splice(3, 3, { run: 'npm publish' }, { run: 'npm run lint' });
		expect(publishProblems(workflow)).toEqual([
			expect.stringContaining('--provenance'),
			expect.stringContaining('RELEASE_MODE'),
			'job publish: no `npm run lint` before publishing',
			'job publish: no `npm run build` before publishing',
			'job publish: no `npm run test:pack` before publishing',
		]);
	});
});
