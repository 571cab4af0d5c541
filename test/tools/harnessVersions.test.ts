/**
 * The harness's handling of n8n 1.x that needs no n8n: which behaviour each version is asserted with
 * (harness/versions.js), and the exit code of an `n8n execute` that printed its run and then ended by
 * a signal (harness/cli.js). The e2e suites check both against the real n8n.
 */
import { exitCodeOfRun } from '../../harness/cli';
import { CREDENTIAL_TEST_MESSAGES_1X, differencesFor } from '../../harness/versions';

describe('versionDifferences', () => {
	it('asserts 2.x with our own messages, the Error output taking details and paired items', () => {
		const v2 = differencesFor('2.40.7');
		expect(v2.n8n1).toBe(false);
		expect(v2.credentialTestMessage(401, 'ours')).toBe('ours');
		expect(v2.credentialTestMessage('ECONNREFUSED', 'ECONNREFUSED')).toBe('ECONNREFUSED');
		expect(v2.errorOutputTakesDetails).toBe(true);
		expect(v2.pairedItemExpressions).toBe(true);
	});

	it('asserts 1.123.81 with n8n’s own credential test messages and its two other differences', () => {
		const v1 = differencesFor('1.123.81');
		expect(v1.n8n1).toBe(true);
		expect(v1.credentialTestMessage(401, 'ours')).toBe(CREDENTIAL_TEST_MESSAGES_1X[401]);
		expect(v1.credentialTestMessage(500, 'Internal Server Error')).toBe(
			'The service was not able to process your request',
		);
		expect(() => v1.credentialTestMessage(418, 'ours')).toThrow(/no n8n 1.x credential test/);
		expect(v1.errorOutputTakesDetails).toBe(false);
		expect(v1.pairedItemExpressions).toBe(false);
	});

	it('asserts the floor, 1.85.4, with our credential test messages (its n8n keeps the error cause)', () => {
		const floor = differencesFor('1.85.4');
		expect(floor.credentialTestRules).toBe(true);
		expect(floor.credentialTestMessage(401, 'ours')).toBe('ours');
		expect(floor.errorOutputTakesDetails).toBe(false);
		expect(floor.pairedItemExpressions).toBe(true);
	});
});

describe('exitCodeOfRun', () => {
	const cli = (exitCode: number | null, signal: NodeJS.Signals | null) => ({
		exitCode,
		signal,
		stdout: '',
		stderr: '',
		log: '',
	});
	const finished = { data: { resultData: { runData: {} } } };
	const stopped = { data: { resultData: { runData: {}, error: { message: 'x' } } } };

	it('keeps the exit code n8n gave', () => {
		expect(exitCodeOfRun(cli(0, null), finished)).toBe(0);
		expect(exitCodeOfRun(cli(1, null), stopped)).toBe(1);
		expect(exitCodeOfRun(cli(1, null), undefined)).toBe(1);
	});

	it('after a signal, takes the code the printed run implies, and none without a run', () => {
		expect(exitCodeOfRun(cli(null, 'SIGSEGV'), finished)).toBe(0);
		expect(exitCodeOfRun(cli(null, 'SIGSEGV'), stopped)).toBe(1);
		expect(exitCodeOfRun(cli(null, 'SIGSEGV'), undefined)).toBeNull();
	});
});
