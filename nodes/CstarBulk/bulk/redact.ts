/**
 * The one home of key masking: every text the node quotes back (Team ID, Base URL, ids, data,
 * option values, cStar's answers) passes through here before a user, a log or an agent sees it.
 */

export const REDACTED = '[redacted key]';

/** "sk_live_…", "pk_test_…" anywhere, even glued to a team id or word before it. */
const LIVE_OR_TEST_KEY = /[sp]k(?:_|%5f)(?:live|test)(?:_|%5f)[a-z0-9_-]*/gi;
/** Any other "sk_…"/"pk_…" that starts a word (after a space, quote, "=", "%3D" …). */
const OTHER_KEY = /(?:(?<=%[0-9a-f]{2})|(?<![a-z]))[sp]k(?:_|%5f)[a-z0-9_-]+/gi;
/** A cheap first look: most texts hold neither pattern, and skip the rest. */
const MAYBE_KEY = /[sp]k(?:_|%5f)/i;

/**
 * The credential's key as it may be quoted: whole, URL-encoded, and its random part without the
 * sk_live_/sk_test_ prefix (from 8 characters: a shorter part would also match ordinary words).
 */
export function secretForms(apiKey: unknown): string[] {
	const key = typeof apiKey === 'string' ? apiKey.trim() : '';
	if (key === '') return [];
	const random = key.replace(/^[a-z]{2}_[a-z]+_/i, '');
	const forms = [key, encodeURIComponent(key)];
	if (random.length >= 8) forms.push(random, encodeURIComponent(random));
	return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** `text` with every key-like part and every form of the credential's key replaced. */
export function maskKeys(text: string, secrets: readonly string[] = []): string {
	const masked = maskPlain(text, secrets);
	if (!masked.includes('%')) return masked;
	const decoded = decodedOrUndefined(masked);
	// A key that only shows once decoded (%73k_…) is masked in the decoded text.
	return decoded !== undefined && maskPlain(decoded, secrets) !== decoded
		? maskPlain(decoded, secrets)
		: masked;
}

/** Whether `text` quotes a key (or the credential's key). */
export function holdsKey(text: string, secrets: readonly string[] = []): boolean {
	return maskKeys(text, secrets) !== text;
}

/** A copy of `value` with every string (and object key) masked; other values as they are. */
export function maskKeysDeep<T>(value: T, secrets: readonly string[] = []): T {
	return mapStrings(value, (text) => maskKeys(text, secrets), 0) as T;
}

/**
 * Only the credential's own key, for cStar's answers before they are read: masking every
 * key-like text there could change an id that cStar names, and so whom a result belongs to.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return value;
	return mapStrings(value, (text) => replaceSecrets(text, secrets), 0) as T;
}

/** `value` with `map` applied to every string; the very same object where nothing changed. */
function mapStrings(value: unknown, map: (text: string) => string, depth: number): unknown {
	if (typeof value === 'string') return map(value);
	if (depth > 64 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		const mapped = value.map((entry) => mapStrings(entry, map, depth + 1));
		return mapped.some((entry, index) => entry !== value[index]) ? mapped : value;
	}
	const prototype = Object.getPrototypeOf(value);
	if (prototype !== Object.prototype && prototype !== null) return value;
	const entries = Object.entries(value);
	const mapped = entries.map(([name, entry]) => [map(name), mapStrings(entry, map, depth + 1)]);
	const changed = mapped.some(
		([name, entry], index) => name !== entries[index][0] || entry !== entries[index][1],
	);
	return changed ? Object.fromEntries(mapped) : value;
}

function replaceSecrets(text: string, secrets: readonly string[]): string {
	let masked = text;
	for (const secret of secrets) {
		if (masked.includes(secret)) masked = masked.split(secret).join(REDACTED);
	}
	return masked;
}

function maskPlain(text: string, secrets: readonly string[]): string {
	const masked = replaceSecrets(text, secrets);
	if (!MAYBE_KEY.test(masked)) return masked;
	return masked.replace(LIVE_OR_TEST_KEY, keyOrHint).replace(OTHER_KEY, keyOrHint);
}

/** A key has a random part; "sk_live_…" in a hint of our own (or cStar's) names only the kind. */
function keyOrHint(match: string): string {
	const random = match.replace(/^[sp]k(?:_|%5f)(?:(?:live|test)(?:_|%5f))?/i, '');
	return /[a-z0-9]/i.test(random) ? REDACTED : match;
}

function decodedOrUndefined(text: string): string | undefined {
	try {
		const decoded = decodeURIComponent(text);
		return decoded === text ? undefined : decoded;
	} catch {
		return undefined;
	}
}
