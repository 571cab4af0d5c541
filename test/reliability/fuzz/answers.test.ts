import fc from 'fast-check';

import { interpretBulkAnswer } from '../../../nodes/CstarBulk/bulk/results';
import { RUNS, fuzzSection, prefixedId, isCleanToken } from './support';

const { check } = fuzzSection('fuzzAnswers');

// interpretBulkAnswer

describe('interpretBulkAnswer', () => {
	const trickyId = fc
		.oneof(
			fc.string({
				unit: fc.constantFrom(
					'a',
					'b',
					'1',
					':',
					';',
					'(',
					')',
					'[',
					']',
					'"',
					"'",
					'=',
					'_',
					'-',
					'.',
					'/',
				),
				minLength: 1,
				maxLength: 6,
			}),
			prefixedId,
			fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
		)
		.filter(isCleanToken);
	const truthful = fc
		.record({
			ids: fc.uniqueArray(trickyId, { minLength: 1, maxLength: 100 }),
			failed: fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }),
			shape: fc.constantFrom('byId', 'byIndex', 'strings', 'nested', 'mixed'),
			order: fc.array(fc.nat(), { minLength: 100, maxLength: 100 }),
			words: fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), {
				minLength: 100,
				maxLength: 100,
			}),
			mention: fc.array(fc.nat(), { minLength: 100, maxLength: 100 }),
			withTotal: fc.boolean(),
		})
		.map((c) => {
			const entries = c.ids.flatMap((id, index) => {
				if (!c.failed[index]) return [];
				// A message may name another id of the same call.
				const message =
					`${c.words[index]} ${c.mention[index] % 3 === 0 ? c.ids[c.mention[index] % c.ids.length] : ''}`.trim() ||
					'failed';
				const shape =
					c.shape === 'mixed'
						? ['byId', 'byIndex', 'strings', 'nested'][c.order[index] % 4]
						: c.shape;
				const entry =
					shape === 'byId'
						? { id, code: 'RESOURCE_MISSING', message }
						: shape === 'byIndex'
							? { index, code: 'resource_missing', message }
							: shape === 'nested'
								? { resourceId: id, error: { code: 'resource_missing', message } }
								: `${id}: ${message}`;
				return [{ entry, key: c.order[index] }];
			});
			entries.sort((x, y) => x.key - y.key);
			const failedCount = entries.length;
			const data: Record<string, unknown> = {
				object: 'bulk_result',
				succeeded: c.ids.length - failedCount,
				failed: failedCount,
				errors: entries.map((e) => e.entry),
			};
			if (c.withTotal) data.total = c.ids.length;
			return {
				ids: c.ids,
				failed: c.ids.map((_, i) => c.failed[i] === true),
				body: { success: true, data, meta: { requestId: 'req_fuzz' } },
			};
		});

	check(
		'interpretBulkAnswer: truthful answers in every errors shape',
		'errors by id, by index, nested, as "<id>: <message>" strings (messages that name other ids of the call), or mixed, in any order, for ids made of ":;()[]"\'=" and unicode: every id comes out exactly as cStar said (sound and complete)',
		RUNS.answerTruthful,
		truthful,
		({ ids, failed, body }) => {
			const answer = interpretBulkAnswer(ids, body);
			if (answer.kind !== 'outcomes') throw new Error(`unreadable: ${JSON.stringify(answer)}`);
			expect(answer.outcomes.map((outcome) => outcome.status)).toEqual(
				failed.map((f) => (f ? 'failed' : 'succeeded')),
			);
			for (const outcome of answer.outcomes)
				if (outcome.status === 'failed')
					expect(outcome.code).toMatch(/^(resource_missing|cstar_reported_failure)$/);
		},
	);

	const count = fc.oneof(fc.integer({ min: -1, max: 105 }), fc.jsonValue({ maxDepth: 1 }));
	const arbitraryAnswer = fc.record({
		ids: fc.uniqueArray(trickyId, { minLength: 1, maxLength: 30 }),
		pick: fc.array(fc.nat(), { maxLength: 10 }),
		body: fc.oneof(
			fc.jsonValue({ maxDepth: 3 }),
			fc.record(
				{
					success: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
					data: fc.record(
						{
							succeeded: count,
							failed: count,
							total: count,
							errors: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 6 }),
						},
						{ requiredKeys: [] },
					),
					meta: fc.jsonValue({ maxDepth: 1 }),
				},
				{ requiredKeys: [] },
			),
		),
	});

	check(
		'interpretBulkAnswer: arbitrary answers',
		'any JSON, broken counts, foreign errors entries (by id, by index in and out of range, strings): never throws; one outcome per id or "unreadable"; an id is Succeeded only when success is not false, succeeded + failed equals the ids sent (and total, if given), exactly `failed` ids failed, and no errors entry names it by id',
		RUNS.answerArbitrary,
		arbitraryAnswer.map(({ ids, pick, body }) => {
			// Sprinkle entries that name ids of this call, so attribution paths are exercised.
			const record = body as { data?: { errors?: unknown[] } };
			if (
				record &&
				typeof record === 'object' &&
				record.data &&
				Array.isArray(record.data.errors)
			) {
				record.data.errors.push(
					...pick.map((n, i) =>
						i % 3 === 0
							? { id: ids[n % ids.length], code: 'x' }
							: i % 3 === 1
								? { index: n % (ids.length + 2) }
								: `${ids[n % ids.length]}: gone`,
					),
				);
			}
			return { ids, body };
		}),
		({ ids, body }) => {
			const answer = interpretBulkAnswer(ids, body);
			if (answer.kind !== 'outcomes') {
				if (answer.kind === 'refused') expect((body as { success?: unknown }).success).toBe(false);
				return;
			}
			expect(answer.outcomes).toHaveLength(ids.length);
			const succeededIds = ids.filter((_, i) => answer.outcomes[i].status === 'succeeded');
			for (const outcome of answer.outcomes)
				if (outcome.status === 'failed') expect(outcome.code.length).toBeGreaterThan(0);
			if (succeededIds.length === 0) return;
			const record = body as {
				success?: unknown;
				data: { succeeded: number; failed: number; total?: unknown; errors?: unknown };
			};
			expect(record.success).not.toBe(false);
			expect(record.data.succeeded + record.data.failed).toBe(ids.length);
			if (
				typeof record.data.total === 'number' &&
				Number.isInteger(record.data.total) &&
				record.data.total >= 0
			)
				expect(record.data.total).toBe(ids.length);
			expect(answer.outcomes.filter((outcome) => outcome.status === 'failed')).toHaveLength(
				record.data.failed,
			);
			const named = new Set(
				(Array.isArray(record.data.errors) ? record.data.errors : []).map((entry) =>
					entry !== null &&
					typeof entry === 'object' &&
					typeof (entry as { id?: unknown }).id === 'string'
						? (entry as { id: string }).id
						: undefined,
				),
			);
			for (const id of succeededIds) expect(named.has(id)).toBe(false);
		},
	);

	check(
		'interpretBulkAnswer: errors strings that name several ids of the call',
		'each failed id gets a bare string that either starts with it ("<id>: … <other id>") or names it and another id of the call without starting with either ("Cannot merge <other> into <id>"): an id on Succeeded never failed, and an id given cStar\'s failure was one that failed; what cannot be pinned is outcome_unknown',
		RUNS.answerTruthful,
		fc
			.record({
				ids: fc.uniqueArray(prefixedId, { minLength: 2, maxLength: 60 }),
				failed: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
				ambiguous: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
				other: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
			})
			.map((c) => {
				const failed = c.ids.map((_, i) => c.failed[i]);
				const errors = c.ids.flatMap((id, i) => {
					if (!failed[i]) return [];
					const other = c.ids[(i + 1 + (c.other[i] % (c.ids.length - 1))) % c.ids.length];
					return [
						c.ambiguous[i] ? `Cannot merge ${other} into ${id}` : `${id}: locked by ${other}`,
					];
				});
				const count = errors.length;
				const data = { succeeded: c.ids.length - count, failed: count, errors };
				return { ids: c.ids, failed, body: { success: true, data } };
			}),
		({ ids, failed, body }) => {
			const answer = interpretBulkAnswer(ids, body);
			if (answer.kind !== 'outcomes') throw new Error(answer.kind);
			answer.outcomes.forEach((outcome, i) => {
				if (outcome.status === 'succeeded') expect(failed[i]).toBe(false);
				else if (outcome.status === 'failed' && outcome.code === 'cstar_reported_failure')
					expect(failed[i]).toBe(true);
				// When the counts say every id failed, the unnamed ones fail without a reason.
				else if (outcome.status === 'failed' && outcome.code === 'not_applied')
					expect(failed.every(Boolean)).toBe(true);
				else if (outcome.status === 'failed') expect(outcome.code).toBe('outcome_unknown');
			});
		},
	);

	check(
		'interpretBulkAnswer: errors indexes counted from 1',
		"each failed id gets an entry with its index counted from 1, some also naming the id (at least one does, so the indexes visibly do not fit a 0-based reading), under any of the index keys: an id on Succeeded never failed, an id given cStar's code was one that failed, and what the index-only entries are about is outcome_unknown, never guessed",
		RUNS.answerTruthful,
		fc
			.record({
				ids: fc.uniqueArray(prefixedId, { minLength: 2, maxLength: 60 }),
				failed: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
				named: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
				indexKey: fc.constantFrom('index', 'idx', 'position'),
				asText: fc.boolean(),
			})
			.filter((c) => c.ids.some((_, i) => c.failed[i]))
			.map((c) => {
				const failed = c.ids.map((_, i) => c.failed[i]);
				const first = failed.indexOf(true);
				const errors = c.ids.flatMap((id, i) => {
					if (!failed[i]) return [];
					const index = c.asText ? String(i + 1) : i + 1;
					const entry: Record<string, unknown> = { [c.indexKey]: index, code: 'resource_missing' };
					if (i === first || c.named[i]) entry.id = id;
					return [entry];
				});
				const count = errors.length;
				const data = { succeeded: c.ids.length - count, failed: count, errors };
				return { ids: c.ids, failed, body: { success: true, data } };
			}),
		({ ids, failed, body }) => {
			const answer = interpretBulkAnswer(ids, body);
			if (answer.kind !== 'outcomes') throw new Error(answer.kind);
			answer.outcomes.forEach((outcome, i) => {
				if (outcome.status === 'succeeded') expect(failed[i]).toBe(false);
				else if (outcome.status === 'failed' && outcome.code === 'resource_missing')
					expect(failed[i]).toBe(true);
				else if (outcome.status === 'failed' && outcome.code === 'not_applied')
					expect(failed.every(Boolean)).toBe(true);
				else if (outcome.status === 'failed') expect(outcome.code).toBe('outcome_unknown');
			});
		},
	);
});

// ---------------------------------------------------------------------------------------------
// Retry decisions
