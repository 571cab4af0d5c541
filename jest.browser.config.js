/**
 * The browser suite: the real n8n editor in headless Chromium (scripts/browser/). Run with
 * `npm run test:browser`; one file at a time, since each starts n8n and a browser.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['<rootDir>/test/browser/**/*.browser.test.js'],
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	verbose: true,
};
