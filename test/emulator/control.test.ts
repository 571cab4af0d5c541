import axios from 'axios';
import { sleep } from 'n8n-workflow';
import { startEmulator } from '../../emulator';
import { bulk, client, teamPath, type Emulator } from './helpers';

describe('emulator: inspection and the /__emulator/ control API', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 10, customers: 5, articles: 5 });
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		emu.reset();
		emu.setErrorsShape('byId');
		emu.setRateLimit({});
	});

	const control = () =>
		axios.create({ baseURL: `${emu.url}/__emulator`, validateStatus: () => true });

	it('logs every API request with lower-cased headers as received, body, status and request id', async () => {
		const ids = emu.store.ids('tickets').slice(0, 2);
		const response = await bulk(
			emu,
			{ action: 'delete', resource: 'tickets', ids },
			{ idempotencyKey: 'log-1' },
		);
		await client(emu).get(teamPath(emu, '/tickets'), { params: { pageSize: 2 } });
		expect(emu.log).toHaveLength(2);
		expect(emu.log[0]).toMatchObject({
			seq: 0,
			at: expect.any(Number),
			method: 'POST',
			path: teamPath(emu, '/bulk'),
			query: {},
			body: { action: 'delete', resource: 'tickets', ids },
			status: 200,
			requestId: response.data.meta.requestId,
		});
		expect(emu.log[0].headers).toMatchObject({
			authorization: `Bearer ${emu.keys.secret}`,
			'idempotency-key': 'log-1',
		});
		expect(emu.log[1]).toMatchObject({
			seq: 1,
			method: 'GET',
			query: { pageSize: '2' },
			body: undefined,
		});
	});

	it('logBodies: false keeps bodies out, and logLimit bounds the log', async () => {
		const lean = await startEmulator({
			tickets: 1,
			customers: 0,
			articles: 0,
			logBodies: false,
			logLimit: 8,
		});
		try {
			for (let i = 0; i < 20; i++)
				await bulk(lean, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] });
			expect(lean.log.length).toBeLessThanOrEqual(8);
			expect(lean.log[lean.log.length - 1]).toMatchObject({ seq: 19, body: undefined });
			expect(lean.counts().requests).toBe(20);
		} finally {
			await lean.close();
		}
	});

	it('GET state returns the counts and the emulator description; control calls are not counted', async () => {
		await bulk(emu, {
			action: 'delete',
			resource: 'tickets',
			ids: emu.store.ids('tickets').slice(0, 1),
		});
		const state = await control().get('/state');
		expect(state.status).toBe(200);
		expect(state.data).toEqual({
			requests: 1,
			byStatus: { 200: 1 },
			bulkCalls: 1,
			rateLimited: 0,
			idsApplied: 1,
			idsAppliedTwice: 0,
			dropped: 0,
			emulator: {
				url: emu.url,
				teamId: emu.teamId,
				keys: emu.keys,
				errorsShape: 'byId',
				paginationPlacement: 'both',
				rateLimit: { limit: 1000, windowSeconds: 3600, publishableLimit: 100 },
				pendingFaults: 0,
			},
		});
		expect(emu.counts().requests).toBe(1);
		expect(emu.log).toHaveLength(1);
	});

	it('POST reset reseeds the store and clears log, counts and faults', async () => {
		const ids = emu.store.ids('tickets');
		await bulk(emu, { action: 'delete', resource: 'tickets', ids });
		emu.faults.script([{ type: 'drop' }]);
		expect((await control().post('/reset')).data).toEqual({ ok: true });
		expect(emu.store.ids('tickets')).toEqual(ids);
		expect(emu.log).toHaveLength(0);
		expect(emu.counts()).toMatchObject({ requests: 0, idsApplied: 0 });
		expect(
			(await bulk(emu, { action: 'delete', resource: 'tickets', ids: ids.slice(0, 1) })).status,
		).toBe(200);
	});

	it('a slow answer still pending at reset() is not counted after it', async () => {
		emu.faults.script([{ type: 'slow', delayMs: 200 }]);
		const pending = bulk(emu, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] });
		await sleep(50);
		emu.reset();
		expect((await pending).status).toBe(200);
		expect(emu.counts()).toMatchObject({ requests: 0, byStatus: {} });
		expect(emu.counts().byStatus).toEqual({});
	});

	it('POST faults sets, scripts and clears faults, JSON-safe', async () => {
		const set = await control().post('/faults', {
			script: [
				{ type: 'status', status: 503 },
				{ type: 'bulkResult', patch: { succeeded: 99 } },
			],
		});
		expect(set.data).toEqual({ ok: true, pendingFaults: 2 });
		expect(
			(await bulk(emu, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] })).status,
		).toBe(503);
		expect(
			(await bulk(emu, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] })).data.data
				.succeeded,
		).toBe(99);
		await control().post('/faults', { set: { rate5xx: 1, status: 502 } });
		expect(
			(await bulk(emu, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] })).status,
		).toBe(502);
		await control().post('/faults', { clear: true });
		expect(
			(await bulk(emu, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] })).status,
		).toBe(200);
		const bad = await control().post('/faults', { script: [{ type: 'meltdown' }] });
		expect(bad.status).toBe(400);
		expect(bad.data.error).toMatch(/fault.type/);
	});

	it('POST errors-shape, rate-limit and revoke change the served API', async () => {
		await control().post('/errors-shape', { shape: 'strings' });
		expect(
			(await bulk(emu, { action: 'delete', resource: 'tickets', ids: ['tkt_x'] })).data.data.errors,
		).toEqual(['tkt_x: Ticket not found']);
		expect((await control().post('/errors-shape', { shape: 'nope' })).status).toBe(400);

		const limit = await control().post('/rate-limit', { limit: 1, windowSeconds: 6 });
		expect(limit.data.rateLimit).toEqual({ limit: 1, windowSeconds: 6, publishableLimit: 1 });
		expect((await client(emu).get('/api/v1/auth/whoami')).status).toBe(200);
		expect((await client(emu).get('/api/v1/auth/whoami')).status).toBe(429);

		await control().post('/revoke', { key: emu.keys.secretLive });
		expect(
			(await client(emu, emu.keys.secretLive).get('/api/v1/auth/whoami')).data.error.code,
		).toBe('invalid_api_key');
		expect((await control().post('/revoke', { key: 'sk_test_nope' })).status).toBe(400);
	});

	it('GET log?since=N pages through the log', async () => {
		for (let i = 0; i < 5; i++) await client(emu).get('/api/v1/auth/whoami');
		const all = await control().get('/log');
		expect(all.data.entries.map((e: { seq: number }) => e.seq)).toEqual([0, 1, 2, 3, 4]);
		expect(all.data.next).toBe(5);
		const tail = await control().get('/log', { params: { since: 3 } });
		expect(tail.data.entries.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
		expect(tail.data.entries[0].headers.authorization).toBe(`Bearer ${emu.keys.secret}`);
		const nothingNew = await control().get('/log', { params: { since: 5 } });
		expect(nothingNew.data).toEqual({ entries: [], next: 5 });
		expect((await control().get('/log', { params: { since: 1, limit: 2 } })).data.next).toBe(3);
	});

	it('GET store/:resource[/:id] reads the store', async () => {
		const [id] = emu.store.ids('customers');
		expect((await control().get(`/store/customers/${id}`)).data).toEqual(
			emu.store.get('customers', id),
		);
		expect((await control().get('/store/customers')).data.ids).toEqual(emu.store.ids('customers'));
		const liveId = emu.store.ids('tickets', 'live')[0];
		expect(
			(await control().get(`/store/tickets/${liveId}`, { params: { env: 'live' } })).data.id,
		).toBe(liveId);
		expect((await control().get(`/store/tickets/${liveId}`)).status).toBe(404);
		expect((await control().get('/store/widgets/x')).status).toBe(404);
	});

	it('GET applied reports per-record apply counts', async () => {
		const [a, b] = emu.store.ids('tickets');
		const body = { action: 'update', resource: 'tickets', ids: [a, b], data: { status: 'open' } };
		await bulk(emu, body);
		await bulk(emu, { ...body, ids: [a] });
		expect((await control().get('/applied')).data).toEqual({
			idsApplied: 3,
			idsAppliedTwice: 1,
			applied: { [`tickets:${a}`]: 2, [`tickets:${b}`]: 1 },
		});
		expect(
			(await control().get('/applied', { params: { resource: 'tickets', id: a } })).data,
		).toEqual({ resource: 'tickets', id: a, count: 2 });
	});

	it('unknown control routes are 404 and invalid JSON is 400', async () => {
		expect((await control().get('/nope')).status).toBe(404);
		const invalid = await control().post('/faults', '{', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: (d: unknown) => d,
		});
		expect(invalid.status).toBe(400);
	});
});
