import { interpretBulkAnswer } from '../../nodes/CstarBulk/bulk/results';
import type { IdOutcome } from '../../nodes/CstarBulk/bulk/types';

const ids = ['tkt_1', 'tkt_2', 'tkt_3'];
const answer = (data: Record<string, unknown>) => ({
	success: true,
	data: { object: 'bulk_result', action: 'update', resource: 'tickets', ...data },
	meta: { requestId: 'req_1' },
});
const statuses = (outcomes: IdOutcome[]) =>
	outcomes.map((outcome) => (outcome.status === 'failed' ? outcome.code : outcome.status));

function outcomesOf(body: unknown): IdOutcome[] {
	const result = interpretBulkAnswer(ids, body);
	if (result.kind !== 'outcomes') throw new Error(`not outcomes: ${JSON.stringify(result)}`);
	return result.outcomes;
}

describe('interpretBulkAnswer', () => {
	it('confirms every id when all succeeded', () => {
		const outcomes = outcomesOf(answer({ total: 3, succeeded: 3, failed: 0, errors: [] }));
		expect(outcomes).toEqual(ids.map(() => ({ status: 'succeeded', requestId: 'req_1' })));
	});

	it.each([
		['by id', [{ id: 'tkt_2', code: 'resource_missing', message: 'Ticket not found' }]],
		['by index', [{ index: 1, code: 'RESOURCE_MISSING', message: 'Ticket not found' }]],
		[
			'nested error',
			[{ resourceId: 'tkt_2', error: { code: 'resource_missing', message: 'Ticket not found' } }],
		],
	])('attributes failures %s, with cStar code and message', (_, errors) => {
		const outcomes = outcomesOf(answer({ total: 3, succeeded: 2, failed: 1, errors }));
		expect(statuses(outcomes)).toEqual(['succeeded', 'resource_missing', 'succeeded']);
		expect(outcomes[1]).toMatchObject({ message: 'cStar: Ticket not found', requestId: 'req_1' });
	});

	it('attributes bare-string errors that name the id', () => {
		const outcomes = outcomesOf(
			answer({ total: 3, succeeded: 2, failed: 1, errors: ['tkt_3: Ticket not found'] }),
		);
		expect(statuses(outcomes)).toEqual(['succeeded', 'succeeded', 'cstar_reported_failure']);
		expect(outcomes[2]).toMatchObject({ message: 'cStar: tkt_3: Ticket not found' });
	});

	it('does not guess when failures cannot be attributed', () => {
		const outcomes = outcomesOf(answer({ total: 3, succeeded: 2, failed: 1, errors: [] }));
		expect(statuses(outcomes)).toEqual(['outcome_unknown', 'outcome_unknown', 'outcome_unknown']);
	});

	it('keeps the attributed failures and marks the rest unknown when counts do not add up', () => {
		const outcomes = outcomesOf(
			answer({
				total: 3,
				succeeded: 3,
				failed: 1,
				errors: [{ id: 'tkt_1', code: 'resource_missing' }],
			}),
		);
		expect(statuses(outcomes)).toEqual(['resource_missing', 'outcome_unknown', 'outcome_unknown']);
	});

	it('does not trust an index outside the call', () => {
		const outcomes = outcomesOf(
			answer({
				total: 3,
				succeeded: 2,
				failed: 1,
				errors: [{ index: 3, code: 'resource_missing' }],
			}),
		);
		expect(statuses(outcomes)).toEqual(['outcome_unknown', 'outcome_unknown', 'outcome_unknown']);
	});

	it('fails every id without a reason when cStar says all failed but names none', () => {
		const outcomes = outcomesOf(answer({ total: 3, succeeded: 0, failed: 3, errors: [] }));
		expect(statuses(outcomes)).toEqual(['not_applied', 'not_applied', 'not_applied']);
	});

	it('treats a total different from the ids sent as unreconciled', () => {
		const outcomes = outcomesOf(answer({ total: 5, succeeded: 3, failed: 0, errors: [] }));
		expect(statuses(outcomes)).toEqual(['outcome_unknown', 'outcome_unknown', 'outcome_unknown']);
	});

	it('reads a 200 with success:false as a refusal of the whole call, for the sender to word', () => {
		const result = interpretBulkAnswer(ids, {
			success: false,
			error: { code: 'parameter_invalid', message: 'bad' },
		});
		expect(result).toMatchObject({ kind: 'refused', failure: { code: 'parameter_invalid' } });
	});
});
