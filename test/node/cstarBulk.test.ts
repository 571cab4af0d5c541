import axios from 'axios';
import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import { bulkCalls, type Emulator } from '../support/common';
import { runCstarBulk, type NodeRun } from '../support/executeContext';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 7, tickets: 400, customers: 50, articles: 20 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

const ticketIds = (count: number, from = 0) => emu.store.ids('tickets').slice(from, from + count);
const credentials = (overrides: Record<string, string> = {}) => ({
	apiKey: emu.keys.secret,
	teamId: emu.teamId,
	baseUrl: emu.url,
	...overrides,
});
const pairs = (items: INodeExecutionData[]) =>
	items.map((item) => [(item.pairedItem as { item: number }).item, item.json.id]);

/** One input item per id, updating tickets with the given data; `extra.parameters` override the defaults. */
function updateRun(
	ids: unknown[],
	data: Record<string, unknown> = { status: 'closed' },
	extra: { parameters?: NodeRun['parameters']; onError?: NodeRun['onError'] } = {},
): NodeRun {
	return {
		items: ids.map((id) => ({ json: { id } as never })),
		parameters: {
			resource: 'ticket',
			operation: 'update',
			ids: (i: number) => ids[i],
			dataMode: 'fields',
			updateFields: data,
			options: {},
			...extra.parameters,
		},
		credentials: credentials(),
		onError: extra.onError,
	};
}

