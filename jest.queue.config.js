/**
 * The queue-mode suite (test/queue): n8n main + two workers on Redis and Postgres, started by the
 * suite itself (test/queue/support/cluster.js). Run with `npm run test:queue`.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.e2e.config.js'),
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.e2e.test.ts'],
};
