import { startEmulator } from '../../emulator';
import { client, expectError, teamPath, bulk, type Emulator } from './helpers';

describe('emulator: auth, envelope and routing', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 20, customers: 10, articles: 5 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('issues keys in the documented format, and a UUID team id', () => {
		for (const key of Object.values(emu.keys))
			expect(key).toMatch(/^(sk|pk)_(live|test)_[A-Za-z0-9_-]{32}$/);
		expect(emu.keys.secret.startsWith('sk_test_')).toBe(true);
		expect(emu.keys.secretLive.startsWith('sk_live_')).toBe(true);
		expect(emu.keys.publishable.startsWith('pk_test_')).toBe(true);
		expect(emu.teamId).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	it('whoami answers with the documented shape for each key type and environment', async () => {
		const secret = await client(emu).get('/api/v1/auth/whoami');
		expect(secret.status).toBe(200);
		expect(secret.data).toEqual({
			success: true,
			data: {
				teamId: emu.teamId,
				teamName: 'Acme Corp',
				teamSlug: 'acme',
				keyType: 'secret',
				environment: 'test',
			},
			meta: { requestId: expect.stringMatching(/^req_/), timestamp: expect.stringMatching(/Z$/) },
		});
		const live = await client(emu, emu.keys.secretLive).get('/api/v1/auth/whoami');
		expect(live.data.data).toMatchObject({ keyType: 'secret', environment: 'live' });
		const publishable = await client(emu, emu.keys.publishable).get('/api/v1/auth/whoami');
		expect(publishable.status).toBe(200);
		expect(publishable.data.data).toMatchObject({ keyType: 'publishable', environment: 'test' });
		const other = await client(emu, emu.keys.otherTeam).get('/api/v1/auth/whoami');
		expect(other.data.data.teamId).not.toBe(emu.teamId);
	});

	it('401 authentication_required without a header or with a malformed one', async () => {
		expectError(
			await client(emu, null).get('/api/v1/auth/whoami'),
			401,
			'authentication_error',
			'authentication_required',
		);
		const malformed = [
			`Basic ${emu.keys.secret}`,
			`Bearer  ${emu.keys.secret}`,
			emu.keys.secret,
			'Bearer',
		];
		for (const header of malformed) {
			const response = await client(emu, null).get('/api/v1/auth/whoami', {
				headers: { Authorization: header },
			});
			expectError(response, 401, 'authentication_error', 'authentication_required');
		}
	});

	it('401 invalid_key_format for a token without a documented prefix', async () => {
		const wrongPrefix = 'xk_test_' + emu.keys.secret.slice(8);
		expectError(
			await client(emu, wrongPrefix).get('/api/v1/auth/whoami'),
			401,
			'authentication_error',
			'invalid_key_format',
		);
		expectError(
			await client(emu, 'not-a-key').get('/api/v1/auth/whoami'),
			401,
			'authentication_error',
			'invalid_key_format',
		);
	});

	it('401 invalid_api_key for unknown, truncated and padded keys', async () => {
		const unknown = 'sk_test_' + 'A1'.repeat(16);
		for (const candidate of [unknown, emu.keys.secret.slice(0, -1), emu.keys.secret + 'x']) {
			expectError(
				await client(emu, candidate).get('/api/v1/auth/whoami'),
				401,
				'authentication_error',
				'invalid_api_key',
			);
		}
	});

	it('401 invalid_api_key after a key is revoked, until reset', async () => {
		expect((await client(emu).get(teamPath(emu, '/tickets'))).status).toBe(200);
		emu.revokeKey(emu.keys.secret);
		expectError(
			await client(emu).get(teamPath(emu, '/tickets')),
			401,
			'authentication_error',
			'invalid_api_key',
		);
		expect((await client(emu, emu.keys.secretLive).get(teamPath(emu, '/tickets'))).status).toBe(
			200,
		);
		emu.reset();
		expect((await client(emu).get(teamPath(emu, '/tickets'))).status).toBe(200);
		expect(() => emu.revokeKey('sk_test_' + 'b'.repeat(32))).toThrow();
	});

	it('403 publishable_key_write for every write with a publishable key, with the documented message', async () => {
		const [id] = emu.store.ids('tickets');
		const pk = client(emu, emu.keys.publishable);
		const writes = [
			await bulk(
				emu,
				{ action: 'delete', resource: 'tickets', ids: [id] },
				{ apiKey: emu.keys.publishable },
			),
			await pk.patch(teamPath(emu, `/tickets/${id}`), { status: 'closed' }),
			await pk.delete(teamPath(emu, `/tickets/${id}`)),
		];
		for (const response of writes) {
			expectError(response, 403, 'authentication_error', 'publishable_key_write');
			expect(response.data.error.message).toBe(
				'Publishable keys (pk_live_) are read-only. Use a secret key (sk_live_) for write operations',
			);
		}
		expect(emu.store.get('tickets', id)).toBeDefined();
		expect((await pk.get(teamPath(emu, '/tickets'))).status).toBe(200);
		expect((await pk.get(teamPath(emu, `/tickets/${id}`))).status).toBe(200);
	});

	it("403 team_access_denied for another team's key and for an unknown team id", async () => {
		const otherKey = await client(emu, emu.keys.otherTeam).get(teamPath(emu, '/tickets'));
		expectError(otherKey, 403, 'authentication_error', 'team_access_denied');
		const otherBulk = await bulk(
			emu,
			{ action: 'delete', resource: 'tickets', ids: emu.store.ids('tickets') },
			{ apiKey: emu.keys.otherTeam },
		);
		expectError(otherBulk, 403, 'authentication_error', 'team_access_denied');
		expect(emu.store.ids('tickets')).toHaveLength(20);
		const unknownTeam = await client(emu).get(
			'/api/v1/teams/00000000-0000-4000-8000-000000000000/tickets',
		);
		expectError(unknownTeam, 403, 'authentication_error', 'team_access_denied');
		const slug = await client(emu).get('/api/v1/teams/acme/tickets');
		expectError(slug, 403, 'authentication_error', 'team_access_denied');
	});

	it('keeps test and live data apart', async () => {
		const testIds = emu.store.ids('tickets', 'test');
		const liveIds = emu.store.ids('tickets', 'live');
		expect(testIds.filter((id) => liveIds.includes(id))).toEqual([]);
		const live = client(emu, emu.keys.secretLive);
		expectError(
			await live.get(teamPath(emu, `/tickets/${testIds[0]}`)),
			404,
			'not_found_error',
			'resource_missing',
		);
		const liveBulk = await bulk(
			emu,
			{ action: 'delete', resource: 'tickets', ids: [testIds[0]] },
			{ apiKey: emu.keys.secretLive },
		);
		expect(liveBulk.data.data).toMatchObject({ succeeded: 0, failed: 1 });
		expect(emu.store.get('tickets', testIds[0], 'test')).toBeDefined();
		const liveDelete = await bulk(
			emu,
			{ action: 'delete', resource: 'tickets', ids: [liveIds[0]] },
			{ apiKey: emu.keys.secretLive },
		);
		expect(liveDelete.data.data.succeeded).toBe(1);
		expect(emu.store.get('tickets', liveIds[0], 'live')).toBeUndefined();
	});

	it('404 not_found_error for unknown routes and methods', async () => {
		const api = client(emu);
		const unknown = [
			await api.get('/api/v1/nope'),
			await api.get(teamPath(emu, '/widgets')),
			await api.get(teamPath(emu, '/bulk')),
			await api.put(teamPath(emu, '/tickets/tkt_1'), {}),
			await api.post(teamPath(emu, '/tickets'), {}),
			await api.get('/'),
		];
		for (const response of unknown)
			expectError(response, 404, 'not_found_error', 'route_not_found');
	});

	it('checks the key before the route, and answers JSON with request ids that differ per request', async () => {
		expectError(
			await client(emu, null).get('/api/v1/nope'),
			401,
			'authentication_error',
			'authentication_required',
		);
		const a = await client(emu).get('/api/v1/auth/whoami');
		const b = await client(emu).get('/api/v1/auth/whoami');
		expect(a.headers['content-type']).toMatch(/^application\/json/);
		expect(a.data.meta.requestId).not.toBe(b.data.meta.requestId);
	});
});
