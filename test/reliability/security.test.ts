import fc from 'fast-check';
import { NodeApiError } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import type { NodeRun, OnError } from '../support/executeContext';
import {
	bulkCalls,
	codeOf,
	credentials,
	expectNoSecret,
	idOf,
	idsOfCall,
	returned,
	runNode,
	runTool,
	threw,
	type Emulator,
	type NodeResult,
} from './harness';
import {
	acceptedPairs,
	checkInvariants,
	hasControlCharacter,
	type ExpectedPair,
} from './invariants';
import { startOtherHost } from './listener';
import { reportSection } from './report';
import { SCENARIOS, runScenario } from './scenarios';
import { fuzzSeed } from './settings';

const SEED = fuzzSeed(20261106);
const report = reportSection('security');
let emu: Emulator;
let other: Awaited<ReturnType<typeof startOtherHost>>;

beforeAll(async () => {
	emu = await startEmulator({ seed: 13, tickets: 300, customers: 20, articles: 20 });
	other = await startOtherHost();
});
afterAll(async () => {
	await emu.close();
	await other.close();
	report.write();
});
beforeEach(() => {
	emu.reset();
	emu.setErrorsShape('byId');
	other.received.length = 0;
});

const ticketIds = (count: number, from = 0) => emu.store.ids('tickets').slice(from, from + count);
const MODES: OnError[] = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];

function deleteRun(
	ids: unknown[],
	overrides: Partial<NodeRun> = {},
	options: Record<string, unknown> = {},
): NodeRun {
	return {
		items: ids.map((id) => ({ json: { id } as never })),
		parameters: {
			resource: 'ticket',
			operation: 'delete',
			ids: (item: number) => ids[item],
			options,
		},
		credentials: credentials(emu),
		...overrides,
	};
}

/**
 * A report row shared by several tests: it reads FAIL as soon as one fails and passes once all have
 * passed; a partial run (jest -t) leaves it "not run", so the report is not rewritten.
 */
function groupRow(scenario: string, checked: string, tests: number, note = `${tests} cases`) {
	const row = report.row(scenario, checked);
	let passed = 0;
	return async (body: () => Promise<void>) => {
		let done = false;
		try {
			await body();
			done = true;
		} finally {
			if (!done) row.start();
		}
		if (++passed === tests) row.pass(note);
	};
}

/** Nothing reached the emulator or the other host. */
function nothingSent(): void {
	expect(emu.counts().requests).toBe(0);
	expect(other.received).toEqual([]);
}

function refusedWith(result: NodeResult, mode: OnError, code: string, message: RegExp): void {
	if (mode === 'stopWorkflow') {
		const { error } = threw(result);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(message);
	} else {
		const { succeeded, failed } = returned(result);
		expect(succeeded).toEqual([]);
		expect(failed.length).toBeGreaterThan(0);
		for (const item of failed) expect(codeOf(item)).toBe(code);
	}
	expectNoSecret(result, emu.keys.secret);
}