describe('Cstar Bulk against the emulator', () => {
	it('updates 250 tickets named by 250 items in 3 calls, one output per id, paired and applied once', async () => {
		const ids = ticketIds(250);
		const { succeeded, failed } = await runCstarBulk(updateRun(ids));

		expect(failed).toEqual([]);
		expect(pairs(succeeded)).toEqual(ids.map((id, i) => [i, id]));
		expect(succeeded[0].json).toMatchObject({
			id: ids[0],
			resource: 'tickets',
			action: 'update',
			status: 'succeeded',
		});
		expect(bulkCalls(emu).map((call) => (call.body as { ids: string[] }).ids.length)).toEqual([
			100, 100, 50,
		]);
		for (const id of ids) {
			expect(emu.store.get('tickets', id)?.status).toBe('closed');
			expect(emu.appliedCount('tickets', id)).toBe(1);
		}
		expect(emu.counts().idsAppliedTwice).toBe(0);
	});

	it('sends what the docs show: action, resource, ids, data, with the bearer key and an Idempotency-Key', async () => {
		const ids = ticketIds(2);
		await runCstarBulk(updateRun(ids, { priority: 'high', tags: 'vip, billing' }));
		const [call] = bulkCalls(emu);
		expect(call.path).toBe(`/api/v1/teams/${emu.teamId}/bulk`);
		expect(call.body).toEqual({
			action: 'update',
			resource: 'tickets',
			ids,
			data: { priority: 'high', tags: ['vip', 'billing'] },
		});
		expect(call.headers.authorization).toBe(`Bearer ${emu.keys.secret}`);
		expect(call.headers['idempotency-key']).toMatch(/^n8n-cstar-[0-9a-f]{40}$/);
	});

	it('deletes customers, and unknown ids fail with cStar code while the rest succeed', async () => {
		const known = emu.store.ids('customers').slice(0, 3);
		const ids = [known[0], 'cus_doesnotexist', known[1], known[2]];
		const { succeeded, failed } = await runCstarBulk({
			items: 1,
			parameters: { resource: 'customer', operation: 'delete', ids: ids.join('\n'), options: {} },
			credentials: credentials(),
		});
		expect(succeeded.map((item) => item.json.id)).toEqual(known);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({
			id: 'cus_doesnotexist',
			resource: 'customers',
			action: 'delete',
			status: 'failed',
		});
		expect((failed[0].json.error as { code: string }).code).toBe('resource_missing');
		for (const id of known) expect(emu.store.get('customers', id)).toBeUndefined();
	});

	it('with Succeeded Output "One Summary Item", counts the confirmed ids in one item and lists each failed id', async () => {
		const ids = [...ticketIds(250), 'tkt_doesnotexist'];
		const { succeeded, failed } = await runCstarBulk(
			updateRun(
				ids,
				{ status: 'closed' },
				{ parameters: { options: { succeededOutput: 'summary' } } },
			),
		);
		expect(succeeded).toHaveLength(1);
		expect(succeeded[0].json).toEqual({
			resource: 'tickets',
			action: 'update',
			status: 'succeeded',
			succeeded: 250,
			failed: 1,
		});
		expect(succeeded[0].pairedItem).toEqual(ids.slice(0, 250).map((_, item) => ({ item })));
		expect(pairs(failed)).toEqual([[250, 'tkt_doesnotexist']]);
		expect(emu.counts().idsAppliedTwice).toBe(0);
		for (const id of ids.slice(0, 250)) expect(emu.appliedCount('tickets', id)).toBe(1);
	});

	it('sends items with different data in different calls and equal data together', async () => {
		const ids = ticketIds(4);
		const priorities = ['high', 'low', 'high', 'urgent'];
		const { succeeded } = await runCstarBulk(
			updateRun(
				ids,
				{},
				{ parameters: { updateFields: (i: number) => ({ priority: priorities[i] }) } },
			),
		);
		expect(succeeded).toHaveLength(4);
		expect(bulkCalls(emu).map((call) => call.body)).toEqual([
			{ action: 'update', resource: 'tickets', ids: [ids[0], ids[2]], data: { priority: 'high' } },
			{ action: 'update', resource: 'tickets', ids: [ids[1]], data: { priority: 'low' } },
			{ action: 'update', resource: 'tickets', ids: [ids[3]], data: { priority: 'urgent' } },
		]);
		ids.forEach((id, i) => expect(emu.store.get('tickets', id)?.priority).toBe(priorities[i]));
	});

	it('sends a duplicated id once and gives its result to every item that named it', async () => {
		const [a, b] = ticketIds(2);
		const { succeeded } = await runCstarBulk(updateRun([a, `${a}, ${b}`, b]));
		expect(pairs(succeeded)).toEqual([
			[0, a],
			[1, a],
			[1, b],
			[2, b],
		]);
		expect(bulkCalls(emu)).toHaveLength(1);
		expect((bulkCalls(emu)[0].body as { ids: string[] }).ids).toEqual([a, b]);
	});

	it('without deduplication sends each occurrence, in separate calls', async () => {
		const [a] = ticketIds(1);
		const { succeeded } = await runCstarBulk(
			updateRun([a, a], { status: 'open' }, { parameters: { options: { deduplicate: false } } }),
		);
		expect(succeeded).toHaveLength(2);
		expect(bulkCalls(emu).map((call) => (call.body as { ids: string[] }).ids)).toEqual([[a], [a]]);
	});

	it('splits one item naming 230 ids across calls, and respects a smaller batch size', async () => {
		const ids = ticketIds(230);
		const { succeeded } = await runCstarBulk({
			items: 1,
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ids,
				dataMode: 'fields',
				updateFields: { status: 'pending' },
				options: { batchSize: 50 },
			},
			credentials: credentials(),
		});
		expect(succeeded).toHaveLength(230);
		expect(succeeded.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(bulkCalls(emu).map((call) => (call.body as { ids: string[] }).ids.length)).toEqual([
			50, 50, 50, 50, 30,
		]);
	});

	it('routes bad input items to Failed with a clear code and sends nothing for them', async () => {
		const [a, b] = ticketIds(2);
		const { succeeded, failed } = await runCstarBulk(
			updateRun([a, '', { nested: true }, b, 'x\u0000y']),
		);
		expect(pairs(succeeded)).toEqual([
			[0, a],
			[3, b],
		]);
		expect(
			failed.map((item) => [
				(item.pairedItem as { item: number }).item,
				(item.json.error as { code: string }).code,
			]),
		).toEqual([
			[1, 'missing_id'],
			[2, 'invalid_id'],
			[4, 'invalid_id'],
		]);
		expect((bulkCalls(emu)[0].body as { ids: string[] }).ids).toEqual([a, b]);
	});

	it('routes an item with invalid JSON data to Failed and updates the others', async () => {
		const [a, b] = ticketIds(2);
		const json = ['{"status":"closed"}', '{"status":'];
		const { succeeded, failed } = await runCstarBulk(
			updateRun([a, b], {}, { parameters: { dataMode: 'json', jsonData: (i: number) => json[i] } }),
		);
		expect(pairs(succeeded)).toEqual([[0, a]]);
		expect(failed[0].json).toMatchObject({
			id: b,
			status: 'failed',
			error: { code: 'invalid_json' },
		});
		expect(emu.store.get('tickets', b)?.status).not.toBe('closed');
	});

	it('stops with a clear error when there is nothing to update, or routes to Failed on Continue', async () => {
		const ids = ticketIds(2);
		await expect(runCstarBulk(updateRun(ids, {}))).rejects.toThrow(NodeOperationError);
		await expect(runCstarBulk(updateRun(ids, {}))).rejects.toThrow('No fields to update');
		const { failed } = await runCstarBulk(updateRun(ids, {}, { onError: 'continueRegularOutput' }));
		expect(failed.map((item) => (item.json.error as { code: string }).code)).toEqual([
			'no_update_fields',
			'no_update_fields',
		]);
		expect(bulkCalls(emu)).toHaveLength(0);
	});

	it('fails a call cStar refuses (bad field value) with its code, and the other calls go on', async () => {
		const [a, b] = ticketIds(2);
		const statuses = ['closed', 'bogus'];
		const { succeeded, failed } = await runCstarBulk(
			updateRun(
				[a, b],
				{},
				{ parameters: { updateFields: (i: number) => ({ status: statuses[i] }) } },
			),
		);
		expect(pairs(succeeded)).toEqual([[0, a]]);
		expect(failed[0].json).toMatchObject({
			id: b,
			error: { code: 'parameter_invalid', httpStatus: 400 },
		});
		expect((failed[0].json.error as { message: string }).message).toMatch(/data\.status/);
	});

	it('dry run sends nothing and reports the planned calls', async () => {
		const ids = ticketIds(150);
		const { succeeded, failed } = await runCstarBulk(
			updateRun([...ids, ''], { status: 'closed' }, { parameters: { options: { dryRun: true } } }),
		);
		expect(emu.counts().requests).toBe(0);
		expect(succeeded).toHaveLength(150);
		expect(succeeded[0].json).toMatchObject({
			status: 'dryRun',
			batch: 0,
			data: { status: 'closed' },
		});
		expect(succeeded[149].json).toMatchObject({ status: 'dryRun', batch: 1 });
		expect(failed).toHaveLength(1);
	});

	it('discovers the team from the key once per run when Team ID is empty', async () => {
		const ids = ticketIds(120);
		const { succeeded } = await runCstarBulk({
			...updateRun(ids),
			credentials: credentials({ teamId: '', baseUrl: `${emu.url}/` }),
		});
		expect(succeeded).toHaveLength(120);
		expect(emu.log.filter((entry) => entry.path === '/api/v1/auth/whoami')).toHaveLength(1);
		expect(bulkCalls(emu)).toHaveLength(2);
	});

	it('reads a plain {{ $json.field }} from the items without evaluating it per item', async () => {
		const ids = ticketIds(3);
		const { succeeded } = await runCstarBulk({
			items: ids.map((ticketId) => ({ json: { 'ticket id': ticketId } })),
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ids: () => {
					throw new Error('evaluated per item');
				},
				dataMode: 'fields',
				updateFields: { status: 'pending' },
				options: {},
			},
			rawParameters: { ids: '={{ $json["ticket id"] }}' },
			credentials: credentials(),
		});
		expect(pairs(succeeded)).toEqual(ids.map((id, i) => [i, id]));
		ids.forEach((id) => expect(emu.store.get('tickets', id)?.status).toBe('pending'));
	});

	it('gives the same results with 4 parallel requests', async () => {
		const ids = ticketIds(400);
		const { succeeded, failed } = await runCstarBulk(
			updateRun(ids, { status: 'resolved' }, { parameters: { options: { parallelRequests: 4 } } }),
		);
		expect(failed).toEqual([]);
		expect(pairs(succeeded)).toEqual(ids.map((id, i) => [i, id]));
		expect(emu.counts().idsAppliedTwice).toBe(0);
	});
});

