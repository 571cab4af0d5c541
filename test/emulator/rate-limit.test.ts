import { startEmulator } from '../../emulator';
import { bulk, client, expectError, teamPath, type Emulator } from './helpers';

describe('emulator: rate limits', () => {
	let emu: Emulator;
	let now: number;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 10, customers: 5, articles: 5, clock: () => now });
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		now = Date.UTC(2026, 5, 1, 12, 0, 0);
		emu.reset();
		emu.setRateLimit({});
	});

	it('sends X-RateLimit-* on every authenticated response, counting down per key', async () => {
		const api = client(emu);
		const responses = [
			await api.get(teamPath(emu, '/tickets')),
			await bulk(emu, { action: 'nope' }),
			await api.get(teamPath(emu, '/tickets/tkt_missing')),
			await api.get('/api/v1/nope'),
			await client(emu, emu.keys.otherTeam).get(teamPath(emu, '/tickets')),
		];
		expect(responses.map((r) => r.status)).toEqual([200, 400, 404, 404, 403]);
		expect(responses.slice(0, 4).map((r) => r.headers['x-ratelimit-remaining'])).toEqual([
			'999',
			'998',
			'997',
			'996',
		]);
		for (const response of responses) {
			expect(response.headers['x-ratelimit-limit']).toBe('1000');
			expect(response.headers['x-ratelimit-window']).toBe('3600');
			expect(response.headers['x-ratelimit-reset']).toBe(String(now / 1000 + 3600));
		}
		expect(responses[4].headers['x-ratelimit-remaining']).toBe('999');
	});

	it('gives publishable keys 100 per hour and secret keys 1000 by default', async () => {
		const publishable = await client(emu, emu.keys.publishable).get('/api/v1/auth/whoami');
		expect(publishable.headers['x-ratelimit-limit']).toBe('100');
		const secret = await client(emu).get('/api/v1/auth/whoami');
		expect(secret.headers['x-ratelimit-limit']).toBe('1000');
	});

	it('answers 429 rate_limit_exceeded past the limit, with Retry-After and error.retryAfter', async () => {
		emu.setRateLimit({ limit: 3, windowSeconds: 60 });
		const api = client(emu);
		for (let i = 0; i < 3; i++) expect((await api.get(teamPath(emu, '/tickets'))).status).toBe(200);
		now += 20_000;
		const limited = await bulk(emu, {
			action: 'delete',
			resource: 'tickets',
			ids: emu.store.ids('tickets'),
		});
		expectError(limited, 429, 'rate_limit_error', 'rate_limit_exceeded');
		expect(limited.headers['retry-after']).toBe('40');
		expect(limited.data.error.retryAfter).toBe(40);
		expect(limited.data.error.message).toBe('Rate limit exceeded. Try again in 40 seconds.');
		expect(limited.headers['x-ratelimit-remaining']).toBe('0');
		expect(limited.headers['x-ratelimit-limit']).toBe('3');
		expect(emu.store.ids('tickets')).toHaveLength(10);
		expect(emu.counts()).toMatchObject({ rateLimited: 1, idsApplied: 0 });
		// Per key: another key still has its own budget.
		expect((await client(emu, emu.keys.secretLive).get(teamPath(emu, '/tickets'))).status).toBe(
			200,
		);
	});

	it('starts a fresh window once the old one ends; refused requests do not extend it', async () => {
		emu.setRateLimit({ limit: 2, windowSeconds: 10 });
		const api = client(emu);
		await api.get('/api/v1/auth/whoami');
		await api.get('/api/v1/auth/whoami');
		for (let i = 0; i < 5; i++) expect((await api.get('/api/v1/auth/whoami')).status).toBe(429);
		now += 9_999;
		expect((await api.get('/api/v1/auth/whoami')).headers['retry-after']).toBe('1');
		now += 1;
		const fresh = await api.get('/api/v1/auth/whoami');
		expect(fresh.status).toBe(200);
		expect(fresh.headers['x-ratelimit-remaining']).toBe('1');
		expect(fresh.headers['x-ratelimit-reset']).toBe(String(now / 1000 + 10));
	});

	it('one explicit limit applies to publishable keys too, unless publishableLimit is given', async () => {
		emu.setRateLimit({ limit: 5, windowSeconds: 6 });
		expect(
			(await client(emu, emu.keys.publishable).get('/api/v1/auth/whoami')).headers[
				'x-ratelimit-limit'
			],
		).toBe('5');
		emu.setRateLimit({ limit: 5, windowSeconds: 6, publishableLimit: 2 });
		expect(
			(await client(emu, emu.keys.publishable).get('/api/v1/auth/whoami')).headers[
				'x-ratelimit-limit'
			],
		).toBe('2');
		expect(() => emu.setRateLimit({ limit: 0 })).toThrow(RangeError);
	});

	it('does not count 401s, and sends no rate-limit headers on them', async () => {
		emu.setRateLimit({ limit: 1, windowSeconds: 60 });
		const unauthenticated = await client(emu, null).get(teamPath(emu, '/tickets'));
		expect(unauthenticated.status).toBe(401);
		expect(unauthenticated.headers['x-ratelimit-limit']).toBeUndefined();
		expect((await client(emu).get(teamPath(emu, '/tickets'))).status).toBe(200);
	});

	it('can be configured at start', async () => {
		const other = await startEmulator({
			tickets: 1,
			customers: 0,
			articles: 0,
			rateLimit: { limit: 1, windowSeconds: 6 },
		});
		try {
			expect((await client(other).get('/api/v1/auth/whoami')).headers['x-ratelimit-window']).toBe(
				'6',
			);
			expect((await client(other).get('/api/v1/auth/whoami')).status).toBe(429);
		} finally {
			await other.close();
		}
	});

	describe('clock skew: cStar keeps its own time', () => {
		afterEach(() => emu.setClockSkew(0));

		it.each([
			[400_000, 'epochSeconds'],
			[-400_000, 'epochSeconds'],
			[90_500, 'epochMs'],
			[-3_000, 'secondsFromNow'],
		] as const)(
			'skew %i ms, reset as %s: Date and the reset are on cStar’s clock, the distance between them is the true one',
			async (skewMs, resetUnit) => {
				emu.setClockSkew(skewMs);
				emu.faults.set({ resetUnit });
				const response = await client(emu).get('/api/v1/auth/whoami');
				const date = Date.parse(response.headers.date);
				const reset = Number(response.headers['x-ratelimit-reset']);
				expect(date).toBe(Math.floor((now + skewMs) / 1000) * 1000);
				const resetMs =
					resetUnit === 'epochSeconds'
						? reset * 1000
						: resetUnit === 'epochMs'
							? reset
							: date + reset * 1000;
				// The window ends 3600 s after the first request, whatever cStar's clock says.
				expect(Math.abs(resetMs - date - 3_600_000)).toBeLessThanOrEqual(1000);
				expect(response.data.meta.timestamp).toBe(
					new Date(Math.floor((now + skewMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
				);
			},
		);

		it('keeps the skew across reset, shows it in describe(), and refuses a non-integer or a skew past a day', () => {
			emu.setClockSkew(-120_000);
			emu.reset();
			expect(emu.describe().clockSkewMs).toBe(-120_000);
			expect(() => emu.setClockSkew(1.5)).toThrow(RangeError);
			expect(() => emu.setClockSkew(25 * 3600 * 1000)).toThrow(/clockSkewMs/);
			expect(() => emu.setClockSkew('400' as never)).toThrow(RangeError);
		});

		it('can be set at start', async () => {
			const other = await startEmulator({
				tickets: 1,
				customers: 0,
				articles: 0,
				clockSkewMs: 600_000,
			});
			try {
				const response = await client(other).get('/api/v1/auth/whoami');
				expect(Date.parse(response.headers.date) - Date.now()).toBeGreaterThan(590_000);
			} finally {
				await other.close();
			}
		});
	});
});