describe('the team id can never change the request path or host', () => {
	const hostile = [
		'../admin',
		'../../v2/teams/x',
		'team?x=1',
		'a#b',
		'a%2Fb',
		'%2e%2e',
		'a b',
		'a/b',
		'a\\b',
		'@127.0.0.2',
		'a\r\nX-Injected: 1',
		'tëam',
		'\u202eteam',
	];
	const row = groupRow(
		'team id with ../ ? # %2F spaces, slashes, CRLF, unicode',
		`${hostile.length} hostile team ids, with On Error Stop and Continue: refused with invalid_team_id before any request`,
		hostile.length * 2,
	);
	for (const teamId of hostile) {
		for (const mode of ['stopWorkflow', 'continueRegularOutput'] as OnError[]) {
			it(`refuses ${JSON.stringify(teamId)} (${mode})`, async () => {
				await row(async () => {
					const result = await runNode(
						deleteRun(ticketIds(2), { credentials: credentials(emu, { teamId }), onError: mode }),
					);
					refusedWith(result, mode, 'invalid_team_id', /not a cStar team id/);
					nothingSent();
				});
			});
		}
	}

	const runs = 150;
	const propertyRow = report.row(
		'team id, property-based',
		'random unicode and path-ish team ids: either refused with no request, or every request path is /api/v1/teams/<id>/bulk with the id as one segment that decodes to itself; nothing reaches another host',
	);
	it(`${runs} random team ids`, async () => {
		propertyRow.start();
		const pathish = fc.string({
			unit: fc.constantFrom(
				'.',
				'/',
				'%',
				'2',
				'F',
				'f',
				'?',
				'#',
				' ',
				'@',
				':',
				'\\',
				'a',
				'-',
				'_',
				'\n',
				'é',
				'\u202e',
			),
			maxLength: 16,
		});
		const teamIds = fc.oneof(
			pathish,
			fc.string({ unit: 'grapheme', maxLength: 40 }),
			fc.uuid(),
			fc.constant(`@${other.origin.slice(7)}`),
		);
		let accepted = 0;
		await fc.assert(
			fc.asyncProperty(teamIds, async (teamId) => {
				emu.reset();
				other.received.length = 0;
				const result = returned(
					await runNode(
						deleteRun(
							ticketIds(1),
							{ credentials: credentials(emu, { teamId }), onError: 'continueRegularOutput' },
							{ maxRetries: 0 },
						),
					),
				);
				expectNoSecret(result, emu.keys.secret);
				expect(other.received).toEqual([]);
				const trimmed = teamId.trim();
				if (result.failed.some((item) => codeOf(item) === 'invalid_team_id')) {
					expect(emu.counts().requests).toBe(0);
					return;
				}
				accepted++;
				const team = trimmed === '' ? emu.teamId : trimmed;
				for (const entry of emu.log) {
					if (entry.path === '/api/v1/auth/whoami') continue;
					const segments = entry.path.split('/');
					expect(segments).toHaveLength(6);
					expect(entry.path).toBe(`/api/v1/teams/${encodeURIComponent(team)}/bulk`);
					expect(decodeURIComponent(segments[4])).toBe(team);
					expect(Object.keys(entry.query)).toEqual([]);
				}
			}),
			{ seed: SEED, numRuns: runs },
		);
		expect(accepted).toBeGreaterThan(0);
		propertyRow.pass(`${runs} cases, seed ${SEED}`);
	}, 120_000);

	const whoamiRow = report.row(
		'team id discovered from whoami',
		'whoami answers teamId "../../admin": refused with invalid_team_id, no bulk call',
	);
	it('refuses a hostile team id that whoami returns', async () => {
		whoamiRow.start();
		emu.faults.script([
			{
				type: 'status',
				status: 200,
				body: { success: true, data: { teamId: '../../admin', keyType: 'secret' } },
				match: { pathIncludes: '/auth/whoami' },
			},
		]);
		const result = await runNode(
			deleteRun(ticketIds(2), {
				credentials: credentials(emu, { teamId: '' }),
				onError: 'continueRegularOutput',
			}),
		);
		refusedWith(result, 'continueRegularOutput', 'invalid_team_id', /team id/);
		expect(bulkCalls(emu)).toEqual([]);
		whoamiRow.pass();
	});
});

describe('ids can never change the request path or host', () => {
	const row = report.row(
		'ids with ../ ? # %2F / @host and URLs',
		'sent only in the JSON body, byte for byte: every request goes to /api/v1/teams/<team>/bulk on the emulator, none elsewhere; the body holds exactly the ids named',
	);
	it('keeps hostile ids in the body', async () => {
		row.start();
		const hostile = [
			'../../admin',
			'tkt_1?x=1',
			'tkt_2#frag',
			'tkt_3%2F..%2F',
			'/api/v1/teams/other/bulk',
			`@${other.origin.slice(7)}`,
			`${other.origin}/steal`,
			'%00',
			'tkt_é',
		];
		const [known] = ticketIds(1);
		const ids = [known, ...hostile];
		const result = returned(await runNode(deleteRun(ids, { onError: 'continueRegularOutput' })));
		checkInvariants(
			emu,
			{
				resource: 'tickets',
				action: 'delete',
				pairs: acceptedPairs(ids.map((id) => [id])),
				secret: emu.keys.secret,
			},
			result,
		);
		expect(result.succeeded.map(idOf)).toEqual([known]);
		expect(bulkCalls(emu).map(idsOfCall)).toEqual([ids]);
		expect(emu.log.map((entry) => entry.path)).toEqual([`/api/v1/teams/${emu.teamId}/bulk`]);
		expect(other.received).toEqual([]);
		row.pass(`${hostile.length} hostile ids, 1 call`);
	});
});

