import type { CstarResource, RejectedPair } from './types';

export const MAX_ID_LENGTH = 256;

const SEPARATORS = /[\s,]+/;

export type ParsedIds = { ok: true; ids: string[] } | { ok: false; rejected: RejectedPair[] };

/**
 * The one id parser: turns what an item gives for "IDs" (one id, an array, or a comma, space or
 * newline separated list) into ids, or into the reasons the item can't be sent. An item with any
 * bad entry is rejected whole, so nothing is sent for input that is partly wrong.
 */
export function parseIds(value: unknown): ParsedIds {
	const ids: string[] = [];
	const problems: RejectedPair[] = [];
	collect(value, ids, problems, 0);
	if (problems.length === 0 && ids.length === 0) {
		return { ok: false, rejected: [missingId(value)] };
	}
	if (problems.length === 0) return { ok: true, ids };
	const notSent = ids.map((id) => ({
		id,
		code: 'item_not_sent',
		message: `Not sent because another id in the same item is invalid: ${problems[0].message}`,
	}));
	return { ok: false, rejected: [...problems, ...notSent] };
}

function collect(value: unknown, ids: string[], problems: RejectedPair[], depth: number): void {
	if (typeof value === 'string') {
		const listed = depth <= 1 ? listInText(value) : undefined;
		if (listed !== undefined) collectList(listed, ids, problems, depth + 1);
		else for (const token of tokensOf(value)) addId(token, ids, problems);
		return;
	}
	if (typeof value === 'number') {
		if (Number.isFinite(value)) addId(String(value), ids, problems);
		else problems.push(invalid(String(value), 'A number that is not finite is not an id.'));
		return;
	}
	if (Array.isArray(value) && depth === 0) {
		collectList(value, ids, problems, depth + 1);
		return;
	}
	if (value === null || value === undefined) return;
	problems.push(
		invalid(
			null,
			`An id must be text or a number, but this item gave ${describeType(value)}. Point "IDs" at the field that holds the id, e.g. {{ $json.id }}.`,
		),
	);
}

function collectList(
	entries: unknown[],
	ids: string[],
	problems: RejectedPair[],
	depth: number,
): void {
	for (const entry of entries) {
		if (entry === null || entry === undefined) {
			problems.push(invalid(null, 'The list of ids contains an empty entry.'));
		} else {
			collect(entry, ids, problems, depth);
		}
	}
}

/**
 * A list written as text, as a model or a Set field gives it: JSON ('["tkt_a","tkt_b"]') or
 * with other quotes ("['tkt_a', 'tkt_b']"). Its entries, or undefined for other text.
 */
function listInText(value: string): unknown[] | undefined {
	const text = value.trim();
	if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		if (Array.isArray(parsed)) return parsed;
	} catch {
		// Not JSON: read the inside as a list of (quoted) ids.
	}
	return tokensOf(text.slice(1, -1));
}

const QUOTE_PAIRS = ['""', "''", '``', '“”', '‘’'];
/** Brackets and quotes are never part of a cStar id; an id that still holds one is refused. */
const LIST_SYNTAX = /[[\]{}"'`“”‘’]/;

/** The ids in comma, space or newline separated text, each without the quotes around it. */
function tokensOf(text: string): string[] {
	return text
		.split(SEPARATORS)
		.filter((token) => token !== '')
		.map((token) => {
			const pair = QUOTE_PAIRS.find(
				(quotes) => token.length > 2 && token.startsWith(quotes[0]) && token.endsWith(quotes[1]),
			);
			return pair === undefined ? token : token.slice(1, -1);
		});
}

function addId(token: string, ids: string[], problems: RejectedPair[]): void {
	if (LIST_SYNTAX.test(token)) {
		problems.push(
			invalid(
				shownId(token),
				`The id ${JSON.stringify(shownId(token))} holds brackets or quotes, which no cStar id has. Give the ids as a list, or as text like tkt_a, tkt_b.`,
			),
		);
	} else if (hasControlCharacter(token)) {
		problems.push(
			invalid(
				shownId(token),
				`The id ${JSON.stringify(token)} contains control characters, which no cStar id has.`,
			),
		);
	} else if (token.length > MAX_ID_LENGTH) {
		problems.push(
			invalid(
				shownId(token),
				`An id is ${token.length} characters long; cStar ids are at most ${MAX_ID_LENGTH}. Check that "IDs" points at an id field.`,
			),
		);
	} else {
		ids.push(token);
	}
}

const ID_PREFIX: Record<CstarResource, string> = {
	tickets: 'tkt_',
	customers: 'cus_',
	articles: 'art_',
};
const RAW_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which record an id names. cStar takes a record's prefixed id or its raw UUID
 * (tkt_550e8400e29b… and 550e8400-e29b-…), so both forms get the prefixed key.
 */
export function recordKeyOf(id: string, resource: CstarResource): string {
	if (id.length !== 36 || id[8] !== '-' || !RAW_UUID.test(id)) return id;
	return ID_PREFIX[resource] + id.replace(/-/g, '').toLowerCase();
}

/** How much of an over-long refused id its Failed item shows. */
export const SHOWN_ID_LENGTH = 64;

/**
 * A refused id as given, safe to show: control characters escaped (\u0000), and an over-long id
 * cut at a marked point that says its full length.
 */
export function shownId(token: string): string {
	const cut = token.length > MAX_ID_LENGTH;
	const head = cut ? token.slice(0, SHOWN_ID_LENGTH) : token;
	let escaped = '';
	for (const char of head) {
		const code = char.charCodeAt(0);
		escaped += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
	}
	return cut ? `${escaped}…[cut: ${token.length} characters in all]` : escaped;
}

function missingId(value: unknown): RejectedPair {
	const given = value === undefined || value === null ? 'nothing' : 'an empty value';
	return {
		id: null,
		code: 'missing_id',
		message: `This item has no id ("IDs" gave ${given}). Point "IDs" at the field that holds the id, e.g. {{ $json.id }}.`,
	};
}

function invalid(id: string | null, message: string): RejectedPair {
	return { id, code: 'invalid_id', message };
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a nested list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/** C0 and C1 control characters and DEL: no cStar id contains them, and they break logs and headers. */
function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (isControl(text.charCodeAt(i))) return true;
	}
	return false;
}

function isControl(code: number): boolean {
	return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}
