import fc from 'fast-check';

import type { HttpRequest, HttpResponse, NetworkFailure } from '../../../nodes/CstarBulk/bulk/http';
import { RateLimitPacer } from '../../../nodes/CstarBulk/bulk/rateLimitPacer';
import { sendBatch, type SendContext } from '../../../nodes/CstarBulk/bulk/sendBatch';
import type { IdOutcome } from '../../../nodes/CstarBulk/bulk/types';
import { RUNS, assert, fuzzSection, prefixedId, cleanToken } from './support';

const { checkAsync } = fuzzSection('fuzzSendBatch');

// sendBatch against a simulated cStar: every retry, wait and cancel path, without real time

type SimEvent =
	| { kind: 'ok' }
	| { kind: 'status'; status: 500 | 502 | 503 }
	| { kind: 'inUse' }
	| { kind: 'rateLimit'; retryAfter: string | undefined; resetIn: number }
	| { kind: 'dropBefore' | 'dropAfter'; code: string }
	| { kind: 'unreachable'; code: string }
	| { kind: 'garbageAfter' }
	| { kind: 'rejected' }
	| { kind: 'fatal'; status: 401 | 403 }
	| { kind: 'cancelBefore' | 'cancelAfter' };

/** An idempotent cStar in memory: it applies each known id once per Idempotency-Key and replays stored answers. */
class SimulatedCstar {
	readonly applied = new Map<string, number>();
	readonly requests: HttpRequest[] = [];
	readonly consumed: SimEvent[] = [];
	readonly sleeps: number[] = [];
	private readonly stored = new Map<string, HttpResponse>();
	calledAfterCancel = false;
	cancelled = false;
	clock = 1_800_000_000_000;
	private sleepsSoFar = 0;

	constructor(
		private readonly known: Set<string>,
		private readonly script: SimEvent[],
		private readonly cancelAtSleep: number | undefined,
	) {}

	async handle(request: HttpRequest): Promise<HttpResponse | NetworkFailure> {
		if (this.cancelled) this.calledAfterCancel = true;
		this.requests.push(request);
		const event = this.script.shift() ?? { kind: 'ok' };
		this.consumed.push(event);
		switch (event.kind) {
			case 'ok':
				return this.process(request, false);
			case 'status':
				return {
					statusCode: event.status,
					headers: {},
					body:
						event.status === 502
							? '<html>Bad Gateway</html>'
							: { success: false, error: { code: 'internal_error' } },
				};
			case 'inUse':
				return {
					statusCode: 409,
					headers: {},
					body: { success: false, error: { code: 'idempotency_key_in_use' } },
				};
			case 'rateLimit': {
				const headers: Record<string, unknown> = {
					'x-ratelimit-remaining': '0',
					'x-ratelimit-reset': String(Math.floor(this.clock / 1000) + event.resetIn),
				};
				if (event.retryAfter !== undefined) headers['retry-after'] = event.retryAfter;
				return {
					statusCode: 429,
					headers,
					body: {
						success: false,
						error: {
							code: 'rate_limit_exceeded',
							message: 'Rate limit exceeded. Try again in 2 seconds.',
						},
					},
				};
			}
			case 'dropBefore':
			case 'unreachable':
				return { networkCode: event.code };
			case 'dropAfter':
				this.process(request, false);
				return { networkCode: event.code };
			case 'garbageAfter':
				return this.process(request, true);
			case 'rejected':
				return {
					statusCode: 400,
					headers: {},
					body: { success: false, error: { code: 'parameter_invalid', message: 'bad' } },
				};
			case 'fatal':
				return {
					statusCode: event.status,
					headers: {},
					body: { success: false, error: { code: 'invalid_api_key' } },
				};
			case 'cancelBefore':
				this.cancelled = true;
				return { networkCode: 'ERR_CANCELED' };
			case 'cancelAfter':
				this.process(request, false);
				this.cancelled = true;
				return { networkCode: 'ERR_CANCELED' };
		}
	}

	private process(request: HttpRequest, garbage: boolean): HttpResponse {
		const key = String(request.headers?.['Idempotency-Key']);
		const replay = this.stored.get(key);
		if (replay) return replay;
		const ids = (request.body as { ids: string[] }).ids;
		const errors: unknown[] = [];
		for (const id of ids) {
			if (this.known.has(id)) this.applied.set(id, (this.applied.get(id) ?? 0) + 1);
			else errors.push({ id, code: 'resource_missing', message: 'Ticket not found' });
		}
		const response: HttpResponse = {
			statusCode: 200,
			headers: {
				'x-ratelimit-remaining': '500',
				'x-ratelimit-reset': String(Math.floor(this.clock / 1000) + 3600),
			},
			body: garbage
				? 'garbage'
				: {
						success: true,
						data: {
							total: ids.length,
							succeeded: ids.length - errors.length,
							failed: errors.length,
							errors,
						},
					},
		};
		this.stored.set(key, response);
		return response;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.clock += Number.isFinite(ms) && ms > 0 ? ms : 0;
		if (++this.sleepsSoFar === this.cancelAtSleep) this.cancelled = true;
		if (this.cancelled) throw new Error('cancelled');
	}
}