describe('the base URL must be http(s)', () => {
	const refused = () => [
		`ftp://127.0.0.1:${emu.port}`,
		'file:///etc/passwd',
		'javascript:alert(1)',
		'data:text/plain,x',
		`ws://127.0.0.1:${emu.port}`,
		`127.0.0.1:${emu.port}`,
		`//127.0.0.1:${emu.port}`,
		`http://user:pw@127.0.0.1:${emu.port}`,
		`https://www.cstar.help@${other.origin.slice(7)}`,
		`${emu.url}/?x=1`,
		`${emu.url}#frag`,
		'not a url',
	];
	const count = 12;
	const row = groupRow(
		'base URL',
		`${count} non-http(s) or ambiguous base URLs (ftp, file, javascript, data, ws, no scheme, userinfo, query, fragment) refused before any request; "${'<url>/'}" and padded URLs accepted`,
		2,
	);
	it('refuses what is not a plain http(s) address', async () => {
		await row(async () => {
			const urls = refused();
			expect(urls).toHaveLength(count);
			for (const baseUrl of urls) {
				const result = await runNode(
					deleteRun(ticketIds(1), {
						credentials: credentials(emu, { baseUrl }),
						onError: 'continueRegularOutput',
					}),
				);
				refusedWith(
					result,
					'continueRegularOutput',
					'invalid_base_url',
					/not an http\(s\) address/,
				);
				nothingSent();
			}
		});
	});
	it('accepts a trailing slash and surrounding spaces', async () => {
		await row(async () => {
			for (const baseUrl of [`${emu.url}/`, `  ${emu.url}  `]) {
				emu.reset();
				const { succeeded } = returned(
					await runNode(deleteRun(ticketIds(1), { credentials: credentials(emu, { baseUrl }) })),
				);
				expect(succeeded).toHaveLength(1);
				expect(emu.log.map((entry) => entry.path)).toEqual([`/api/v1/teams/${emu.teamId}/bulk`]);
			}
		});
	});
});

describe('a redirect to another host never carries the key', () => {
	const statuses = [301, 302, 303, 307, 308];
	const row = groupRow(
		'redirect to another host',
		`${statuses.length} redirect statuses, on the bulk call and on whoami, Stop and Continue: not followed, the other host receives nothing, the ids fail with unexpected_redirect (the listener is first shown to record an Authorization header sent to it directly)`,
		1 + statuses.length * 2 * 2,
	);

	it('the other host records what reaches it, Authorization included', async () => {
		await row(async () => {
			await runNode(
				deleteRun(
					ticketIds(1),
					{
						credentials: credentials(emu, { baseUrl: other.origin }),
						onError: 'continueRegularOutput',
					},
					{ maxRetries: 0 },
				),
			);
			expect(other.received.length).toBeGreaterThan(0);
			expect(other.received[0].headers.authorization).toBe(`Bearer ${emu.keys.secret}`);
		});
	});

	for (const status of statuses) {
		for (const target of ['bulk', 'whoami'] as const) {
			for (const mode of ['stopWorkflow', 'continueRegularOutput'] as OnError[]) {
				it(`${status} on ${target} (${mode})`, async () => {
					await row(async () => {
						const location =
							target === 'bulk'
								? `${other.origin}/api/v1/teams/${emu.teamId}/bulk`
								: `${other.origin}/api/v1/auth/whoami`;
						emu.faults.script([
							{
								type: 'status',
								status,
								headers: { location },
								match: target === 'bulk' ? undefined : { pathIncludes: '/auth/whoami' },
							},
						]);
						const teamId = target === 'bulk' ? emu.teamId : '';
						const result = await runNode(
							deleteRun(ticketIds(3), { credentials: credentials(emu, { teamId }), onError: mode }),
						);
						refusedWith(result, mode, 'unexpected_redirect', /redirect/);
						expect(other.received).toEqual([]);
						expect(emu.counts().requests).toBe(1);
						expect(emu.counts().idsApplied).toBe(0);
					});
				});
			}
		}
	}
});

