/**
 * One reader for every typed parameter: an expression may hand over text ("true", " 250 ") where
 * the UI gives a boolean or a number, so text forms are accepted and anything else is refused,
 * naming the option, the value and what it accepts.
 */
export type ValueSpec =
	| { kind: 'boolean'; label: string; default: boolean }
	| { kind: 'number'; label: string; default: number; min: number; max: number; integer: boolean }
	| {
			kind: 'choice';
			label: string;
			default: string;
			choices: Array<{ name: string; value: string }>;
	  };

export type TypedValue<T> =
	| { ok: true; value: T }
	| { ok: false; message: string; description: string };

type ValueOf<S extends ValueSpec> = S extends { kind: 'boolean' }
	? boolean
	: S extends { kind: 'number' }
		? number
		: string;

export function readTypedValue<S extends ValueSpec>(spec: S, raw: unknown): TypedValue<ValueOf<S>> {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
		return { ok: true, value: spec.default as ValueOf<S> };
	const read = readAs(spec, raw);
	if (read !== undefined) return { ok: true, value: read as ValueOf<S> };
	return {
		ok: false,
		message: `"${spec.label}" cannot be ${shown(raw)}`,
		description: `"${spec.label}" takes ${accepted(spec)}. Fix the value or its expression and run again.`,
	};
}

function readAs(spec: ValueSpec, raw: unknown): boolean | number | string | undefined {
	if (spec.kind === 'boolean') {
		if (typeof raw === 'boolean') return raw;
		const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
		return text === 'true' ? true : text === 'false' ? false : undefined;
	}
	if (spec.kind === 'number') {
		const value =
			typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
		if (!Number.isFinite(value) || value < spec.min || value > spec.max) return undefined;
		if (spec.integer && !Number.isInteger(value)) return undefined;
		return value;
	}
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	return spec.choices.find((choice) => choice.value === text)?.value;
}

function accepted(spec: ValueSpec): string {
	if (spec.kind === 'boolean') return 'true or false';
	if (spec.kind === 'number') {
		const what = spec.integer ? 'a whole number' : 'a number';
		return spec.max === Number.MAX_SAFE_INTEGER
			? `${what} from ${spec.min}`
			: `${what} from ${spec.min} to ${spec.max}`;
	}
	return `one of: ${spec.choices.map((choice) => choice.value).join(', ')}`;
}

function shown(raw: unknown): string {
	if (typeof raw === 'string')
		return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	if (Array.isArray(raw)) return 'a list';
	return typeof raw === 'object' ? 'an object' : typeof raw;
}
