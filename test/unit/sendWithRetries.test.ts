import type { HttpRequest, HttpResponse, NetworkFailure } from '../../nodes/CstarBulk/bulk/http';
import { RateLimitPacer } from '../../nodes/CstarBulk/bulk/rateLimitPacer';
import {
	MIN_RATE_LIMIT_WAIT_MS,
	sendWithRetries,
	type ReadAnswer,
	type SendContext,
} from '../../nodes/CstarBulk/bulk/sendWithRetries';

/**
 * Worked examples of one call's life: each test scripts what cStar (or the network) answers, try by
 * try, and reads what the call did: how many requests it sent, how long it waited, what it returned.
 */
type Answer = HttpResponse | NetworkFailure;

const ok = (body: unknown = { data: 'done' }): Answer => ({ statusCode: 200, headers: {}, body });
const status = (statusCode: number, body: unknown = {}, headers = {}): Answer => ({
	statusCode,
	headers,
	body,
});
const network = (networkCode: string): Answer => ({ networkCode });

function scriptedCall(
	answers: Answer[],
	settings = { maxRetries: 3, maxRateLimitWaitMs: 300_000 },
) {
	const requests: HttpRequest[] = [];
	const waits: number[] = [];
	let clock = 0;
	let cancelOnWait: number | undefined;
	let cancelled = false;
	const ctx: SendContext = {
		transport: async (request) => {
			requests.push(request);
			const answer = answers.shift();
			if (!answer) throw new Error('the call sent more requests than the script has answers');
			return answer;
		},
		pacer: new RateLimitPacer(),
		settings,
		connection: { baseUrl: 'https://cstar.test', teamId: 'team' },
		sleep: async (ms) => {
			waits.push(ms);
			if (cancelOnWait === waits.length) {
				cancelled = true;
				throw new Error('cancelled');
			}
			clock += ms;
		},
		isCancelled: () => cancelled,
		now: () => clock,
		random: () => 0,
		runKey: 'example',
	};
	const read: ReadAnswer<unknown> = (response) => ({ value: response.body });
	return {
		requests,
		waits,
		cancelAtWait: (n: number) => (cancelOnWait = n),
		send: async () => await sendWithRetries(ctx, { method: 'POST', path: '/bulk' }, read),
	};
}

describe('sendWithRetries, worked examples', () => {
	it('429 with Retry-After: 2, then 200: waits 2 s, sends again, returns the answer', async () => {
		const call = scriptedCall([status(429, {}, { 'retry-after': '2' }), ok({ data: 'done' })]);
		expect(await call.send()).toEqual({ kind: 'done', value: { data: 'done' } });
		expect(call.requests).toHaveLength(2);
		expect(call.waits).toEqual([2000]);
	});

	it('a 429 asking for no wait still waits the minimum, so a storm cannot spin', async () => {
		const call = scriptedCall([status(429, {}, { 'retry-after': '0' }), ok()]);
		await call.send();
		expect(call.waits).toEqual([MIN_RATE_LIMIT_WAIT_MS]);
	});

	it('connection refused on all 4 tries (Max Retries 3): backs off 0.5, 1, 2 s, then stops the run', async () => {
		const refused = network('ECONNREFUSED');
		const call = scriptedCall([refused, refused, refused, refused]);
		const sent = await call.send();
		expect(call.requests).toHaveLength(4);
		expect(call.waits).toEqual([500, 1000, 2000]);
		expect(sent.kind).toBe('fatal');
		if (sent.kind !== 'fatal') return;
		expect(sent.error.code).toBe('cstar_unreachable');
		expect(sent.error.description).toContain('4 tries');
	});

	it('connection reset after the request was sent, every time: the call fails as "may have changed"', async () => {
		const reset = network('ECONNRESET');
		const call = scriptedCall([reset, reset], { maxRetries: 1, maxRateLimitWaitMs: 300_000 });
		const sent = await call.send();
		expect(call.requests).toHaveLength(2);
		expect(sent).toMatchObject({ kind: 'failed', failure: { code: 'outcome_unknown' } });
		if (sent.kind === 'failed')
			expect(sent.failure.message).toContain('may or may not have changed');
	});

	it('a reset, then 200: the resend (same request, same Idempotency-Key) is confirmed', async () => {
		const call = scriptedCall([network('ECONNRESET'), ok({ data: 'replayed' })]);
		expect(await call.send()).toEqual({ kind: 'done', value: { data: 'replayed' } });
		expect(call.requests[0]).toBe(call.requests[1]);
	});

	it('cancel during a 429 wait: no further request, "not sent" since cStar refused the only try', async () => {
		const call = scriptedCall([status(429, {}, { 'retry-after': '30' })]);
		call.cancelAtWait(1);
		const sent = await call.send();
		expect(call.requests).toHaveLength(1);
		expect(sent).toMatchObject({ kind: 'failed', failure: { code: 'cancelled' } });
		if (sent.kind === 'failed') expect(sent.failure.message).toMatch(/^Not sent/);
	});

	it('cancel during the backoff after a timeout: "may have changed", since the first try may have arrived', async () => {
		const call = scriptedCall([network('ETIMEDOUT')]);
		call.cancelAtWait(1);
		const sent = await call.send();
		expect(call.requests).toHaveLength(1);
		expect(sent).toMatchObject({ kind: 'failed', failure: { code: 'cancelled' } });
		if (sent.kind === 'failed') expect(sent.failure.message).toMatch(/may or may not have changed/);
	});

	it("a 400 is not retried: one request, the ids fail with cStar's code", async () => {
		const call = scriptedCall([
			status(400, { error: { code: 'parameter_invalid', message: 'bad' } }),
		]);
		expect(await call.send()).toMatchObject({
			kind: 'failed',
			failure: { code: 'parameter_invalid', httpStatus: 400 },
		});
		expect(call.requests).toHaveLength(1);
	});
});