describe('retries, rate limits and idempotency', () => {
	it('retries a 503 and a dropped connection with the same Idempotency-Key', async () => {
		emu.faults.script([{ type: 'status', status: 503 }, { type: 'drop' }]);
		const ids = ticketIds(3);
		const { succeeded } = await runCstarBulk(updateRun(ids));
		expect(succeeded).toHaveLength(3);
		const keys = bulkCalls(emu).map((call) => call.headers['idempotency-key']);
		expect(keys).toHaveLength(3);
		expect(new Set(keys).size).toBe(1);
	});

	it('does not apply twice when the answer is lost after cStar applied the change', async () => {
		emu.faults.script([{ type: 'dropAfterApply' }]);
		const ids = ticketIds(5);
		const { succeeded } = await runCstarBulk(updateRun(ids));
		expect(succeeded).toHaveLength(5);
		expect(bulkCalls(emu)).toHaveLength(2);
		ids.forEach((id) => expect(emu.appliedCount('tickets', id)).toBe(1));
	});

	it('retries a response slower than the timeout without applying twice', async () => {
		emu.faults.script([{ type: 'slow', delayMs: 1500 }]);
		const ids = ticketIds(2);
		const { succeeded } = await runCstarBulk(
			updateRun(ids, { status: 'closed' }, { parameters: { options: { timeout: 1000 } } }),
		);
		expect(succeeded).toHaveLength(2);
		ids.forEach((id) => expect(emu.appliedCount('tickets', id)).toBe(1));
	});

	it("replays when n8n re-runs the node in the same run, but applies again in a loop's next run", async () => {
		const [id] = ticketIds(1);
		const reopen = async () => {
			await axios.patch(
				`${emu.url}/api/v1/teams/${emu.teamId}/tickets/${id}`,
				{ status: 'open' },
				{ headers: { Authorization: `Bearer ${emu.keys.secret}` } },
			);
		};
		await runCstarBulk({ ...updateRun([id]), runIndex: 0 });
		await reopen();
		const retried = await runCstarBulk({ ...updateRun([id]), runIndex: 0 });
		expect(retried.succeeded).toHaveLength(1);
		expect(bulkCalls(emu).at(-1)?.replayed).toBe(true);

		await runCstarBulk({ ...updateRun([id]), runIndex: 1 });
		expect(bulkCalls(emu).at(-1)?.replayed).toBeFalsy();
		expect(emu.store.get('tickets', id)?.status).toBe('closed');
		expect(emu.appliedCount('tickets', id)).toBe(3);
	});

	it('gives up after maxRetries with outcome_unknown, and never calls it a success', async () => {
		emu.faults.set({ rate5xx: 1, status: 500 });
		const ids = ticketIds(2);
		const { succeeded, failed } = await runCstarBulk(
			updateRun(ids, { status: 'closed' }, { parameters: { options: { maxRetries: 1 } } }),
		);
		expect(succeeded).toEqual([]);
		expect(failed.map((item) => (item.json.error as { code: string }).code)).toEqual([
			'outcome_unknown',
			'outcome_unknown',
		]);
		expect(bulkCalls(emu)).toHaveLength(2);
	});

	it('waits out a 429 as Retry-After says, then succeeds', async () => {
		emu.faults.script([{ type: 'rateLimit', retryAfter: 1 }]);
		const started = Date.now();
		const { succeeded } = await runCstarBulk(updateRun(ticketIds(2)));
		expect(succeeded).toHaveLength(2);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(emu.counts().rateLimited).toBe(1);
	});

	it('paces calls on X-RateLimit-Remaining instead of spending requests on 429s', async () => {
		emu.setRateLimit({ limit: 2, windowSeconds: 2 });
		const ids = ticketIds(5);
		const { succeeded } = await runCstarBulk(
			updateRun(ids, { status: 'closed' }, { parameters: { options: { batchSize: 1 } } }),
		);
		expect(succeeded).toHaveLength(5);
		expect(emu.counts().rateLimited).toBe(0);
		expect(bulkCalls(emu)).toHaveLength(5);
	});

	it('fails with rate_limited when the wait would pass Max Rate Limit Wait', async () => {
		emu.faults.script([{ type: 'rateLimit', retryAfter: 120 }]);
		const ids = ticketIds(2);
		const { failed } = await runCstarBulk(
			updateRun(ids, { status: 'closed' }, { parameters: { options: { maxRateLimitWait: 5 } } }),
		);
		expect(failed.map((item) => (item.json.error as { code: string }).code)).toEqual([
			'rate_limited',
			'rate_limited',
		]);
		expect((failed[0].json.error as { message: string }).message).toMatch(/Max Rate Limit Wait/);
	});

	it.each(['byIndex', 'strings'] as const)(
		'attributes failures when cStar lists errors %s',
		async (shape) => {
			emu.setErrorsShape(shape);
			const [a, b] = ticketIds(2);
			const { succeeded, failed } = await runCstarBulk(updateRun([a, 'tkt_missing', b]));
			expect(succeeded.map((item) => item.json.id)).toEqual([a, b]);
			expect(failed.map((item) => item.json.id)).toEqual(['tkt_missing']);
		},
	);

	it('reports outcome_unknown, not success, when cStar only counts the failures', async () => {
		emu.setErrorsShape('countsOnly');
		const [a, b] = ticketIds(2);
		const { succeeded, failed } = await runCstarBulk(updateRun([a, 'tkt_missing', b]));
		expect(succeeded).toEqual([]);
		expect(failed.map((item) => (item.json.error as { code: string }).code)).toEqual([
			'outcome_unknown',
			'outcome_unknown',
			'outcome_unknown',
		]);
	});
});

