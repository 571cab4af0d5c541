/**
 * The cStar API credential's test, run as the n8n editor's "Test" button runs it (a real `n8n
 * start`, `POST /rest/credentials` then `POST /rest/credentials/test`), against the cStar emulator.
 * Asserts our exact messages (the responseSuccessBody and responseCode rules in
 * credentials/CstarApi.credentials.ts) and what n8n sent to cStar. n8n 1.12x never applies responseCode
 * rules and shows its own message per status instead (harness/versions.js, credentialTestMessage),
 * so on 1.12x those tests assert n8n's message.
 */
import { n8nLog, versionDifferences } from '../../harness';
import { emulatorSuite } from './support/suite';
import { headerOf, leakIn, type Emulator } from './support/workflows';

const OK = { status: 'OK', message: 'Connection successful!' };
const PUBLISHABLE_MESSAGE =
	'This is a publishable key (pk_…), which is read-only. Create a secret key (sk_live_… or sk_test_…) in cStar Settings → API Keys and paste it here.';
const MESSAGE_401 =
	'cStar did not accept this key: it is mistyped, revoked or expired. Paste a secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys.';
const MESSAGE_403 =
	'cStar refused this key. Use a secret key (sk_live_… or sk_test_…) of your team from cStar Settings → API Keys.';
const MESSAGE_404 =
	'No cStar API answers at this Base URL. Set it to https://www.cstar.help (or your cStar instance).';
const MESSAGE_429 =
	'cStar’s rate limit for this key is used up right now. The key itself may be fine: test again in a few minutes.';

/** Whose message a failed status gets: our rule's on 2.x, n8n's own on 1.x (harness/versions.js). */
const WHOSE = versionDifferences.credentialTestRules ? 'our' : 'n8n’s own';

/** What the editor shows for a failed status: our rule's message on 2.x, n8n's own on 1.x. */
const failedWith = (status: number, message: string) => ({
	status: 'Error',
	message: versionDifferences.credentialTestMessage(status, message),
});

