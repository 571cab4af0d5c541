import { sleep } from 'n8n-workflow';
import { startEmulator } from '../../emulator';
import { bulk, client, expectError, rawClient, teamPath, type Emulator } from './helpers';

describe('emulator: Idempotency-Key', () => {
	let emu: Emulator;
	let now: number;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 20, customers: 5, articles: 5, clock: () => now });
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		now = Date.UTC(2026, 5, 1, 12, 0, 0);
		emu.reset();
		emu.setRateLimit({});
	});

	const bulkPath = () => teamPath(emu, '/bulk');
	const closeBody = (ids: string[]) =>
		JSON.stringify({ action: 'update', resource: 'tickets', ids, data: { status: 'closed' } });
	const post = (body: string, key: string, apiKey = emu.keys.secret) =>
		rawClient(emu, apiKey).post(bulkPath(), body, {
			headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' },
		});

	it('replays the stored status and body byte for byte, without applying again', async () => {
		const ids = emu.store.ids('tickets').slice(0, 3);
		const first = await post(closeBody(ids), 'job-1');
		now += 60_000;
		const second = await post(closeBody(ids), 'job-1');
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		expect(second.data).toBe(first.data);
		expect(emu.counts()).toMatchObject({ idsApplied: 3, idsAppliedTwice: 0, bulkCalls: 2 });
		expect(emu.log.map((e) => Boolean(e.replayed))).toEqual([false, true]);
		// The replay is a request like any other for the rate limit.
		expect(Number(second.headers['x-ratelimit-remaining'])).toBe(
			Number(first.headers['x-ratelimit-remaining']) - 1,
		);
	});

	it('without a key, the same request is applied twice', async () => {
		const ids = emu.store.ids('tickets').slice(0, 2);
		await bulk(emu, JSON.parse(closeBody(ids)));
		await bulk(emu, JSON.parse(closeBody(ids)));
		expect(emu.counts()).toMatchObject({ idsApplied: 4, idsAppliedTwice: 2 });
	});

	it('refuses the same key with a different body: 409 idempotency_key_reused', async () => {
		const ids = emu.store.ids('tickets');
		await post(closeBody(ids.slice(0, 2)), 'job-2');
		const reused = await client(emu).post(bulkPath(), JSON.parse(closeBody(ids.slice(2, 4))), {
			headers: { 'Idempotency-Key': 'job-2' },
		});
		expectError(reused, 409, 'invalid_request_error', 'idempotency_key_reused');
		expect(emu.appliedCount('tickets', ids[2])).toBe(0);
	});

	it('replays stored 400s too (the handler produced them)', async () => {
		const bad = JSON.stringify({ action: 'update', resource: 'tickets', ids: ['tkt_1'] });
		const first = await post(bad, 'job-3');
		const second = await post(bad, 'job-3');
		expect(first.status).toBe(400);
		expect(second.data).toBe(first.data);
	});

	it('scopes keys by API key, method and path', async () => {
		const [a, b] = emu.store.ids('tickets');
		await post(closeBody([a]), 'shared');
		const otherApiKey = await post(closeBody([a]), 'shared', emu.keys.secretLive);
		expect(JSON.parse(otherApiKey.data).data.failed).toBe(1); // a fresh request in live, where a doesn't exist
		const patchA = await client(emu).patch(
			teamPath(emu, `/tickets/${a}`),
			{ priority: 'low' },
			{ headers: { 'Idempotency-Key': 'shared' } },
		);
		const patchB = await client(emu).patch(
			teamPath(emu, `/tickets/${b}`),
			{ priority: 'low' },
			{ headers: { 'Idempotency-Key': 'shared' } },
		);
		expect([patchA.status, patchB.status]).toEqual([200, 200]);
		expect(emu.appliedCount('tickets', b)).toBe(1);
	});

	it('works on PATCH, and DELETE ignores it', async () => {
		const [a, b] = emu.store.ids('tickets');
		const patch = () =>
			rawClient(emu).patch(
				teamPath(emu, `/tickets/${a}`),
				{ status: 'pending' },
				{ headers: { 'Idempotency-Key': 'p-1' } },
			);
		const first = await patch();
		const second = await patch();
		expect(second.data).toBe(first.data);
		expect(emu.appliedCount('tickets', a)).toBe(1);
		const del = () =>
			client(emu).delete(teamPath(emu, `/tickets/${b}`), { headers: { 'Idempotency-Key': 'd-1' } });
		expect((await del()).status).toBe(200);
		expect((await del()).status).toBe(404);
	});

	it('forgets a key after 24 hours', async () => {
		const ids = emu.store.ids('tickets').slice(0, 1);
		await post(closeBody(ids), 'job-4');
		now += 24 * 3600 * 1000 - 1;
		await post(closeBody(ids), 'job-4');
		expect(emu.appliedCount('tickets', ids[0])).toBe(1);
		now += 1;
		await post(closeBody(ids), 'job-4');
		expect(emu.appliedCount('tickets', ids[0])).toBe(2);
	});

	it('409 idempotency_key_in_use while the first request is still in flight, then replays', async () => {
		const ids = emu.store.ids('tickets').slice(0, 2);
		emu.faults.script([{ type: 'slow', delayMs: 400 }]);
		const first = post(closeBody(ids), 'job-5');
		await sleep(100);
		const concurrent = await client(emu).post(bulkPath(), JSON.parse(closeBody(ids)), {
			headers: { 'Idempotency-Key': 'job-5' },
		});
		expectError(concurrent, 409, 'invalid_request_error', 'idempotency_key_in_use');
		const firstResponse = await first;
		const replay = await post(closeBody(ids), 'job-5');
		expect(replay.data).toBe(firstResponse.data);
		expect(emu.counts().idsAppliedTwice).toBe(0);
	});

	it('does not store injected 5xx: a retry with the same key succeeds and applies once', async () => {
		const ids = emu.store.ids('tickets').slice(0, 2);
		emu.faults.script([{ type: 'status', status: 503 }]);
		expect((await post(closeBody(ids), 'job-6')).status).toBe(503);
		const retry = await post(closeBody(ids), 'job-6');
		expect(retry.status).toBe(200);
		expect(JSON.parse(retry.data).data.succeeded).toBe(2);
		expect(emu.counts()).toMatchObject({ idsApplied: 2, idsAppliedTwice: 0 });
	});

	it('does not store 429s: after the window, a retry with the same key is processed', async () => {
		emu.setRateLimit({ limit: 1, windowSeconds: 60 });
		const ids = emu.store.ids('tickets').slice(0, 1);
		await client(emu).get('/api/v1/auth/whoami');
		expect((await post(closeBody(ids), 'job-7')).status).toBe(429);
		now += 60_000;
		const retry = await post(closeBody(ids), 'job-7');
		expect(retry.status).toBe(200);
		expect(emu.appliedCount('tickets', ids[0])).toBe(1);
	});
});
