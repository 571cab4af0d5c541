import { NodeApiError, type INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import type { Emulator } from '../support/common';
import { runCstarBulk, type NodeRun } from '../support/executeContext';

/** Issue 9 through execute() against the emulator: no wrong Succeeded, no false "not sent". */

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 9, tickets: 120, customers: 5, articles: 5 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

const tickets = (count: number) => emu.store.ids('tickets').slice(0, count);
const bulkBodies = () =>
	emu.log
		.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/bulk'))
		.map((entry) => entry.body as { ids: string[]; data?: Record<string, unknown> });
const codes = (items: INodeExecutionData[]) =>
	items.map((item) => (item.json.error as { code: string }).code);
const messages = (items: INodeExecutionData[]) =>
	items.map((item) => (item.json.error as { message: string }).message);

/** Items of `{id, data}` sent with JSON Data per item. */
function jsonRun(
	items: Array<{ id: string; data: unknown }>,
	options: Record<string, unknown> = {},
	overrides: Partial<NodeRun> = {},
): NodeRun {
	return {
		items: items.map(({ id }) => ({ json: { id } })),
		parameters: {
			resource: 'ticket',
			operation: 'update',
			ids: (i: number) => items[i].id,
			dataMode: 'json',
			jsonData: (i: number) => items[i].data,
			options,
		},
		credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
		...overrides,
	};
}
const closeAll = (ids: string[], options: Record<string, unknown> = {}, overrides = {}) =>
	jsonRun(
		ids.map((id) => ({ id, data: { status: 'closed' } })),
		options,
		overrides,
	);
async function stopped(run: NodeRun): Promise<NodeApiError> {
	try {
		await runCstarBulk(run);
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('the node did not stop');
}

describe('per-item data is grouped by what is really sent', () => {
	it('two items with different Dates never share a call, and each id gets its own date', async () => {
		const [a, b] = tickets(2);
		const due = ['2026-01-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z'];
		const { succeeded } = await runCstarBulk(
			jsonRun([
				{ id: a, data: { metadata: { due: new Date(due[0]) } } },
				{ id: b, data: { metadata: { due: new Date(due[1]) } } },
			]),
		);
		expect(succeeded).toHaveLength(2);
		expect(bulkBodies().map((body) => [body.ids, body.data])).toEqual([
			[[a], { metadata: { due: due[0] } }],
			[[b], { metadata: { due: due[1] } }],
		]);
	});

	it('data JSON cannot carry (a cycle, a function) is that item’s invalid_json, the rest go on', async () => {
		const [a, b, c] = tickets(3);
		const cycle: Record<string, unknown> = { status: 'closed' };
		cycle.self = cycle;
		const { succeeded, failed } = await runCstarBulk(
			jsonRun([
				{ id: a, data: cycle },
				{ id: b, data: { status: 'closed', compute: () => 1 } },
				{ id: c, data: { status: 'closed' } },
			]),
		);
		expect(succeeded.map((item) => item.json.id)).toEqual([c]);
		expect(
			failed.map((item) => [item.json.id, (item.json.error as { code: string }).code]),
		).toEqual([
			[a, 'invalid_json'],
			[b, 'invalid_json'],
		]);
	});
});

describe('the last instruction for an id wins', () => {
	it.each([1, 4])(
		'[a→closed, a→open, a→closed] at Parallel Requests %i ends closed',
		async (parallel) => {
			const [a, b] = tickets(2);
			const { succeeded } = await runCstarBulk(
				jsonRun(
					[
						{ id: a, data: { status: 'closed' } },
						{ id: b, data: { status: 'open' } },
						{ id: a, data: { status: 'open' } },
						{ id: a, data: { status: 'closed' } },
					],
					{ parallelRequests: parallel },
				),
			);
			expect(succeeded).toHaveLength(4);
			expect(emu.store.get('tickets', a)?.status).toBe('closed');
			expect(emu.store.get('tickets', b)?.status).toBe('open');
		},
	);

	it('merges equal data when no other data for that id lies between', async () => {
		const [a, b] = tickets(2);
		await runCstarBulk(
			jsonRun([
				{ id: a, data: { status: 'closed' } },
				{ id: b, data: { status: 'open' } },
				{ id: a, data: { status: 'closed' } },
			]),
		);
		expect(bulkBodies().map((body) => body.ids)).toEqual([[a], [b]]);
	});
});

describe('only a real confirmation counts', () => {
	it.each([202, 204, 207])(
		'HTTP %i is not a confirmation: outcome_unknown, not resent',
		async (status) => {
			emu.faults.script([{ type: 'status', status, body: status === 204 ? undefined : {} }]);
			const { succeeded, failed } = await runCstarBulk(closeAll(tickets(2)));
			expect(succeeded).toEqual([]);
			expect(codes(failed)).toEqual(['outcome_unknown', 'outcome_unknown']);
			expect(messages(failed)[0]).toMatch(/may or may not have changed/);
			expect(bulkBodies()).toHaveLength(1);
		},
	);

	it('a 200 without a bulk result is resent, then invalid_response, never Succeeded', async () => {
		const notBulk = { type: 'status' as const, status: 200, body: { success: true, data: {} } };
		emu.faults.script([notBulk, notBulk]);
		const { succeeded, failed } = await runCstarBulk(closeAll(tickets(1), { maxRetries: 1 }));
		expect(succeeded).toEqual([]);
		expect(codes(failed)).toEqual(['invalid_response']);
	});
});

describe('statuses that mean "try again" or "make it smaller"', () => {
	it.each([408, 423, 425])('%i is retried like a 5xx', async (status) => {
		emu.faults.script([{ type: 'status', status }]);
		const { succeeded } = await runCstarBulk(closeAll(tickets(2)));
		expect(succeeded).toHaveLength(2);
		expect(bulkBodies()).toHaveLength(2);
	});

	it('413 halves the call down to what cStar takes; every id confirmed, applied once', async () => {
		emu.faults.set({ maxBulkIds: 2 });
		const ids = tickets(7);
		const { succeeded, failed } = await runCstarBulk(closeAll(ids));
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(7);
		for (const id of ids) expect(emu.appliedCount('tickets', id)).toBe(1);
	});

	it('413 for a single id fails that id with request_too_large and says why', async () => {
		emu.faults.script([{ type: 'status', status: 413 }]);
		const { failed } = await runCstarBulk(closeAll(tickets(1)));
		expect(codes(failed)).toEqual(['request_too_large']);
		expect(messages(failed)[0]).toMatch(/split the batch down to single ids/);
		expect(messages(failed)[0]).not.toMatch(/fix the value/);
	});

	it('a 404 with cStar’s envelope fails that call’s ids with cStar’s code; the run goes on', async () => {
		const envelope = { success: false, error: { code: 'resource_missing', message: 'Gone' } };
		emu.faults.script([{ type: 'status', status: 404, body: envelope }]);
		const ids = tickets(3);
		const { succeeded, failed } = await runCstarBulk(closeAll(ids, { batchSize: 1 }));
		expect(codes(failed)).toEqual(['resource_missing']);
		expect(succeeded).toHaveLength(2);
	});

	it('a 404 without cStar’s envelope stops: Base URL or Team ID wrong', async () => {
		emu.faults.script([{ type: 'status', status: 404, body: 'Not Found' }]);
		const error = await stopped(closeAll(tickets(1)));
		expect(error.message).toMatch(/Nothing answers/);
	});
});

describe('never "not sent" about a call that may have been applied', () => {
	it('lost, then a 400 on the resend: outcome_unknown, never "Nothing in it was changed"', async () => {
		const refusal = { success: false, error: { code: 'parameter_invalid', message: 'bad' } };
		emu.faults.script([{ type: 'dropAfterApply' }, { type: 'status', status: 400, body: refusal }]);
		const { failed } = await runCstarBulk(closeAll(tickets(2)));
		expect(codes(failed)).toEqual(['outcome_unknown', 'outcome_unknown']);
		for (const message of messages(failed)) {
			expect(message).toMatch(/may or may not have changed/);
			expect(message).not.toMatch(/Nothing in it was changed|not sent/i);
		}
	});

	it('lost, then a 401 (key revoked): Stop mode counts them as "may have been changed"', async () => {
		const revoked = { success: false, error: { code: 'invalid_api_key', message: 'revoked' } };
		emu.faults.script([{ type: 'dropAfterApply' }, { type: 'status', status: 401, body: revoked }]);
		const error = await stopped(closeAll(tickets(3)));
		expect(error.description).toMatch(/3 ids may have been changed before the stop/);
	});

	it('lost, then a 401, with Continue: those ids are outcome_unknown, not "not sent"', async () => {
		const revoked = { success: false, error: { code: 'invalid_api_key', message: 'revoked' } };
		emu.faults.script([{ type: 'dropAfterApply' }, { type: 'status', status: 401, body: revoked }]);
		const { failed } = await runCstarBulk(
			closeAll(tickets(3), {}, { onError: 'continueRegularOutput' }),
		);
		expect(codes(failed)).toEqual(['outcome_unknown', 'outcome_unknown', 'outcome_unknown']);
	});
});

describe('when the team lookup fails, ids say they were not sent', () => {
	const lookup = { method: 'GET', pathIncludes: '/auth/whoami' };
	it.each([
		['5xx after retries', () => emu.faults.set({ rate5xx: 1, status: 503, match: lookup })],
		[
			'a 200 without a team id',
			() =>
				emu.faults.script(
					[0, 1].map(() => ({
						type: 'status' as const,
						status: 200,
						body: { data: {} },
						match: lookup,
					})),
				),
		],
		['a 400', () => emu.faults.script([{ type: 'status', status: 400, match: lookup }])],
	])('%s: team_lookup_failed, no bulk call, the fix is Team ID', async (_, fault) => {
		fault();
		const run = closeAll(tickets(2), { maxRetries: 1 }, { onError: 'continueRegularOutput' });
		run.credentials = { ...run.credentials, teamId: '' };
		const { succeeded, failed } = await runCstarBulk(run);
		expect(succeeded).toEqual([]);
		expect(codes(failed)).toEqual(['team_lookup_failed', 'team_lookup_failed']);
		for (const message of messages(failed)) {
			expect(message).toMatch(/no ids were sent/);
			expect(message).toMatch(/whoami/);
			expect(message).toMatch(/Set "Team ID"/);
			expect(message).not.toMatch(/may or may not/);
		}
		expect(bulkBodies()).toEqual([]);
	});
});

describe('rate-limit headers in any sane unit', () => {
	it.each(['epochMs', 'secondsFromNow'] as const)(
		'X-RateLimit-Reset in %s: the pacer waits for the reset, every id confirmed, no 429',
		async (resetUnit) => {
			emu.setRateLimit({ limit: 2, windowSeconds: 1 });
			emu.faults.set({ resetUnit });
			const { succeeded, failed } = await runCstarBulk(closeAll(tickets(5), { batchSize: 1 }));
			expect(failed).toEqual([]);
			expect(succeeded).toHaveLength(5);
			expect(emu.counts().rateLimited).toBe(0);
		},
	);

	it('a negative Retry-After falls through to the body’s retryAfter', async () => {
		emu.faults.script([
			{
				type: 'status',
				status: 429,
				headers: { 'Retry-After': '-1' },
				body: { success: false, error: { code: 'rate_limit_exceeded', retryAfter: 5 } },
			},
		]);
		// 5 s is beyond Max Rate Limit Wait 2 s: read as "-1" (now) it would have been resent.
		const { failed } = await runCstarBulk(closeAll(tickets(1), { maxRateLimitWait: 2 }));
		expect(codes(failed)).toEqual(['rate_limited']);
	});
});

describe('Dry Run applies every check of the real run, and refused ids are shown as given', () => {
	it.each([
		['a publishable key', { apiKey: 'pk_test_abcdefghijklmnopqrstuvwx' }, /publishable key/],
		[
			'a Base URL with a password',
			{ baseUrl: 'https://u:secret@127.0.0.1:1' },
			/user name or password/,
		],
		['a Team ID that is a key', { teamId: 'sk_test_abcdefghijklmnop' }, /looks like an API key/],
	])('stops on %s before any request', async (_, credentials, message) => {
		const run = closeAll(tickets(1), { dryRun: true });
		run.credentials = { ...run.credentials, ...credentials };
		expect((await stopped(run)).message).toMatch(message);
		expect(emu.counts().requests).toBe(0);
	});

	it('shows a control-character id escaped and an over-long id cut with its length', async () => {
		const long = `tkt_${'x'.repeat(400)}`;
		const { failed } = await runCstarBulk(closeAll(['tkt\u0000a', long]));
		expect(failed.map((item) => item.json.id)).toEqual([
			'tkt\\u0000a',
			expect.stringMatching(/^tkt_x{60}…\[cut: 404 characters in all\]$/),
		]);
	});
});