describe('ids with control characters are refused before sending', () => {
	const runs = 60;
	const row = report.row(
		'ids with control characters',
		'a random C0/DEL/C1 character (not one of the separators tab, LF, VT, FF, CR) inside one id of an item: that item goes to Failed (invalid_id, the rest item_not_sent), no call holds a control character, the other items go on',
	);
	it(`${runs} random items`, async () => {
		row.start();
		const controls = fc
			.integer({ min: 0, max: 0x9f })
			.filter((code) => (code < 0x20 || code >= 0x7f) && ![9, 10, 11, 12, 13].includes(code));
		const arbitrary = fc.record({
			items: fc.integer({ min: 1, max: 4 }),
			bad: fc.nat(),
			idsInBad: fc.integer({ min: 1, max: 4 }),
			badPosition: fc.nat(),
			control: controls,
			at: fc.nat(),
			asList: fc.boolean(),
		});
		await fc.assert(
			fc.asyncProperty(arbitrary, async (c) => {
				emu.reset();
				const bad = c.bad % c.items;
				let next = 0;
				const perItem = Array.from({ length: c.items }, (_, item) =>
					ticketIds(item === bad ? c.idsInBad : 1, (next += 4)),
				);
				const victim = perItem[bad][c.badPosition % c.idsInBad];
				const at = c.at % (victim.length + 1);
				const poisoned = `${victim.slice(0, at)}${String.fromCharCode(c.control)}${victim.slice(at)}`;
				perItem[bad][c.badPosition % c.idsInBad] = poisoned;
				const values = perItem.map((ids, item) =>
					item === bad && !c.asList ? ids.join(', ') : ids,
				);
				const result = returned(
					await runNode(deleteRun(values, { onError: 'continueRegularOutput' })),
				);
				expectNoSecret(result, emu.keys.secret);
				for (const call of bulkCalls(emu))
					for (const id of idsOfCall(call)) expect(hasControlCharacter(id)).toBe(false);
				const pairs: ExpectedPair[] = perItem.flatMap((ids, item) =>
					ids.map((id) => ({ item, id: id === poisoned ? null : id, accepted: item !== bad })),
				);
				checkInvariants(
					emu,
					{ resource: 'tickets', action: 'delete', pairs, secret: emu.keys.secret },
					result,
				);
				const failedOfBad = result.failed.filter(
					(item) => (item.pairedItem as { item: number }).item === bad,
				);
				expect(failedOfBad.map(codeOf).sort()).toEqual(
					['invalid_id', ...Array(c.idsInBad - 1).fill('item_not_sent')].sort(),
				);
				expect(result.succeeded).toHaveLength(c.items - 1);
			}),
			{ seed: SEED, numRuns: runs },
		);
		row.pass(`${runs} cases, seed ${SEED}`);
	});
});

