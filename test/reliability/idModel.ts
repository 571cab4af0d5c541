import { hasControlCharacter } from './invariants';

/**
 * What an item's "IDs" value means, written from the node's promise (issue 2) rather than from its
 * parser: one id, an array of ids, or a comma/space/newline separated list; an entry that is not
 * text or a finite number, or an id with control characters or longer than 256 characters, makes
 * the whole item invalid (one pair per bad entry, one per good id, nothing sent); nothing at all is
 * one "missing" pair.
 */
export interface ModelIds {
	/** The ids, in order, as the node must echo them. */
	ids: string[];
	/** Entries that cannot be ids; each is one (item, null-id) pair. */
	invalid: number;
}

const SEPARATORS = /[\s,]+/;
export const MAX_ID_LENGTH = 256;

export function modelIds(value: unknown): ModelIds {
	const model: ModelIds = { ids: [], invalid: 0 };
	collect(value, model, true);
	return model;
}

function collect(value: unknown, model: ModelIds, topLevel: boolean): void {
	if (typeof value === 'string') {
		for (const token of value.split(SEPARATORS)) {
			if (token === '') continue;
			if (hasControlCharacter(token) || token.length > MAX_ID_LENGTH) model.invalid++;
			else model.ids.push(token);
		}
	} else if (typeof value === 'number') {
		if (Number.isFinite(value)) model.ids.push(String(value));
		else model.invalid++;
	} else if (Array.isArray(value) && topLevel) {
		for (const entry of value) {
			if (entry === null || entry === undefined) model.invalid++;
			else collect(entry, model, false);
		}
	} else if (value !== null && value !== undefined) {
		model.invalid++;
	}
}

/** Whether the item's ids can be sent at all. */
export const sendable = (model: ModelIds) => model.invalid === 0 && model.ids.length > 0;

/** How many (item, id) pairs the item yields: one per id and per bad entry, or one when it named nothing. */
export const pairCount = (model: ModelIds) => Math.max(1, model.ids.length + model.invalid);
