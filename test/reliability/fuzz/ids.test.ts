import fc from 'fast-check';

import { parseIds } from '../../../nodes/CstarBulk/bulk/ids';
import { modelIds, pairCount, sendable } from '../idModel';
import {
	RUNS,
	assert,
	same,
	fuzzSection,
	separator,
	isCleanToken,
	cleanToken,
	idsValue,
	LIST_SYNTAX,
} from './support';

const { check } = fuzzSection('fuzzIds');

// parseIds

describe('parseIds', () => {
	check(
		'parseIds: ids of every JSON type',
		'never throws; valid input gives exactly the ids of the "IDs" contract (idModel.ts); invalid input is rejected whole with one pair per id or bad entry (codes invalid_id, item_not_sent, missing_id); no id returned is empty, holds a separator or control character, or exceeds 256 characters',
		RUNS.parseIds,
		idsValue,
		(value) => {
			const parsed = parseIds(value);
			const model = modelIds(value);
			if (sendable(model)) {
				assert(
					parsed.ok && same(parsed.ids, model.ids),
					() => `parsed ${JSON.stringify(parsed)}, the contract says ${JSON.stringify(model.ids)}`,
				);
				for (const id of model.ids)
					assert(id !== '' && isCleanToken(id), () => `returned the id ${JSON.stringify(id)}`);
				return;
			}
			if (parsed.ok) throw new Error(`accepted ${JSON.stringify(parsed.ids)}`);
			assert(
				parsed.rejected.length === pairCount(model),
				() => `${parsed.rejected.length} pairs for ${pairCount(model)}`,
			);
			for (const pair of parsed.rejected) {
				assert(
					['invalid_id', 'item_not_sent', 'missing_id'].includes(pair.code) &&
						pair.message.length > 0,
					() => `rejected as ${JSON.stringify(pair)}`,
				);
			}
			const notSent = parsed.rejected
				.filter((pair) => pair.code === 'item_not_sent')
				.map((pair) => pair.id);
			assert(
				same(notSent, model.invalid > 0 ? model.ids : []),
				() => `item_not_sent for ${JSON.stringify(notSent)}`,
			);
		},
	);

	check(
		'parseIds: separated lists and arrays round-trip',
		'clean ids (unicode, up to 256 characters, no bracket or quote) joined by any mix of spaces, commas, newlines, tabs, NBSP, U+2028, ideographic space, or given as an array, come back exactly, in order, duplicates kept',
		RUNS.roundTrip,
		fc.tuple(
			fc.array(cleanToken, { minLength: 1, maxLength: 60 }),
			separator,
			fc.integer({ min: 0, max: 2 }),
		),
		([tokens, sep, repeat]) => {
			const ids = [...tokens, ...tokens.slice(0, repeat)];
			for (const given of [ids.join(sep), ids]) {
				const parsed = parseIds(given);
				assert(
					parsed.ok && same(parsed.ids, ids),
					() => `${JSON.stringify(given)} parsed as ${JSON.stringify(parsed)}`,
				);
			}
		},
	);
});

describe('parseIds: lists written as text (issue 19)', () => {
	const quoting = fc.constantFrom(
		(id: string) => `"${id}"`,
		(id: string) => `'${id}'`,
		(id: string) => `“${id}”`,
		(id: string) => id,
	);
	const listSeparator = fc.constantFrom(',', ', ', ' ,', '\n', ' ');
	check(
		'parseIds: ids given as JSON list text or quoted and separated',
		'clean ids written as JSON text of a list (\'["tkt_a","tkt_b"]\', spaces around), or each in "…", \'…\' or “…” quotes, separated by commas, spaces or newlines, with or without [ ] around: come back as exactly those ids, in order; no id returned holds a bracket or quote',
		RUNS.roundTrip,
		fc.tuple(
			fc.array(cleanToken, { minLength: 1, maxLength: 20 }),
			quoting,
			listSeparator,
			fc.integer({ min: 0, max: 2 }),
			fc.constantFrom('', ' ', '\n'),
		),
		([ids, quote, sep, shape, pad]) => {
			const inner = ids.map(quote).join(sep);
			const given = [JSON.stringify(ids), `[${inner}]`, inner][shape];
			for (const value of [`${pad}${given}${pad}`, [given]]) {
				const parsed = parseIds(value);
				assert(
					parsed.ok && same(parsed.ids, ids),
					() => `${JSON.stringify(value)} parsed as ${JSON.stringify(parsed)}`,
				);
			}
		},
	);

	const syntax = fc.constantFrom(...'[]{}"\'`“”‘’');
	check(
		'parseIds: a bracket or quote inside an id',
		'an id with a bracket, brace or quote anywhere in it (not a matching pair around it): the item is refused, invalid_id for that entry and item_not_sent for the others, so nothing of it is sent',
		RUNS.roundTrip,
		fc.tuple(fc.array(cleanToken, { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat(), syntax),
		([ids, which, at, char]) => {
			const victim = ids[which % ids.length];
			const position = (at % victim.length) + 1;
			const bad = `${victim.slice(0, position)}${char}${victim.slice(position)}`;
			const given = ids.map((id, index) => (index === which % ids.length ? bad : id));
			const parsed = parseIds(given.join(', '));
			assert(!parsed.ok, () => `accepted ${JSON.stringify(given)}`);
			if (parsed.ok) return;
			assert(
				parsed.rejected.filter((pair) => pair.code === 'invalid_id').length === 1 &&
					parsed.rejected.length === ids.length &&
					parsed.rejected.every(
						(pair) => pair.id === null || !LIST_SYNTAX.test(pair.id) || pair.code === 'invalid_id',
					),
				() => `rejected as ${JSON.stringify(parsed.rejected)}`,
			);
		},
	);
});

// ---------------------------------------------------------------------------------------------
// planBatches
