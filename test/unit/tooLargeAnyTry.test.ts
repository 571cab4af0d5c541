import fc from 'fast-check';

import { mayHaveChanged } from '../../nodes/CstarBulk/bulk/errors';
import type { HttpRequest, HttpResponse, NetworkFailure } from '../../nodes/CstarBulk/bulk/http';
import { RateLimitPacer } from '../../nodes/CstarBulk/bulk/rateLimitPacer';
import { sendBatch } from '../../nodes/CstarBulk/bulk/sendBatch';
import {
	sendWithRetries,
	type ReadAnswer,
	type SendContext,
} from '../../nodes/CstarBulk/bulk/sendWithRetries';

/**
 * Issue 19, rule 6: a 413 is a 413 whichever try it came on. The resend carries the same body as
 * the first try, so a 413 on it proves the first try was too large too: the call is halved, and
 * nothing about its ids "may have changed" because of that first try.
 */
type Answer = HttpResponse | NetworkFailure;
const tooLarge: Answer = {
	statusCode: 413,
	headers: {},
	body: { success: false, error: { code: 'request_too_large', message: 'Body too large' } },
};
const before: Record<string, Answer> = {
	'connection reset (answer lost)': { networkCode: 'ECONNRESET' },
	'timeout (answer lost)': { networkCode: 'ETIMEDOUT' },
	'500': { statusCode: 500, headers: {}, body: { error: { code: 'internal_error' } } },
	'502 html': { statusCode: 502, headers: {}, body: '<html>Bad Gateway</html>' },
	'503': { statusCode: 503, headers: {}, body: {} },
	'409 idempotency_key_in_use': {
		statusCode: 409,
		headers: {},
		body: { error: { code: 'idempotency_key_in_use' } },
	},
	'429 retry in 1 s': { statusCode: 429, headers: { 'retry-after': '1' }, body: {} },
	'unreadable 200': { statusCode: 200, headers: {}, body: 'not json' },
};

function context(transport: SendContext['transport']): SendContext {
	return {
		transport,
		pacer: new RateLimitPacer(),
		settings: { maxRetries: 3, maxRateLimitWaitMs: 300_000 },
		connection: { baseUrl: 'https://cstar.test', teamId: 'team' },
		sleep: async () => undefined,
		isCancelled: () => false,
		now: () => 0,
		random: () => 0,
		runKey: 'rule6',
	};
}

describe('a 413 on any try of a call makes it smaller', () => {
	const read: ReadAnswer<unknown> = (response) =>
		typeof response.body === 'object' ? { value: response.body } : { unreadable: 'not JSON' };

	it.each(Object.keys(before))('%s, then 413: the call is too large, not refused', async (name) => {
		const script = [before[name], tooLarge];
		const sent = await sendWithRetries(
			context(async () => script.shift()!),
			{ method: 'POST', path: '/bulk' },
			read,
		);
		expect(sent).toMatchObject({ kind: 'tooLarge' });
	});

	it.each([
		[['ECONNRESET', '503'], 3],
		[['503', 'ETIMEDOUT', '500'], 3],
	])('after tries %j, a 413 on try %i is still a 413', async (earlier) => {
		const script: Answer[] = earlier.map((code) =>
			/^\d+$/.test(code)
				? { statusCode: Number(code), headers: {}, body: {} }
				: { networkCode: code },
		);
		script.push(tooLarge);
		const sent = await sendWithRetries(
			context(async () => script.shift()!),
			{ method: 'POST', path: '/bulk' },
			read,
		);
		expect(sent.kind).toBe('tooLarge');
	});
});

/** A cStar that takes at most `maxIds` per call and loses or fails the first try of some calls. */
function splittingCstar(maxIds: number, firstTry: Answer[]) {
	const seen = new Set<string>();
	const sentIds: string[][] = [];
	let lossIndex = 0;
	const transport = async (request: HttpRequest): Promise<Answer> => {
		const ids = (request.body?.ids ?? []) as string[];
		const key = request.headers?.['Idempotency-Key'] ?? '';
		sentIds.push(ids);
		if (!seen.has(key) && lossIndex < firstTry.length) {
			seen.add(key);
			return firstTry[lossIndex++];
		}
		if (ids.length > maxIds) return tooLarge;
		return {
			statusCode: 200,
			headers: {},
			body: {
				success: true,
				data: { total: ids.length, succeeded: ids.length, failed: 0, errors: [] },
			},
		};
	};
	return { transport, sentIds };
}

describe('sendBatch: halving after a lost or failed try', () => {
	it('generated: any batch, any size limit, first tries lost or 5xx: every id is confirmed, none "may have changed"', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 100 }),
				fc.integer({ min: 1, max: 100 }),
				fc.array(fc.constantFrom(...Object.values(before)), { minLength: 1, maxLength: 8 }),
				async (count, maxIds, firstTry) => {
					const ids = Array.from({ length: count }, (_, i) => `tkt_${i}`);
					const cstar = splittingCstar(maxIds, firstTry);
					const result = await sendBatch(
						context(cstar.transport),
						{ resource: 'tickets', action: 'update', teamPath: '/api/v1/teams/t' },
						{ seq: 0, ids, slots: ids.map((_, i) => i), data: { status: 'closed' } } as never,
					);
					expect(result.kind).toBe('outcomes');
					const outcomes = result.outcomes ?? [];
					expect(outcomes).toHaveLength(count);
					for (const outcome of outcomes) {
						if (outcome.status === 'failed') expect(mayHaveChanged(outcome)).toBe(false);
						expect(outcome.status).toBe('succeeded');
					}
					for (const sent of cstar.sentIds.slice(-1))
						expect(sent.length).toBeLessThanOrEqual(maxIds);
				},
			),
			{ seed: 19_6, numRuns: 300 },
		);
	});
});
