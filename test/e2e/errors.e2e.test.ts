/**
 * A wrong credential, through a real n8n against the cStar emulator: a bad key, a publishable key,
 * another team's key, a wrong team id and a wrong base URL. With On Error = Stop Workflow the run
 * stops with the node's message; with Continue every id goes to Failed with the code; with Continue
 * (using error output) every id goes to n8n's third "Error" output (on n8n 1.x it stays on Failed,
 * see harness/versions.js). Also a key revoked halfway
 * through a run, and what each mistake costs in calls to cStar.
 */
import { sleep } from 'n8n-workflow';

import { n8nLog, nodeError, nodeOutputs, runError, versionDifferences } from '../../harness';
import { emulatorCredential, emulatorSuite, expectNoKeyIn } from './support/suite';
import {
	BULK_NODE,
	bodyOf,
	bulkCalls,
	bulkWorkflow,
	inInputOrder,
	keysOf,
	pairKeys,
	sorted,
	spreadIds,
	type CredentialRef,
	type Emulator,
	type OnError,
	type Pair,
} from './support/workflows';

const KEY_FIX =
	'Open the cStar API credential and paste a valid secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys.';
const WRONG_TEAM_ID = '00000000-0000-4000-8000-00000000e2e0';

interface Case {
	/** workflow ids are `<name><mode letter>`, at most 21 characters */
	name: string;
	title: string;
	credential: (emu: Emulator) => Record<string, unknown>;
	/** what the node reports, for the emulator this file starts */
	code: string;
	message: (emu: Emulator) => string;
	description: (emu: Emulator) => string;
	httpStatus?: number;
	/** bulk calls (POSTs, wherever they went) the mistake costs before the run stops */
	bulkCalls: number;
	/** every request made to cStar (whoami included) */
	requests: number;
}

/** A key cStar never issued, shaped like the real one (so only cStar can tell). */
const notIssued = (emu: Emulator) => `${emu.keys.secret.slice(0, -6)}e2eBAD`;

const CASES: Case[] = [
	{
		name: 'badKey',
		title: 'a bad key',
		credential: (emu) => ({ apiKey: notIssued(emu), teamId: emu.teamId, baseUrl: emu.url }),
		code: 'invalid_api_key',
		message: () => 'cStar did not accept the API key (invalid_api_key)',
		description: () =>
			`The key is missing, mistyped, revoked or expired. cStar said: "Invalid or revoked API key". ${KEY_FIX}`,
		httpStatus: 401,
		// n8n's httpRequestWithAuthentication re-sends a request once after a 401 only when the
		// request throws; the node sets ignoreHttpStatusErrors, so a bad key costs exactly one call.
		bulkCalls: 1,
		requests: 1,
	},
	{
		name: 'pubKey',
		title: 'a publishable key',
		credential: (emu) => ({ apiKey: emu.keys.publishable, teamId: emu.teamId, baseUrl: emu.url }),
		code: 'publishable_key_write',
		message: () => 'The credential holds a publishable key, which cannot change data',
		description: () =>
			`Publishable keys (pk_…) are read-only, and bulk updates and deletes are writes. ${KEY_FIX.replace('a valid secret key', 'a secret key')}`,
		// Recognised by its pk_ prefix before anything is sent.
		bulkCalls: 0,
		requests: 0,
	},
	{
		name: 'otherTeam',
		title: 'another team’s key',
		credential: (emu) => ({ apiKey: emu.keys.otherTeam, teamId: emu.teamId, baseUrl: emu.url }),
		code: 'team_access_denied',
		message: (emu) => `The API key does not belong to team ${emu.teamId}`,
		description: () =>
			'cStar refused access to this team. cStar said: "This API key doesn\'t belong to the team in the URL". Fix "Team ID" in the cStar API credential, or leave it empty so the node reads the team from the key.',
		httpStatus: 403,
		bulkCalls: 1,
		requests: 1,
	},
	{
		name: 'wrongTeam',
		title: 'a wrong team id',
		credential: (emu) => ({ apiKey: emu.keys.secret, teamId: WRONG_TEAM_ID, baseUrl: emu.url }),
		code: 'team_access_denied',
		message: () => `The API key does not belong to team ${WRONG_TEAM_ID}`,
		description: () =>
			'cStar refused access to this team. cStar said: "This API key doesn\'t belong to the team in the URL". Fix "Team ID" in the cStar API credential, or leave it empty so the node reads the team from the key.',
		httpStatus: 403,
		bulkCalls: 1,
		requests: 1,
	},
	{
		name: 'wrongUrl',
		title: 'a wrong base URL path',
		credential: (emu) => ({
			apiKey: emu.keys.secret,
			teamId: emu.teamId,
			baseUrl: `${emu.url}/cstar/`,
		}),
		code: 'api_not_found',
		message: (emu) => `Nothing answers at ${emu.url}/cstar/api/v1 for this team (HTTP 404)`,
		description: (emu) =>
			`The Base URL or the Team ID is wrong. cStar said: "Unrecognized request URL (POST /cstar/api/v1/teams/${emu.teamId}/bulk)". Set "Base URL" to https://www.cstar.help (or your instance) and check "Team ID" in the cStar API credential, or leave it empty so the node reads it from the key.`,
		httpStatus: 404,
		bulkCalls: 1,
		requests: 1,
	},
];

