import { sleep } from 'n8n-workflow';
import { startEmulator } from '../../emulator';
import { bulk, client, expectError, rawClient, teamPath, type Emulator } from './helpers';

describe('emulator: fault injection', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 60, customers: 5, articles: 5 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	const closeTickets = (ids: string[]) => ({
		action: 'update',
		resource: 'tickets',
		ids,
		data: { status: 'closed' },
	});
	const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
		const started = Date.now();
		const result = await run();
		return [result, Date.now() - started];
	};

	describe('persistent settings', () => {
		it('latencyMs delays bulk calls only, by default', async () => {
			emu.faults.set({ latencyMs: 150 });
			const [response, bulkMs] = await timed(() =>
				bulk(emu, closeTickets(emu.store.ids('tickets').slice(0, 1))),
			);
			expect(response.status).toBe(200);
			expect(bulkMs).toBeGreaterThanOrEqual(140);
			const [, listMs] = await timed(() => client(emu).get(teamPath(emu, '/tickets')));
			expect(listMs).toBeLessThan(140);
		});

		it('maxBulkIds answers 413 request_too_large to bulk calls naming more ids, unprocessed', async () => {
			emu.faults.set({ maxBulkIds: 2 });
			const ids = emu.store.ids('tickets').slice(0, 3);
			expectError(
				await bulk(emu, closeTickets(ids)),
				413,
				'invalid_request_error',
				'request_too_large',
			);
			expect(emu.appliedCount('tickets', ids[0])).toBe(0);
			expect((await bulk(emu, closeTickets(ids.slice(0, 2)))).status).toBe(200);
			expect(() => emu.faults.set({ maxBulkIds: 0 })).toThrow(/maxBulkIds/);
		});

		it.each([
			['epochMs', (reset: number, now: number) => reset > 1e12 && reset >= now],
			['secondsFromNow', (reset: number) => reset > 0 && reset <= 3601],
			[
				'epochSeconds',
				(reset: number, now: number) => reset > 1e9 && reset < 1e12 && reset * 1000 >= now - 1000,
			],
		] as const)('resetUnit %s sends X-RateLimit-Reset in that unit', async (resetUnit, fits) => {
			emu.faults.set({ resetUnit });
			const response = await client(emu).get('/api/v1/auth/whoami');
			expect(fits(Number(response.headers['x-ratelimit-reset']), Date.now())).toBe(true);
			expect(() => emu.faults.set({ resetUnit: 'hours' as never })).toThrow(/resetUnit/);
		});

		it('match narrows or widens what a fault applies to', async () => {
			emu.faults.set({ latencyMs: 150, match: { method: 'GET', pathIncludes: '/tickets' } });
			const [, listMs] = await timed(() => client(emu).get(teamPath(emu, '/tickets')));
			expect(listMs).toBeGreaterThanOrEqual(140);
			const [, whoamiMs] = await timed(() => client(emu).get('/api/v1/auth/whoami'));
			expect(whoamiMs).toBeLessThan(140);
			emu.faults.set({ rate5xx: 1, status: 503, match: {} });
			expect((await client(emu).get('/api/v1/auth/whoami')).status).toBe(503);
		});

		it('the latencyMs option delays every API request', async () => {
			const slow = await startEmulator({ tickets: 1, customers: 0, articles: 0, latencyMs: 120 });
			try {
				const [, ms] = await timed(() => client(slow).get('/api/v1/auth/whoami'));
				expect(ms).toBeGreaterThanOrEqual(110);
			} finally {
				await slow.close();
			}
		});

		it('rate5xx answers a seeded share of bulk calls with 5xx, and applies nothing for them', async () => {
			const statusesOf = async (target: Emulator) => {
				target.faults.set({ rate5xx: 0.5, status: 503 });
				const ids = target.store.ids('tickets');
				const statuses: number[] = [];
				for (let i = 0; i < 30; i++)
					statuses.push((await bulk(target, closeTickets([ids[i]]))).status);
				return statuses;
			};
			const twin = await startEmulator({ tickets: 60, customers: 5, articles: 5 });
			try {
				const statuses = await statusesOf(emu);
				expect(await statusesOf(twin)).toEqual(statuses);
				const failures = statuses.filter((s) => s === 503).length;
				expect(failures).toBeGreaterThan(5);
				expect(failures).toBeLessThan(25);
				expect(emu.counts().idsApplied).toBe(30 - failures);
				expect(emu.counts().byStatus).toEqual({ 200: 30 - failures, 503: failures });
			} finally {
				await twin.close();
			}
		});

		it('a 502 carries an HTML body, as a proxy would send', async () => {
			emu.faults.set({ rate5xx: 1, status: 502 });
			const response = await rawClient(emu).post(teamPath(emu, '/bulk'), closeTickets(['tkt_x']));
			expect(response.status).toBe(502);
			expect(response.headers['content-type']).toMatch(/^text\/html/);
			expect(response.data).toContain('<title>502 Bad Gateway</title>');
		});

		it('rateLimitStorm: 429 to every bulk call for a count, then normal again', async () => {
			emu.faults.set({ rateLimitStorm: { count: 3, retryAfter: 7 } });
			for (let i = 0; i < 3; i++) {
				const response = await bulk(emu, closeTickets(['tkt_x']));
				expectError(response, 429, 'rate_limit_error', 'rate_limit_exceeded');
				expect(response.headers['retry-after']).toBe('7');
				expect(response.data.error.retryAfter).toBe(7);
				expect(response.headers['x-ratelimit-remaining']).toBe('0');
			}
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(200);
			expect(emu.counts().rateLimited).toBe(3);
		});

		it('rateLimitStorm: until a time, with Retry-After counting down to its end', async () => {
			emu.faults.set({ rateLimitStorm: { untilMs: Date.now() + 2500 } });
			const response = await bulk(emu, closeTickets(['tkt_x']));
			expect(response.status).toBe(429);
			expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(2);
			expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(3);
			emu.faults.set({ rateLimitStorm: { forMs: 50 } });
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(429);
			await sleep(80);
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(200);
		});

		it('refuses invalid settings', () => {
			expect(() => emu.faults.set({ rate5xx: 2 })).toThrow(TypeError);
			expect(() => emu.faults.set({ status: 501 })).toThrow(TypeError);
			expect(() => emu.faults.script([{ type: 'explode' } as never])).toThrow(TypeError);
		});
	});

	describe('one-shot scripted faults', () => {
		it.each([
			[500, 'application/json', '"type":"api_error"'],
			[503, 'application/json', '"code":"service_unavailable"'],
			[502, 'text/html', '502 Bad Gateway'],
			[504, 'text/html', '504 Gateway Time-out'],
		])('status %d is sent before processing', async (status, contentType, fragment) => {
			const ids = emu.store.ids('tickets').slice(0, 2);
			emu.faults.script([{ type: 'status', status }]);
			const response = await rawClient(emu).post(teamPath(emu, '/bulk'), closeTickets(ids));
			expect(response.status).toBe(status);
			expect(response.headers['content-type']).toContain(contentType);
			expect(response.data).toContain(fragment);
			expect(emu.counts().idsApplied).toBe(0);
			expect(emu.store.get('tickets', ids[0])!.status).not.toBe('closed');
		});

		it.each([
			['invalid JSON', '{"success":true,"data":{'],
			['an empty body', ''],
			['success:false', { success: false }],
		])('a 200 with %s', async (_name, body) => {
			emu.faults.script([{ type: 'status', status: 200, body }]);
			const response = await rawClient(emu).post(
				teamPath(emu, '/bulk'),
				closeTickets(emu.store.ids('tickets').slice(0, 1)),
			);
			expect(response.status).toBe(200);
			expect(response.data).toBe(typeof body === 'string' ? body : JSON.stringify(body));
			expect(response.headers['content-type']).toMatch(/^application\/json/);
			expect(emu.counts().idsApplied).toBe(0);
		});

		it('status with custom headers, e.g. a redirect; the log keeps Authorization as received', async () => {
			emu.faults.script([
				{
					type: 'status',
					status: 302,
					headers: { Location: '/api/v1/auth/whoami?redirected=1' },
					match: { pathIncludes: '/whoami' },
				},
			]);
			const response = await client(emu).get('/api/v1/auth/whoami');
			expect(response.status).toBe(200);
			expect(emu.log.map((e) => [e.status, e.query])).toEqual([
				[302, {}],
				[200, { redirected: '1' }],
			]);
			expect(emu.log[0].fault).toBe('status');
			expect(emu.log[0].headers.authorization).toBe(`Bearer ${emu.keys.secret}`);
		});

		it('drop destroys the connection before processing', async () => {
			const ids = emu.store.ids('tickets').slice(0, 2);
			emu.faults.script([{ type: 'drop' }]);
			await expect(bulk(emu, closeTickets(ids))).rejects.toThrow();
			expect(emu.counts()).toMatchObject({ dropped: 1, idsApplied: 0 });
			expect(emu.counts().byStatus).toEqual({});
			expect(emu.log[0]).toMatchObject({ fault: 'drop', dropped: true, status: null });
		});

		it('dropAfterApply applies and stores the answer, then destroys the socket; a keyed retry replays it', async () => {
			const ids = emu.store.ids('tickets').slice(0, 3);
			emu.faults.script([{ type: 'dropAfterApply' }]);
			await expect(bulk(emu, closeTickets(ids), { idempotencyKey: 'k-1' })).rejects.toThrow();
			expect(emu.store.get('tickets', ids[0])!.status).toBe('closed');
			expect(emu.counts()).toMatchObject({ dropped: 1, idsApplied: 3 });
			const retry = await bulk(emu, closeTickets(ids), { idempotencyKey: 'k-1' });
			expect(retry.status).toBe(200);
			expect(retry.data.data).toMatchObject({ total: 3, succeeded: 3 });
			expect(emu.counts()).toMatchObject({ idsApplied: 3, idsAppliedTwice: 0 });
		});

		it('dropAfterApply without a key: the retry applies twice, and the counts show it', async () => {
			const ids = emu.store.ids('tickets').slice(0, 3);
			emu.faults.script([{ type: 'dropAfterApply' }]);
			await expect(bulk(emu, closeTickets(ids))).rejects.toThrow();
			await bulk(emu, closeTickets(ids));
			expect(emu.counts()).toMatchObject({ idsApplied: 6, idsAppliedTwice: 3 });
		});

		it('slow applies at once and answers after delayMs, past a client timeout', async () => {
			const ids = emu.store.ids('tickets').slice(0, 2);
			emu.faults.script([{ type: 'slow', delayMs: 300 }]);
			const started = Date.now();
			await expect(
				client(emu).post(teamPath(emu, '/bulk'), closeTickets(ids), { timeout: 100 }),
			).rejects.toThrow(/timeout/);
			expect(Date.now() - started).toBeLessThan(290);
			expect(emu.appliedCount('tickets', ids[0])).toBe(1);
			emu.faults.script([{ type: 'slow', delayMs: 200 }]);
			const [response, ms] = await timed(() => bulk(emu, closeTickets(ids)));
			expect(response.status).toBe(200);
			expect(ms).toBeGreaterThanOrEqual(190);
			await sleep(150);
		});

		it.each([
			['seconds', '30'],
			['http-date', expect.stringMatching(/GMT$/)],
			['none', undefined],
		] as const)('rateLimit with Retry-After as %s', async (retryAfterFormat, header) => {
			emu.faults.script([{ type: 'rateLimit', retryAfter: 30, retryAfterFormat }]);
			const response = await bulk(emu, closeTickets(['tkt_x']));
			expectError(response, 429, 'rate_limit_error', 'rate_limit_exceeded');
			expect(response.headers['retry-after']).toEqual(header);
			expect(response.data.error.retryAfter).toBe(30);
			if (retryAfterFormat === 'http-date') {
				const at = Date.parse(response.headers['retry-after']);
				expect(at - Date.now()).toBeGreaterThan(28_000);
				expect(at - Date.now()).toBeLessThan(32_000);
			}
		});

		it('rateLimit with only the "Try again in N seconds" message', async () => {
			emu.faults.script([
				{ type: 'rateLimit', retryAfter: 12, retryAfterFormat: 'none', bodyRetryAfter: false },
			]);
			const response = await bulk(emu, closeTickets(['tkt_x']));
			expect(response.status).toBe(429);
			expect(response.headers['retry-after']).toBeUndefined();
			expect(response.data.error).not.toHaveProperty('retryAfter');
			expect(response.data.error.message).toBe('Rate limit exceeded. Try again in 12 seconds.');
			emu.faults.script([
				{
					type: 'rateLimit',
					message: 'Slow down',
					retryAfterFormat: 'none',
					bodyRetryAfter: false,
				},
			]);
			expect((await bulk(emu, closeTickets(['tkt_x']))).data.error.message).toBe('Slow down');
		});

		it('bulkResult corrupts the result after applying, by function or by patch', async () => {
			const ids = emu.store.ids('tickets').slice(0, 4);
			emu.faults.script([
				{ type: 'bulkResult', mutate: (data) => ({ ...data, succeeded: data.succeeded - 1 }) },
				{ type: 'bulkResult', patch: { failed: 2, errors: [] } },
			]);
			const first = await bulk(emu, closeTickets(ids.slice(0, 2)));
			expect(first.data.data).toMatchObject({ total: 2, succeeded: 1, failed: 0 });
			const second = await bulk(emu, closeTickets(ids.slice(2)));
			expect(second.data.data).toMatchObject({ total: 2, succeeded: 2, failed: 2, errors: [] });
			expect(emu.counts().idsApplied).toBe(4);
		});

		it('applies to the next matching requests in order, skipping requests that do not match', async () => {
			emu.faults.script([
				{ type: 'status', status: 500 },
				{ type: 'status', status: 418, match: { method: 'GET', pathIncludes: '/customers' } },
				{ type: 'status', status: 502 },
			]);
			expect((await client(emu).get(teamPath(emu, '/tickets'))).status).toBe(200);
			expect((await client(emu).get(teamPath(emu, '/customers'))).status).toBe(418);
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(500);
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(502);
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(200);
		});

		it('clear() drops queued and persistent faults', async () => {
			emu.faults.set({ rate5xx: 1 });
			emu.faults.script([{ type: 'drop' }]);
			emu.faults.clear();
			expect((await bulk(emu, closeTickets(['tkt_x']))).status).toBe(200);
		});
	});
});
