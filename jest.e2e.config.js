/**
 * End-to-end tests through a real n8n (the harness in harness/).
 * Run with `npm run test:e2e`; tests run one at a time, since each starts n8n processes.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: { warnOnly: false } }],
	},
	globalSetup: '<rootDir>/test/e2e/support/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/support/global-teardown.js',
	maxWorkers: 1,
	testTimeout: 15 * 60 * 1000,
	slowTestThreshold: 120,
	verbose: true,
};