const MODES: Array<{ mode: OnError; letter: string }> = [
	{ mode: 'stopWorkflow', letter: 'S' },
	{ mode: 'continueRegularOutput', letter: 'C' },
	{ mode: 'continueErrorOutput', letter: 'E' },
];

describe('a wrong credential through real n8n against the emulator', () => {
	let emu: Emulator;
	let ids: string[];
	let rows: Array<Record<string, unknown>>;
	let pairs: Pair[];
	let seeded: unknown[];

	const credentialRef = (name: string): CredentialRef => ({
		id: `e2eErr${name}`,
		name: `cStar (${name})`,
	});

	const suite = emulatorSuite({
		emulator: { seed: 31, tickets: 300, customers: 10, articles: 10 },
		prepare: (started) => {
			emu = started;
			ids = emu.store.ids('tickets').slice(0, 150);
			({ rows, pairs } = spreadIds(ids));
			seeded = emu.store.list('tickets');

			const parameters = {
				resource: 'ticket',
				operation: 'update',
				dataMode: 'fields',
				updateFields: { status: 'closed' },
			};
			const workflows = CASES.flatMap((c) =>
				MODES.map(({ mode, letter }) =>
					bulkWorkflow({
						id: `${c.name}${letter}`,
						credential: credentialRef(c.name),
						rows,
						parameters,
						onError: mode,
					}),
				),
			);
			workflows.push(
				...MODES.map(({ mode, letter }) =>
					bulkWorkflow({
						id: `revoked${letter}`,
						credential: credentialRef('good'),
						rows,
						parameters,
						onError: mode,
					}),
				),
			);

			const credentials = [
				...CASES.map((c) => ({
					...credentialRef(c.name),
					type: 'cstarApi',
					data: c.credential(emu),
				})),
				emulatorCredential(credentialRef('good'), emu),
			];
			return { credentials, workflows };
		},
	});
	const { execute } = suite;

	const posts = () => emu.log.filter((entry) => entry.method === 'POST').length;

	/** The run changed nothing: no apply counted, and every ticket as seeded (reset() reseeds). */
	const expectNothingChanged = () => {
		expect(emu.counts().idsApplied).toBe(0);
		const now = emu.store.list('tickets');
		expect(now).toEqual(seeded);
	};

	describe.each(CASES)('$title', (c) => {
		test(`On Error = Stop: the run stops with the node’s message; ${c.bulkCalls} bulk call(s), nothing changed`, async () => {
			const result = await execute(`${c.name}S`);
			expect(result.exitCode).toBe(1);

			const error = nodeError(result.run, BULK_NODE);
			expect(error).toBeDefined();
			expect(error!.name).toBe('NodeApiError');
			expect(error!.message).toBe(c.message(emu));
			expect(error!.description).toBe(c.description(emu));
			// Without an HTTP status, NodeApiError takes errorResponse.code as its httpCode.
			expect(error!.httpCode).toBe(c.httpStatus === undefined ? c.code : String(c.httpStatus));
			expect(error!.errorResponse).toMatchObject({ code: c.code, message: c.message(emu) });

			const stopped = runError(result.run);
			expect(stopped?.message).toBe(c.message(emu));
			expect(stopped?.description).toBe(c.description(emu));
			expect(stopped?.node?.name).toBe(BULK_NODE);

			expect(posts()).toBe(c.bulkCalls);
			expect(emu.counts().requests).toBe(c.requests);
			expectNothingChanged();
		});

		test('On Error = Continue: every id goes to Failed with the code and the message, paired to its item', async () => {
			const result = await execute(`${c.name}C`);
			expect(result.exitCode).toBe(0);
			expect(runError(result.run)).toBeUndefined();
			expect(nodeError(result.run, BULK_NODE)).toBeUndefined();

			const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
			expect(succeeded).toEqual([]);
			expect(pairKeys(failed)).toEqual(keysOf(pairs));
			const error: Record<string, unknown> = {
				code: c.code,
				message: `${c.message(emu)}. ${c.description(emu)}`,
			};
			if (c.httpStatus !== undefined) {
				error.httpStatus = c.httpStatus;
				error.requestId = expect.any(String);
			}
			for (const item of failed) {
				expect(item.json).toEqual({
					id: item.json.id,
					resource: 'tickets',
					action: 'update',
					status: 'failed',
					error,
				});
			}
			expect(posts()).toBe(c.bulkCalls);
			expectNothingChanged();
		});

		test(`On Error = Continue (using error output): every id goes to ${versionDifferences.errorOutputTakesDetails ? 'the third output' : 'Failed (n8n 1.x)'} as {error, message, details}`, async () => {
			const result = await execute(`${c.name}E`);
			expect(result.exitCode).toBe(0);
			expect(runError(result.run)).toBeUndefined();

			const outputs = nodeOutputs(result.run, BULK_NODE);
			expect(outputs).toHaveLength(3);
			const [succeeded, failed, errorOutput] = outputs;
			expect(succeeded).toEqual([]);
			// n8n 1.x moves only {error} or {error, message} items to the Error output, so there the
			// node's {error, message, details} items stay on Failed, as the node made them, and the
			// Error output is empty (harness/versions.js, errorOutputTakesDetails).
			const { errorOutputTakesDetails } = versionDifferences;
			const routed = errorOutputTakesDetails ? errorOutput : failed;
			expect(errorOutputTakesDetails ? failed : errorOutput).toEqual([]);
			expect(routed.map((item) => `${item.pairedItem?.item}:${item.json.details?.id}`)).toEqual(
				keysOf(pairs),
			);
			expect(inInputOrder(routed)).toBe(true);
			for (const item of routed) {
				const input = rows[item.pairedItem.item];
				const fromNode = {
					error: c.message(emu),
					message: c.description(emu),
					details: {
						id: item.json.details.id,
						resource: 'tickets',
						action: 'update',
						code: c.code,
					},
				};
				if (!errorOutputTakesDetails) {
					expect(item.json).toEqual(fromNode);
					continue;
				}
				// n8n merges the error over the input item (input fields first), so the input's own
				// fields are there too, its `id` included (an array or a list for some items):
				// details.id names the one id.
				expect(item.json.id).toEqual(input.id);
				expect(item.json).toMatchObject({ shape: input.shape, ...fromNode });
			}
			expect(posts()).toBe(c.bulkCalls);
			expectNothingChanged();
		});
	});

	describe('a key revoked while the first call is under way', () => {
		/**
		 * The first call is answered slowly (cStar applies it, then answers after 3 s). Once it has
		 * been applied (so its key check is behind it), the key is revoked, and every later call gets
		 * 401 invalid_api_key. The node sends one call at a time, so the second call comes after.
		 */
		const runRevokingAfterFirstCall = async (id: string) => {
			emu.faults.script([{ type: 'slow', delayMs: 3000 }]);
			const pending = execute(id);
			for (let waited = 0; emu.counts().idsApplied === 0; waited += 50) {
				if (waited > 120_000) throw new Error('the first bulk call was never applied');
				await sleep(50);
			}
			emu.revokeKey(emu.keys.secret);
			return await pending;
		};

		test('On Error = Stop: the message says how many ids cStar confirmed before', async () => {
			const result = await runRevokingAfterFirstCall('revokedS');
			expect(result.exitCode).toBe(1);
			const error = nodeError(result.run, BULK_NODE);
			expect(error?.message).toBe('cStar did not accept the API key (invalid_api_key)');
			expect(error?.description).toBe(
				`The key is missing, mistyped, revoked or expired. cStar said: "Invalid or revoked API key". ${KEY_FIX} Before this, cStar confirmed 100 ids and 0 failed; set On Error to "Continue" to see them per id.`,
			);
			const calls = bulkCalls(emu);
			expect(calls.map((call) => call.status)).toEqual([200, 401]);
			expect(emu.counts().idsApplied).toBe(100);
		});

		test('On Error = Continue: the confirmed ids stay on Succeeded, the rest go to Failed as invalid_api_key', async () => {
			const result = await runRevokingAfterFirstCall('revokedC');
			expect(result.exitCode).toBe(0);
			const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
			const calls = bulkCalls(emu);
			expect(calls.map((call) => call.status)).toEqual([200, 401]);
			const first = new Set(bodyOf(calls[0]).ids);
			expect(sorted(succeeded.map((item) => String(item.json.id)))).toEqual(sorted([...first]));
			expect(sorted(failed.map((item) => String(item.json.id)))).toEqual(
				sorted(ids.filter((id) => !first.has(id))),
			);
			expect(sorted([...pairKeys(succeeded), ...pairKeys(failed)])).toEqual(sorted(keysOf(pairs)));
			expect(failed.every((item) => item.json.error?.code === 'invalid_api_key')).toBe(true);
			expect([...first].filter((id) => emu.store.get('tickets', id)?.status !== 'closed')).toEqual(
				[],
			);
			expect(emu.counts().idsApplied).toBe(100);
		});
	});

	test('no key, good or bad, appears in the run data or in n8n’s log, including the failed runs', () => {
		expect(suite.runs.length).toBe(CASES.length * MODES.length + 2);
		const keys = [emu.keys.secret, emu.keys.publishable, emu.keys.otherTeam, notIssued(emu)];
		expectNoKeyIn(suite.runs, n8nLog(suite.userFolder), keys);
	});
});