describe('sendBatch against a simulated cStar', () => {
	const netCode = fc.constantFrom('ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'UNKNOWN');
	const event: fc.Arbitrary<SimEvent> = fc.oneof(
		{ arbitrary: fc.constant<SimEvent>({ kind: 'ok' }), weight: 3 },
		fc
			.constantFrom(500, 502, 503)
			.map((status): SimEvent => ({ kind: 'status', status: status as 500 | 502 | 503 })),
		fc.constant<SimEvent>({ kind: 'inUse' }),
		fc
			.record({
				retryAfter: fc.option(
					fc.oneof(
						fc.integer({ min: 0, max: 400 }).map(String),
						fc.constantFrom('soon', '-1', '1e308', 'Wed, 21 Oct 2015 07:28:00 GMT'),
					),
					{ nil: undefined },
				),
				resetIn: fc.integer({ min: -5, max: 120 }),
			})
			.map((r): SimEvent => ({ kind: 'rateLimit', ...r })),
		netCode.map((code): SimEvent => ({ kind: 'dropBefore', code })),
		netCode.map((code): SimEvent => ({ kind: 'dropAfter', code })),
		fc
			.constantFrom('ECONNREFUSED', 'ENOTFOUND')
			.map((code): SimEvent => ({ kind: 'unreachable', code })),
		fc.constant<SimEvent>({ kind: 'garbageAfter' }),
		fc.constant<SimEvent>({ kind: 'rejected' }),
		{
			arbitrary: fc
				.constantFrom(401, 403)
				.map((status): SimEvent => ({ kind: 'fatal', status: status as 401 | 403 })),
			weight: 1,
		},
		fc.constantFrom<SimEvent>({ kind: 'cancelBefore' }, { kind: 'cancelAfter' }),
	);
	const batchCase = fc.record({
		ids: fc.uniqueArray(fc.oneof(prefixedId, cleanToken), { minLength: 1, maxLength: 100 }),
		unknown: fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }),
		script: fc.array(event, { maxLength: 8 }),
		maxRetries: fc.integer({ min: 0, max: 4 }),
		maxRateLimitWaitMs: fc.oneof(fc.constant(0), fc.integer({ min: 1000, max: 300_000 })),
		cancelAtSleep: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
		seed: fc.integer(),
	});

	checkAsync(
		'sendBatch: retries, 429s, lost answers and cancels against an idempotent cStar',
		'random sequences of 5xx, 409 in use, 429 (any Retry-After, X-RateLimit-*), resets before and after applying, unreachable, unreadable 200s, 400, 401/403 and cancels (in flight or during a wait): Succeeded only if applied exactly once; nothing applied twice; "Not sent" never applied; a cancel ends the call (no request after it, every id cancelled); one Idempotency-Key and body per batch; non-429 tries at most Max Retries + 1; every wait finite and not negative',
		RUNS.sendBatch,
		batchCase,
		async (c) => {
			const known = new Set(c.ids.filter((_, i) => !c.unknown[i]));
			const sim = new SimulatedCstar(known, [...c.script], c.cancelAtSleep);
			let state = c.seed >>> 0;
			const ctx: SendContext = {
				transport: async (request) => await sim.handle(request),
				pacer: new RateLimitPacer(),
				settings: { maxRetries: c.maxRetries, maxRateLimitWaitMs: c.maxRateLimitWaitMs },
				connection: { baseUrl: 'https://cstar.test', teamId: 'team' },
				sleep: async (ms) => await sim.sleep(ms),
				isCancelled: () => sim.cancelled,
				now: () => sim.clock,
				random: () => {
					state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
					return state / 2 ** 32;
				},
				runKey: 'fuzz-run',
			};
			const result = await sendBatch(
				ctx,
				{ resource: 'tickets', action: 'update', teamPath: '/api/v1/teams/team' },
				{ seq: 0, ids: c.ids, slots: c.ids.map((_, i) => i), data: { status: 'closed' } },
			);

			expect(sim.calledAfterCancel).toBe(false);
			for (const ms of sim.sleeps) assert(Number.isFinite(ms) && ms >= 0, () => `waited ${ms} ms`);
			for (const times of sim.applied.values()) expect(times).toBe(1);
			expect(
				new Set(sim.requests.map((request) => request.headers?.['Idempotency-Key'])).size,
			).toBe(1);
			expect(new Set(sim.requests.map((request) => JSON.stringify(request.body))).size).toBe(1);
			const rateLimited = sim.consumed.filter((e) => e.kind === 'rateLimit').length;
			expect(sim.requests.length - rateLimited).toBeLessThanOrEqual(c.maxRetries + 1);

			if (result.kind === 'fatal') {
				expect(sim.consumed.some((e) => e.kind === 'fatal' || e.kind === 'unreachable')).toBe(true);
				return;
			}
			expect(result.outcomes).toHaveLength(c.ids.length);
			result.outcomes.forEach((outcome: IdOutcome, i) => {
				const applied = sim.applied.get(c.ids[i]) ?? 0;
				if (outcome.status === 'succeeded') expect(applied).toBe(1);
				else if (outcome.status === 'failed') {
					expect(outcome.code.length).toBeGreaterThan(0);
					if (outcome.message.startsWith('Not sent')) expect(applied).toBe(0);
					if (sim.cancelled) expect(outcome.code).toBe('cancelled');
				} else throw new Error('a sent batch came back planned');
			});
		},
	);
});

// ---------------------------------------------------------------------------------------------
// RateLimitPacer