describe('the credential test, as the n8n editor runs it, against the emulator', () => {
	let emu: Emulator;
	const suite = emulatorSuite({
		emulator: { seed: 41, tickets: 5, customers: 5, articles: 5 },
		prepare: (started) => {
			emu = started;
		},
		server: true,
	});

	const notIssued = () => `${emu.keys.secret.slice(0, -6)}e2eBAD`;

	const testWith = (data: { apiKey: string; teamId?: string; baseUrl?: string }) =>
		suite.server!.testCredential('cstarApi', { teamId: '', baseUrl: emu.url, ...data });

	/** What n8n sent to cStar during one credential test. */
	const sentDuring = async (fn: () => Promise<unknown>) => {
		const before = emu.log.length;
		const result = await fn();
		return {
			result,
			sent: emu.log.slice(before).map((entry) => ({
				method: entry.method,
				path: entry.path,
				authorization: headerOf(entry, 'authorization'),
				status: entry.status,
			})),
		};
	};

	test('a good secret key with the team id passes: one GET /api/v1/auth/whoami with the bearer key', async () => {
		const { result, sent } = await sentDuring(() =>
			testWith({ apiKey: emu.keys.secret, teamId: emu.teamId }),
		);
		expect(result).toEqual(OK);
		expect(sent).toEqual([
			{
				method: 'GET',
				path: '/api/v1/auth/whoami',
				authorization: `Bearer ${emu.keys.secret}`,
				status: 200,
			},
		]);
	});

	test('a good secret key without a team id passes', async () => {
		await expect(testWith({ apiKey: emu.keys.secret, teamId: '' })).resolves.toEqual(OK);
	});

	test('a trailing slash on the base URL passes, and the path has no double slash', async () => {
		const { result, sent } = await sentDuring(() =>
			testWith({ apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: `${emu.url}/` }),
		);
		expect(result).toEqual(OK);
		expect(sent.map((request) => request.path)).toEqual(['/api/v1/auth/whoami']);
	});

	test('a key pasted with a newline passes (the credential trims it)', async () => {
		await expect(testWith({ apiKey: `${emu.keys.secret}\n`, teamId: emu.teamId })).resolves.toEqual(
			OK,
		);
	});

	test('a publishable key fails with our message (cStar answers 200 with keyType "publishable")', async () => {
		const { result, sent } = await sentDuring(() =>
			testWith({ apiKey: emu.keys.publishable, teamId: emu.teamId }),
		);
		expect(result).toEqual({ status: 'Error', message: PUBLISHABLE_MESSAGE });
		expect(sent.map((request) => request.status)).toEqual([200]);
	});

	test(`a bad key fails with ${WHOSE} 401 message; n8n sends the 401 request twice`, async () => {
		const { result, sent } = await sentDuring(() =>
			testWith({ apiKey: notIssued(), teamId: emu.teamId }),
		);
		expect(result).toEqual(failedWith(401, MESSAGE_401));
		// httpRequestWithAuthentication re-sends once after a 401 that throws (the credential test
		// lets statuses throw), even for a credential without preAuthentication.
		expect(sent).toEqual([
			{
				method: 'GET',
				path: '/api/v1/auth/whoami',
				authorization: `Bearer ${notIssued()}`,
				status: 401,
			},
			{
				method: 'GET',
				path: '/api/v1/auth/whoami',
				authorization: `Bearer ${notIssued()}`,
				status: 401,
			},
		]);
	});

	test(`a revoked key fails with ${WHOSE} 401 message`, async () => {
		emu.revokeKey(emu.keys.secret);
		await expect(testWith({ apiKey: emu.keys.secret, teamId: emu.teamId })).resolves.toEqual(
			failedWith(401, MESSAGE_401),
		);
	});

	test(`a wrong base URL path fails with ${WHOSE} 404 message`, async () => {
		const { result, sent } = await sentDuring(() =>
			testWith({ apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: `${emu.url}/cstar` }),
		);
		expect(result).toEqual(failedWith(404, MESSAGE_404));
		expect(sent.map((request) => [request.path, request.status])).toEqual([
			['/cstar/api/v1/auth/whoami', 404],
		]);
	});

	test(`a 403 from cStar fails with ${WHOSE} 403 message`, async () => {
		emu.faults.script([
			{
				type: 'status',
				status: 403,
				body: {
					success: false,
					error: { type: 'authentication_error', code: 'insufficient_permissions', message: 'No' },
				},
				match: { pathIncludes: '/auth/whoami' },
			},
		]);
		await expect(testWith({ apiKey: emu.keys.secret, teamId: emu.teamId })).resolves.toEqual(
			failedWith(403, MESSAGE_403),
		);
	});

	test(`a 429 from cStar fails with ${WHOSE} 429 message`, async () => {
		emu.faults.script([
			{ type: 'rateLimit', retryAfter: 1, match: { pathIncludes: '/auth/whoami' } },
		]);
		const { result, sent } = await sentDuring(() =>
			testWith({ apiKey: emu.keys.secret, teamId: emu.teamId }),
		);
		expect(result).toEqual(failedWith(429, MESSAGE_429));
		expect(sent.map((request) => request.status)).toEqual([429]);
	});

	test('another team’s key passes, whatever the Team ID: whoami does not look at the team (the node’s first call does)', async () => {
		await expect(testWith({ apiKey: emu.keys.otherTeam, teamId: emu.teamId })).resolves.toEqual(OK);
	});

	test('no key appears in n8n’s server log', async () => {
		await suite.server!.stop();
		suite.server = undefined;
		const log = n8nLog(suite.userFolder);
		expect(log).toContain('n8n start');
		for (const key of [emu.keys.secret, emu.keys.publishable, emu.keys.otherTeam, notIssued()]) {
			expect(leakIn(log, key)).toBeUndefined();
		}
	});
});
