import fc from 'fast-check';

import { interpretBulkAnswer } from '../../nodes/CstarBulk/bulk/results';
import type { IdOutcome } from '../../nodes/CstarBulk/bulk/types';

/**
 * Issue 19, rule 7: errors entries whose indexes contradict the ids they name are not trusted.
 * When an entry names an id and an index that, read 0-based, is another id's (cStar may count
 * from 1), index-only entries of that answer are not guessed: their ids are outcome_unknown.
 */
const answer = (ids: string[], errors: unknown[], failed = errors.length) => ({
	success: true,
	data: { total: ids.length, succeeded: ids.length - failed, failed, errors },
	meta: { requestId: 'req_19' },
});
const codes = (outcomes: IdOutcome[]) =>
	outcomes.map((outcome) => (outcome.status === 'failed' ? outcome.code : outcome.status));

function outcomesOf(ids: string[], body: unknown): IdOutcome[] {
	const result = interpretBulkAnswer(ids, body);
	if (result.kind !== 'outcomes') throw new Error(`not outcomes: ${JSON.stringify(result)}`);
	return result.outcomes;
}

describe('errors entries counted from 1', () => {
	const ids = ['tkt_a', 'tkt_b', 'tkt_c', 'tkt_d'];

	it.each([
		['index', { id: 'tkt_b', index: 2 }, { index: 3 }],
		['idx', { id: 'tkt_b', idx: 2 }, { idx: 3 }],
		['position', { resourceId: 'tkt_b', position: 2 }, { position: 3 }],
		['index as text', { id: 'tkt_b', index: '2' }, { index: 3 }],
		['an index past the call', { id: 'tkt_d', index: 4 }, { index: 2 }],
	])(
		'%s: b failed (named with a 1-based index) and another failed (index only): b fails with its code, no other id is Succeeded',
		(_, named, indexOnly) => {
			const outcomes = outcomesOf(
				ids,
				answer(ids, [
					{ ...named, code: 'resource_missing', message: 'Ticket not found' },
					{ ...indexOnly, code: 'resource_missing', message: 'Ticket not found' },
				]),
			);
			const namedId =
				(named as Record<string, string>).id ?? (named as Record<string, string>).resourceId;
			ids.forEach((id, position) => {
				if (id === namedId) expect(outcomes[position]).toMatchObject({ code: 'resource_missing' });
				else
					expect(outcomes[position]).toMatchObject({ status: 'failed', code: 'outcome_unknown' });
			});
		},
	);

	it('entries whose indexes fit their ids keep index-only entries readable', () => {
		const outcomes = outcomesOf(
			ids,
			answer(ids, [
				{ id: 'tkt_b', index: 1, code: 'resource_missing' },
				{ index: 3, code: 'resource_missing' },
			]),
		);
		expect(codes(outcomes)).toEqual([
			'succeeded',
			'resource_missing',
			'succeeded',
			'resource_missing',
		]);
	});

	it('generated: any call, any failing subset, indexes from 1 with at least one entry naming its id: a failed id is never Succeeded', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 60 }).chain((count) =>
					fc.record({
						count: fc.constant(count),
						failing: fc.uniqueArray(fc.nat(count - 1), { minLength: 1, maxLength: count }),
						named: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
					}),
				),
				({ count, failing, named }) => {
					const ids = Array.from({ length: count }, (_, i) => `tkt_${i}`);
					const entries = failing.map((position, n) => {
						const entry: Record<string, unknown> = {
							index: position + 1,
							code: 'resource_missing',
						};
						if (n === 0 || named[position]) entry.id = ids[position];
						return entry;
					});
					const outcomes = outcomesOf(ids, answer(ids, entries));
					for (const position of failing) expect(outcomes[position].status).toBe('failed');
					for (const [position, outcome] of outcomes.entries()) {
						if (outcome.status !== 'failed' || failing.includes(position)) continue;
						// An id that did not fail may only be held back as unknown, never blamed.
						expect(outcome.code).toBe('outcome_unknown');
					}
				},
			),
			{ seed: 19_7, numRuns: 3000 },
		);
	});
});
