import { maskKeys } from './redact';

/**
 * The one typed reader of options. An option may come from an expression (a webhook query, a Set
 * field, a sheet cell), so it often arrives as text: text that says a value means that value, and
 * anything else is refused, never clamped or replaced by the default without a word.
 */

export type ValueSpec =
	| { kind: 'boolean'; label: string; default: boolean }
	| {
			kind: 'number';
			label: string;
			default: number;
			min: number;
			max: number;
			integer: boolean;
	  }
	| {
			kind: 'choice';
			label: string;
			default: string;
			choices: ReadonlyArray<{ name: string; value: string }>;
	  };

export type TypedValue<T> =
	| { ok: true; value: T }
	| { ok: false; message: string; description: string };

/** How many characters of a refused value a message quotes. */
export const QUOTED_VALUE_LENGTH = 40;

export function readTypedValue(
	spec: Extract<ValueSpec, { kind: 'boolean' }>,
	raw: unknown,
	secrets?: readonly string[],
): TypedValue<boolean>;
export function readTypedValue(
	spec: Extract<ValueSpec, { kind: 'number' }>,
	raw: unknown,
	secrets?: readonly string[],
): TypedValue<number>;
export function readTypedValue(
	spec: Extract<ValueSpec, { kind: 'choice' }>,
	raw: unknown,
	secrets?: readonly string[],
): TypedValue<string>;
export function readTypedValue(
	spec: ValueSpec,
	raw: unknown,
	secrets?: readonly string[],
): TypedValue<boolean | number | string>;
export function readTypedValue(
	spec: ValueSpec,
	raw: unknown,
	secrets: readonly string[] = [],
): TypedValue<boolean | number | string> {
	if (raw === undefined) return { ok: true, value: spec.default };
	const value =
		spec.kind === 'boolean'
			? booleanOf(raw)
			: spec.kind === 'number'
				? numberOf(raw, spec)
				: choiceOf(raw, spec.choices);
	if (value !== undefined) return { ok: true, value };
	return refusal(spec, raw, secrets);
}

function booleanOf(raw: unknown): boolean | undefined {
	if (typeof raw === 'boolean') return raw;
	if (typeof raw !== 'string') return undefined;
	const text = raw.trim().toLowerCase();
	return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** Decimal notation only: "0x10", "1_000" or "Infinity" are not what a user means by a number. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function numberOf(raw: unknown, spec: Extract<ValueSpec, { kind: 'number' }>): number | undefined {
	let value: number | undefined;
	if (typeof raw === 'number') value = raw;
	else if (typeof raw === 'string' && DECIMAL.test(raw.trim())) value = Number(raw.trim());
	if (value === undefined || !Number.isFinite(value)) return undefined;
	if (value < spec.min || value > spec.max) return undefined;
	if (spec.integer && !Number.isInteger(value)) return undefined;
	return value;
}

function choiceOf(
	raw: unknown,
	choices: ReadonlyArray<{ name: string; value: string }>,
): string | undefined {
	if (typeof raw !== 'string') return undefined;
	const text = raw.trim().toLowerCase();
	const choice = choices.find(
		(entry) => entry.value.toLowerCase() === text || entry.name.toLowerCase() === text,
	);
	return choice?.value;
}

function refusal(spec: ValueSpec, raw: unknown, secrets: readonly string[]): TypedValue<never> {
	const accepts = acceptedText(spec);
	const got = describeValue(raw, secrets);
	return {
		ok: false,
		message: `The option "${spec.label}" got ${got}, which is not ${accepts}`,
		description: `Set "${spec.label}" under Options to ${accepts}${defaultText(spec)}, fix the expression that gives it, or remove the option to use the default. Nothing was sent to cStar.`,
	};
}

/** What the option accepts, in words: "a whole number from 1 to 100", "one of …". */
export function acceptedText(spec: ValueSpec): string {
	if (spec.kind === 'boolean') return 'true or false';
	if (spec.kind === 'number')
		return `${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}`;
	const names = spec.choices.map((choice) => `"${choice.name}" (${choice.value})`);
	return `one of ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' or ' : ''}${names[names.length - 1] ?? 'nothing'}`;
}

function defaultText(spec: ValueSpec): string {
	if (spec.kind === 'choice') {
		const name = spec.choices.find((choice) => choice.value === spec.default)?.name;
		return name === undefined ? '' : ` (default "${name}")`;
	}
	return ` (default ${String(spec.default)})`;
}

/** A refused value as a message may quote it: masked, shortened, with its type in words. */
export function describeValue(raw: unknown, secrets: readonly string[] = []): string {
	if (raw === null) return 'an empty value';
	if (typeof raw === 'string') {
		if (raw.trim() === '') return raw === '' ? 'an empty value' : 'only spaces';
		return `the text ${quoted(raw, secrets)}`;
	}
	if (typeof raw === 'number') {
		if (Number.isNaN(raw)) return 'a value that is not a number';
		if (!Number.isFinite(raw)) return 'an infinite number';
		return `the number ${String(raw)}`;
	}
	if (typeof raw === 'boolean') return `the value ${String(raw)}`;
	if (Array.isArray(raw))
		return `a list of ${raw.length} ${raw.length === 1 ? 'entry' : 'entries'}`;
	if (typeof raw === 'object') return 'an object';
	return `a value of type ${typeof raw}`;
}

/** `"text"`, with its keys masked, control characters escaped, and cut to a readable length. */
export function quoted(text: string, secrets: readonly string[] = []): string {
	const masked = maskKeys(text, secrets);
	const cut = masked.length > QUOTED_VALUE_LENGTH;
	const shown = JSON.stringify(cut ? masked.slice(0, QUOTED_VALUE_LENGTH) : masked);
	return cut ? `${shown.slice(0, -1)}…" (${masked.length} characters)` : shown;
}
