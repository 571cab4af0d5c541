import { recordKeyOf, shownId } from '../../nodes/CstarBulk/bulk/ids';
import { planBatches } from '../../nodes/CstarBulk/bulk/plan';
import { interpretBulkAnswer } from '../../nodes/CstarBulk/bulk/results';
import {
	classifyResponse,
	rateLimitWaitMs,
	readRateLimitHeaders,
} from '../../nodes/CstarBulk/bulk/retryPolicy';
import type { IdOutcome } from '../../nodes/CstarBulk/bulk/types';
import { toWireForm } from '../../nodes/CstarBulk/bulk/updateData';

/** The rules of issue 9 ("exact under any answer"), one pure decision at a time. */
const codesOf = (ids: string[], errors: unknown[], failed: number) => {
	const answer = interpretBulkAnswer(ids, {
		success: true,
		data: { succeeded: ids.length - failed, failed, errors },
	});
	if (answer.kind !== 'outcomes') throw new Error(answer.kind);
	return answer.outcomes.map((o: IdOutcome) => (o.status === 'failed' ? o.code : o.status));
};

describe('errors attribution: only where unambiguous', () => {
	const ids = ['tkt_a', 'tkt_b', 'tkt_c'];
	it('a string naming two ids of the call and starting with neither is not pinned on either', () => {
		expect(codesOf(ids, ['Cannot merge into tkt_a: tkt_b is locked'], 1)).toEqual([
			'outcome_unknown',
			'outcome_unknown',
			'outcome_unknown',
		]);
	});
	it('a string naming exactly one id, anywhere, is that id', () => {
		expect(codesOf(ids, ['Locked: tkt_b'], 1)).toEqual([
			'succeeded',
			'cstar_reported_failure',
			'succeeded',
		]);
	});
	it('a string starting with an id is that id, even when it names another', () => {
		expect(codesOf(ids, ['tkt_c: cannot merge with tkt_a'], 1)).toEqual([
			'succeeded',
			'succeeded',
			'cstar_reported_failure',
		]);
	});
	it('an entry with both an id and an index: the id wins', () => {
		expect(codesOf(ids, [{ id: 'tkt_c', index: 0, code: 'gone' }], 1)).toEqual([
			'succeeded',
			'succeeded',
			'gone',
		]);
	});
	it('an index contradicting an id named elsewhere: nothing is guessed', () => {
		const errors = [
			{ id: 'tkt_b', code: 'gone' },
			{ index: 1, code: 'gone' },
		];
		expect(codesOf(ids, errors, 2)).toEqual(['outcome_unknown', 'gone', 'outcome_unknown']);
	});
});

describe('which statuses mean what', () => {
	it.each([
		[200, 'answered'],
		[201, 'answered'],
		[202, 'unconfirmed'],
		[204, 'unconfirmed'],
		[207, 'unconfirmed'],
		[408, 'transient'],
		[423, 'transient'],
		[425, 'transient'],
		[413, 'tooLarge'],
	])('%i is %s', (status, kind) => expect(classifyResponse(status, {})).toBe(kind));

	it('a 404 is cStar speaking only with its envelope, and not for an unknown route', () => {
		expect(classifyResponse(404, { error: { code: 'resource_missing' } })).toBe('rejected');
		expect(classifyResponse(404, { error: { code: 'route_not_found' } })).toBe('fatal');
		expect(classifyResponse(404, '<html>Not Found</html>')).toBe('fatal');
	});
});

describe('rate-limit headers in any sane unit', () => {
	const now = 1_800_000_000_000;
	it.each([
		['epoch seconds', '1800000060', now + 60_000],
		['epoch milliseconds', '1800000060000', now + 60_000],
		['seconds from now', '60', now + 60_000],
	])('X-RateLimit-Reset in %s', (_, reset, resetAtMs) => {
		expect(readRateLimitHeaders({ 'x-ratelimit-reset': reset }, now).resetAtMs).toBe(resetAtMs);
	});
	it.each(['-1', 'soon', ''])(
		'Retry-After %p falls through to the body, then the message',
		(value) => {
			expect(rateLimitWaitMs({ 'retry-after': value }, { error: { retryAfter: 7 } }, now)).toBe(
				7000,
			);
			const message = { error: { message: 'Try again in 3 seconds.' } };
			expect(rateLimitWaitMs({ 'retry-after': value }, message, now)).toBe(3000);
		},
	);
	it('an HTTP date still reads as one', () => {
		const date = new Date(now + 5000).toUTCString();
		expect(rateLimitWaitMs({ 'retry-after': date }, {}, now)).toBe(5000);
	});
});