describe('the key appears in no output, error or log line', () => {
	const echoes: Array<{ name: string; arrange: (key: string) => void; teamId?: string }> = [
		{
			name: 'a 401 whose message quotes the key',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'status',
						status: 401,
						body: {
							success: false,
							error: { code: 'invalid_api_key', message: `Invalid API key: ${key}` },
						},
					},
				]),
		},
		{
			name: 'a 401 quoting the key without its sk_test_ prefix',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'status',
						status: 401,
						body: {
							success: false,
							error: { code: 'invalid_api_key', message: `Unknown key …${key.slice(8)}` },
						},
					},
				]),
		},
		{
			name: 'a whoami 401 whose message quotes the key',
			teamId: '',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'status',
						status: 401,
						body: {
							success: false,
							error: { code: 'invalid_api_key', message: `Invalid API key ${key}` },
						},
						match: { pathIncludes: '/auth/whoami' },
					},
				]),
		},
		{
			name: 'a 400 refusal whose message quotes the key',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'status',
						status: 400,
						body: {
							success: false,
							error: { code: 'parameter_invalid', message: `bad request from ${key}`, param: key },
						},
					},
				]),
		},
		{
			name: 'a 200 success:false quoting the key',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'status',
						status: 200,
						body: { success: false, error: { code: 'bulk_failed', message: `failed for ${key}` } },
					},
				]),
		},
		{
			name: 'errors entries quoting the key',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'bulkResult',
						mutate: (data) => ({
							...data,
							succeeded: data.succeeded - 1,
							failed: data.failed + 1,
							errors: [{ index: 0, code: 'forbidden', message: `key ${key} may not touch this` }],
						}),
					},
				]),
		},
		{
			name: 'a redirect whose Location holds the key',
			arrange: (key) =>
				emu.faults.script([
					{
						type: 'status',
						status: 302,
						headers: { location: `https://${key}@evil.example/?key=${key}` },
					},
				]),
		},
	];
	const row = groupRow(
		'canary: cStar echoing the key back',
		`${echoes.length} answers that quote the key (401, 401 with the key's random part only, whoami 401, 400 with param, 200 success:false, errors entries, redirect Location), each in all 3 On Error modes: the key appears in no output item, error message, description or log line`,
		echoes.length * MODES.length,
	);
	for (const echo of echoes) {
		for (const mode of MODES) {
			it(`${echo.name} (${mode})`, async () => {
				await row(async () => {
					const key = emu.keys.secret;
					echo.arrange(key);
					const result = await runNode(
						deleteRun(
							ticketIds(3),
							{
								credentials: credentials(
									emu,
									echo.teamId === undefined ? {} : { teamId: echo.teamId },
								),
								onError: mode,
							},
							{ maxRetries: 0 },
						),
					);
					expect(emu.counts().requests).toBeGreaterThan(0);
					expectNoSecret(result, key);
				});
			});
		}
	}

	const shortKeys = ['sk_test_7', 'sk_live_a1b2', 'sk_test_a1b2c3d', 'sk_test_a1b2c3d4', 'sk_x'];
	const shortRow = groupRow(
		'canary: keys of any length',
		`keys of ${shortKeys.map((key) => key.length).join(', ')} characters, each quoted whole by a 401 in all 3 On Error modes: the key appears in no output item, error message, description or log line`,
		shortKeys.length * MODES.length,
	);
	for (const key of shortKeys) {
		for (const mode of MODES) {
			it(`a ${key.length}-character key quoted by a 401 (${mode})`, async () => {
				await shortRow(async () => {
					emu.faults.script([
						{
							type: 'status',
							status: 401,
							body: {
								success: false,
								error: { code: 'invalid_api_key', message: `Invalid API key: ${key}.` },
							},
						},
					]);
					const result = await runNode(
						deleteRun(
							ticketIds(3),
							{ credentials: credentials(emu, { apiKey: key }), onError: mode },
							{ maxRetries: 0 },
						),
					);
					expect(emu.counts().requests).toBeGreaterThan(0);
					expectNoSecret(result, key);
				});
			});
		}
	}

	const otherModes = (fatal: boolean): OnError[] =>
		fatal ? ['stopWorkflow', 'continueErrorOutput'] : ['stopWorkflow'];
	const runsOfMatrix = SCENARIOS.reduce(
		(sum, scenario) => sum + otherModes(scenario.fatal === true).length,
		0,
	);
	const matrixRow = groupRow(
		'canary: every fault matrix scenario, in the other modes',
		'each fault matrix scenario again with On Error = Stop (throwing), and the fatal ones also with Continue (using error output); invariants re-checked where it returns (the fault matrix itself runs Continue)',
		runsOfMatrix,
		`${SCENARIOS.length} scenarios, ${runsOfMatrix} runs`,
	);
	for (const scenario of SCENARIOS) {
		for (const mode of otherModes(scenario.fatal === true)) {
			it(`${scenario.name} (${mode})`, async () => {
				await matrixRow(async () => {
					const { outcome } = await runScenario(emu, scenario, mode);
					scenario.verify(outcome);
					expectNoSecret(outcome.result, emu.keys.secret);
				});
			});
		}
	}
});

