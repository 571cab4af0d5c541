import { hasControlCharacter } from './invariants';

/**
 * What an item's "IDs" value means, written from the node's promise (issue 2) rather than from its
 * parser: one id, an array of ids, or a comma/space/newline separated list; an entry that is not
 * text or a finite number, or an id with control characters or longer than 256 characters, makes
 * the whole item invalid (one pair per bad entry, one per good id, nothing sent); nothing at all is
 * one "missing" pair. Issue 19: a list written as text ('["a","b"]', "['a', 'b']") names its
 * entries, a token in matching quotes is the id inside them, and an id that still holds a bracket,
 * brace or quote is invalid (never sent).
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
	collect(value, model, 0);
	return model;
}

const QUOTES = ['""', "''", '``', '“”', '‘’'];
const NEVER_IN_AN_ID = ['[', ']', '{', '}', '"', "'", '`', '“', '”', '‘', '’'];

function collect(value: unknown, model: ModelIds, depth: number): void {
	if (typeof value === 'string') {
		const text = value.trim();
		if (depth <= 1 && text.startsWith('[') && text.endsWith(']')) {
			const parsed = jsonList(text);
			if (parsed !== undefined) collectEntries(parsed, model, depth + 1);
			else addTokens(text.slice(1, -1), model);
		} else {
			addTokens(value, model);
		}
	} else if (typeof value === 'number') {
		if (Number.isFinite(value)) model.ids.push(String(value));
		else model.invalid++;
	} else if (Array.isArray(value) && depth === 0) {
		collectEntries(value, model, 1);
	} else if (value !== null && value !== undefined) {
		model.invalid++;
	}
}

function collectEntries(entries: unknown[], model: ModelIds, depth: number): void {
	for (const entry of entries) {
		if (entry === null || entry === undefined) model.invalid++;
		else collect(entry, model, depth);
	}
}

function jsonList(text: string): unknown[] | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function addTokens(text: string, model: ModelIds): void {
	for (const raw of text.split(SEPARATORS)) {
		if (raw === '') continue;
		const quotes = QUOTES.find(
			([open, close]) => raw.length > 2 && raw.startsWith(open) && raw.endsWith(close),
		);
		const token = quotes === undefined ? raw : raw.slice(1, -1);
		if (
			NEVER_IN_AN_ID.some((char) => token.includes(char)) ||
			hasControlCharacter(token) ||
			token.length > MAX_ID_LENGTH
		)
			model.invalid++;
		else model.ids.push(token);
	}
}

/** Whether the item's ids can be sent at all. */
export const sendable = (model: ModelIds) => model.invalid === 0 && model.ids.length > 0;

/** How many (item, id) pairs the item yields: one per id and per bad entry, or one when it named nothing. */
export const pairCount = (model: ModelIds) => Math.max(1, model.ids.length + model.invalid);