describe('stops on a wrong key, team or base URL, with what to do', () => {
	const stopped = async (run: NodeRun) => {
		try {
			await runCstarBulk(run);
		} catch (error) {
			return error as NodeApiError;
		}
		throw new Error('the node did not stop');
	};

	it('a revoked or mistyped key stops the node with a NodeApiError saying how to fix it', async () => {
		const badKey = 'sk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
		const error = await stopped({
			...updateRun(ticketIds(2)),
			credentials: credentials({ apiKey: badKey }),
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/did not accept the API key/);
		expect(error.description).toMatch(/secret key/);
		expect(JSON.stringify(error)).not.toContain(badKey);
	});

	it('a publishable key is refused before anything is sent', async () => {
		const error = await stopped({
			...updateRun(ticketIds(2)),
			credentials: credentials({ apiKey: emu.keys.publishable }),
		});
		expect(error.message).toMatch(/publishable key/);
		expect(emu.counts().requests).toBe(0);
	});

	it('a key of another team gives team_access_denied with the fix', async () => {
		const error = await stopped({
			...updateRun(ticketIds(2)),
			credentials: credentials({ apiKey: emu.keys.otherTeam }),
		});
		expect(error.message).toMatch(/does not belong to team/);
		expect(error.description).toMatch(/Team ID/);
	});

	it('a base URL where nothing listens stops with cstar_unreachable', async () => {
		const error = await stopped({
			...updateRun(
				ticketIds(1),
				{ status: 'closed' },
				{ parameters: { options: { maxRetries: 0 } } },
			),
			credentials: credentials({ baseUrl: 'http://127.0.0.1:9' }),
		});
		expect(error.message).toMatch(/Could not reach cStar/);
	});

	it('a base URL that is not the API stops with api_not_found', async () => {
		const error = await stopped({
			...updateRun(ticketIds(1)),
			credentials: credentials({ baseUrl: `${emu.url}/nothing-here` }),
		});
		expect(error.message).toMatch(/Nothing answers/);
	});

	it.each([
		['ftp://example.com', /uses ftp: instead of http\(s\)/],
		['not a url', /is not a web address/],
		[`${'http://127.0.0.1:1'}/?x=1`, /has a query string/],
		[`${'http://127.0.0.1:1'}/api#top`, /has a fragment/],
		['https://ops:hunter2secret@127.0.0.1:1', /carries a user name or password/],
	])('refuses base URL %s before sending, never quoting a password', async (baseUrl, message) => {
		const error = await stopped({
			...updateRun(ticketIds(1)),
			credentials: credentials({ baseUrl }),
		});
		expect(error.message).toMatch(message);
		expect(error.message).not.toMatch(/not an http\(s\) address/);
		expect(JSON.stringify([error.message, error.description])).not.toContain('hunter2');
		expect(emu.counts().requests).toBe(0);
	});

	it.each(['sk_test_abcdefghijklmnop1234', 'pk_live_abcdefghijklmnop1234'])(
		'refuses a Team ID that looks like a key (%s) and never echoes it',
		async (teamId) => {
			const error = await stopped({
				...updateRun(ticketIds(1)),
				credentials: credentials({ teamId }),
			});
			expect(error.message).toMatch(/looks like an API key/);
			expect(JSON.stringify([error.message, error.description])).not.toContain('abcdefghijklmnop');
			expect(emu.counts().requests).toBe(0);
		},
	);

	it.each(['../admin', 'team?x=1', 'a#b', 'a%2Fb', 'a b'])(
		'refuses team id %p that could change the path',
		async (teamId) => {
			const error = await stopped({
				...updateRun(ticketIds(1)),
				credentials: credentials({ teamId }),
			});
			expect(error.message).toMatch(/not a cStar team id/);
			expect(emu.counts().requests).toBe(0);
		},
	);

	it('a redirect is not followed, so the key never goes to another host', async () => {
		emu.faults.script([
			{ type: 'status', status: 302, headers: { location: 'http://127.0.0.2:9/steal' } },
		]);
		const error = await stopped(updateRun(ticketIds(1)));
		expect(error.message).toMatch(/redirect/);
		expect(error.description).toMatch(/127\.0\.0\.2/);
	});

	it('On Error = Continue puts every affected id on Failed with the code', async () => {
		const ids = ticketIds(3);
		const { succeeded, failed } = await runCstarBulk({
			...updateRun(ids),
			credentials: credentials({ apiKey: 'sk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
			onError: 'continueRegularOutput',
		});
		expect(succeeded).toEqual([]);
		expect(pairs(failed)).toEqual(ids.map((id, i) => [i, id]));
		expect(failed[0].json.error).toMatchObject({ code: 'invalid_api_key', httpStatus: 401 });
	});

	it('Continue (using error output) emits {error} items that n8n moves to its Error output', async () => {
		const ids = ticketIds(2);
		const { failed } = await runCstarBulk({
			...updateRun(ids),
			credentials: credentials({ apiKey: emu.keys.otherTeam }),
			onError: 'continueErrorOutput',
		});
		expect(failed).toHaveLength(2);
		for (const item of failed) {
			expect(Object.keys(item.json).sort()).toEqual(['details', 'error', 'message']);
			expect(item.json.details).toMatchObject({ code: 'team_access_denied' });
		}
	});

	it('a key revoked halfway keeps what ran before and stops the rest', async () => {
		const ids = ticketIds(300);
		const revoked = {
			success: false,
			error: {
				type: 'authentication_error',
				code: 'invalid_api_key',
				message: 'Invalid or expired API key',
				request_id: 'req_revoked',
			},
		};
		emu.faults.script([
			{ type: 'slow', delayMs: 0 },
			{ type: 'status', status: 401, body: revoked },
		]);
		const { succeeded, failed } = await runCstarBulk(
			updateRun(ids, { status: 'closed' }, { onError: 'continueRegularOutput' }),
		);
		expect(pairs(succeeded)).toEqual(ids.slice(0, 100).map((id, i) => [i, id]));
		expect(pairs(failed)).toEqual(ids.slice(100).map((id, i) => [i + 100, id]));
		succeeded.forEach((item) =>
			expect(emu.store.get('tickets', item.json.id as string)?.status).toBe('closed'),
		);
		expect(failed[0].json.error).toMatchObject({ code: 'invalid_api_key', httpStatus: 401 });
		expect(bulkCalls(emu)).toHaveLength(2);
	});

	it('stopping after a revoked key says how much was done before', async () => {
		emu.faults.script([
			{ type: 'slow', delayMs: 0 },
			{
				type: 'status',
				status: 401,
				body: { success: false, error: { code: 'invalid_api_key', message: 'revoked' } },
			},
		]);
		const error = await stopped(updateRun(ticketIds(150)));
		expect(error.description).toMatch(/cStar confirmed 100 ids and 0 failed/);
	});
});

describe('the secret key stays secret', () => {
	it('appears in no output item or error message, whatever happens', async () => {
		const key = emu.keys.secret;
		emu.faults.script([
			{ type: 'status', status: 500 },
			{ type: 'rateLimit', retryAfter: 1 },
		]);
		const outputs = await runCstarBulk(
			updateRun(
				[...ticketIds(3), 'tkt_missing', ''],
				{ status: 'closed' },
				{ onError: 'continueRegularOutput' },
			),
		);
		expect(JSON.stringify(outputs)).not.toContain(key);
		expect(JSON.stringify(outputs)).not.toContain(key.slice(8));
	});
});