describe('data as it goes on the wire', () => {
	it('a Date becomes its ISO text; undefined fields drop out', () => {
		expect(toWireForm({ due: new Date(0), gone: undefined, n: 1 })).toEqual({
			ok: true,
			data: { due: '1970-01-01T00:00:00.000Z', n: 1 },
		});
	});
	it.each([
		['a function', { f: () => 1 }],
		['a BigInt', { n: BigInt(1) }],
	])('%s is invalid_json', (_, data) => {
		expect(toWireForm(data)).toMatchObject({ ok: false, code: 'invalid_json' });
	});
	it('items with different Dates never share a call', () => {
		const plan = planBatches(
			[
				{ itemIndex: 0, ids: ['a'], data: toWire({ due: new Date(0) }) },
				{ itemIndex: 1, ids: ['b'], data: toWire({ due: new Date(1000) }) },
			],
			{ batchSize: 100, deduplicate: true },
		);
		expect(plan.batches.map((batch) => batch.ids)).toEqual([['a'], ['b']]);
	});
});

describe('the last instruction for an id wins', () => {
	it('each later instruction for an id waits for the call of the one before', () => {
		const plan = planBatches(
			[
				{ itemIndex: 0, ids: ['a', 'b'], data: { status: 'closed' } },
				{ itemIndex: 1, ids: ['a'], data: { status: 'open' } },
				{ itemIndex: 2, ids: ['a'], data: { status: 'closed' } },
			],
			{ batchSize: 100, deduplicate: true },
		);
		expect(plan.batches.map((batch) => [batch.ids, batch.data, batch.after])).toEqual([
			[['a', 'b'], { status: 'closed' }, undefined],
			[['a'], { status: 'open' }, [0]],
			[['a'], { status: 'closed' }, [1]],
		]);
		expect(plan.itemSlots).toEqual([[0, 1], [2], [3]]);
	});

	it("counts a record's raw UUID and its prefixed id as one id", () => {
		const prefixed = 'tkt_550e8400e29b41d4a716446655440000';
		const raw = '550E8400-E29B-41D4-A716-446655440000';
		const plan = planBatches(
			[
				{ itemIndex: 0, ids: [prefixed], data: { status: 'closed' } },
				{ itemIndex: 1, ids: [raw], data: { status: 'open' } },
				{ itemIndex: 2, ids: [raw, prefixed], data: { status: 'open' } },
			],
			{ batchSize: 100, deduplicate: true, resource: 'tickets' },
		);
		// The UUID's call waits for the prefixed id's, and the repeat of "open" shares its slot.
		expect(plan.batches.map((batch) => [batch.ids, batch.after])).toEqual([
			[[prefixed], undefined],
			[[raw], [0]],
		]);
		expect(plan.itemSlots).toEqual([[0], [1], [1, 1]]);
		expect(recordKeyOf(raw, 'customers')).toBe('cus_550e8400e29b41d4a716446655440000');
		expect(recordKeyOf(prefixed, 'tickets')).toBe(prefixed);
	});
});

describe('refused ids as given', () => {
	it('escapes control characters and cuts an over-long id at a marked point with its length', () => {
		expect(shownId('a\u0000b\u0085')).toBe('a\\u0000b\\u0085');
		expect(shownId('x'.repeat(300))).toBe(`${'x'.repeat(64)}…[cut: 300 characters in all]`);
	});
});

function toWire(data: Record<string, unknown>): Record<string, unknown> {
	const wire = toWireForm(data);
	if (!wire.ok) throw new Error(wire.message);
	return wire.data;
}