describe('a key pasted into any field the node quotes back is never echoed (issue 19)', () => {
	const alnum = fc.constantFrom(
		...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
	);
	/** cStar's key forms, and the credential's own key. */
	const pastedKey = fc.oneof(
		fc
			.tuple(
				fc.constantFrom('sk_live_', 'sk_test_', 'pk_live_', 'pk_test_', 'SK_LIVE_'),
				fc.string({ unit: alnum, minLength: 12, maxLength: 32 }),
			)
			.map(([prefix, random]) => `${prefix}${random}`),
		fc.constant('<credential key>'),
	);
	/** Whatever may wrap a pasted key: none of it may uncover it. */
	const wrapper = fc.record({
		head: fc.oneof(
			fc.constantFrom(
				'',
				'Bearer ',
				'"',
				"'",
				'key=',
				'api_key%3D',
				`${'550e8400-e29b-41d4-a716-446655440000'}`,
			),
			fc.string({ unit: alnum, maxLength: 8 }),
		),
		tail: fc.constantFrom('', '"', "'", '/x', '&a=1', ' ', '%22'),
		encode: fc.boolean(),
	});
	const field = fc.constantFrom('teamId', 'baseUrlPath', 'id', 'data', 'option');
	const runs = 120;
	const row = report.row(
		'keys pasted into quoted fields, generated wrappers',
		"a secret or publishable key (random, or the credential's own) with a generated wrapper (Bearer, quotes, key=, URL-encoded, a team id or random text glued before it) in Team ID, the Base URL path, an id, the update data (dry run) or an option value, in all 3 On Error modes and as a tool: neither the key nor its random part appears in any output item, error, tool result or log line",
	);
	it(`${runs} generated cases`, async () => {
		row.start();
		await fc.assert(
			fc.asyncProperty(
				pastedKey,
				wrapper,
				field,
				fc.constantFrom<OnError | 'tool'>(...MODES, 'tool'),
				async (generated, { head, tail, encode }, where, mode) => {
					emu.reset();
					const key = generated === '<credential key>' ? emu.keys.secret : generated;
					const raw = `${head}${key}${tail}`;
					const pasted = encode ? encodeURIComponent(raw) : raw;
					const ids: unknown[] = ticketIds(2);
					const creds = credentials(emu);
					const options: Record<string, unknown> = { maxRetries: 0 };
					const parameters: Record<string, unknown> = {};
					if (where === 'teamId') creds.teamId = pasted;
					if (where === 'baseUrlPath') creds.baseUrl = `${emu.url}/${pasted}`;
					if (where === 'id') ids.push(pasted);
					if (where === 'option') options.batchSize = pasted;
					if (where === 'data') {
						options.dryRun = true;
						Object.assign(parameters, {
							operation: 'update',
							dataMode: 'json',
							jsonData: JSON.stringify({ notes: pasted }),
						});
					}
					const nodeRun = deleteRun(ids, { credentials: creds }, options);
					Object.assign(nodeRun.parameters, parameters);
					const result =
						mode === 'tool' ? await runTool(nodeRun) : await runNode({ ...nodeRun, onError: mode });
					expectNoSecret(result, key);
					expect(other.received).toEqual([]);
				},
			),
			{ seed: SEED, numRuns: runs },
		);
		row.pass(`${runs} cases, seed ${SEED}`);
	}, 120_000);
});
