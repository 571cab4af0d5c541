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
		'clean ids (unicode, up to 256 characters) joined by any mix of spaces, commas, newlines, tabs, NBSP, U+2028, ideographic space, or given as an array, come back exactly, in order, duplicates kept',
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

// ---------------------------------------------------------------------------------------------
// planBatches
