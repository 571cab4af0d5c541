import type { UpdateData } from './types';

export type ReadData =
	| { ok: true; data: UpdateData }
	| { ok: false; code: string; message: string };

/** Reads a picker field (a resource locator or an old plain string) into the id to send. */
export type PickerReader = (
	value: unknown,
) => { ok: true; id: string | null } | { ok: false; message: string };

export interface FieldKinds {
	jsonFields: Set<string>;
	listFields: Set<string>;
	pickerFields?: Map<string, PickerReader>;
}

/** "Update Fields" as the UI gives them → the data cStar receives. */
export function dataFromFields(fields: Record<string, unknown>, kinds: FieldKinds): ReadData {
	const data: UpdateData = {};
	for (const [name, value] of Object.entries(fields)) {
		const picker = kinds.pickerFields?.get(name);
		if (picker) {
			const picked = picker(value);
			if (!picked.ok) return { ok: false, code: 'missing_value', message: picked.message };
			data[name] = picked.id;
		} else if (kinds.listFields.has(name)) {
			data[name] = toList(value);
		} else if (kinds.jsonFields.has(name)) {
			const parsed = parseJsonObject(value, `"${name}"`);
			if (!parsed.ok) return parsed;
			data[name] = parsed.data;
		} else {
			data[name] = value;
		}
	}
	return nonEmpty(data);
}

/** "JSON Data" (text, or an object when an expression produced one) → the data cStar receives. */
export function dataFromJson(value: unknown): ReadData {
	const parsed = parseJsonObject(value, '"JSON Data"');
	return parsed.ok ? nonEmpty(parsed.data) : parsed;
}

function parseJsonObject(value: unknown, label: string): ReadData {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = value.trim() === '' ? {} : JSON.parse(value);
		} catch (error) {
			return {
				ok: false,
				code: 'invalid_json',
				message: `${label} is not valid JSON (${(error as Error).message}). Write an object like {"status": "closed"}.`,
			};
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		return {
			ok: false,
			code: 'invalid_json',
			message: `${label} must be a JSON object like {"status": "closed"}, not ${kindOf(parsed)}.`,
		};
	}
	return { ok: true, data: parsed as UpdateData };
}

function kindOf(value: unknown): string {
	if (value === null || value === undefined) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return 'text';
	if (typeof value === 'boolean') return `the value ${String(value)}`;
	if (typeof value === 'number') return 'a number';
	return `a value of type ${typeof value}`;
}

function toList(value: unknown): string[] {
	if (Array.isArray(value))
		return value
			.map(String)
			.map((tag) => tag.trim())
			.filter((tag) => tag !== '');
	return String(value ?? '')
		.split(',')
		.map((tag) => tag.trim())
		.filter((tag) => tag !== '');
}

function nonEmpty(data: UpdateData): ReadData {
	const wire = toWireForm(data);
	if (!wire.ok) return wire;
	if (Object.keys(wire.data).length > 0) return wire;
	return {
		ok: false,
		code: 'no_update_fields',
		message:
			'Nothing to update for this item: add at least one field under "Update Fields" (or give a non-empty object in "JSON Data").',
	};
}

/**
 * The data exactly as JSON puts it on the wire, so grouping and the dry run see what cStar gets:
 * a Date becomes its ISO text, undefined fields drop out. Data JSON cannot carry (a cycle, a
 * function, a BigInt) is refused rather than silently changed.
 */
export function toWireForm(data: UpdateData): ReadData {
	if (isPlainJson(data, 0)) return { ok: true, data };
	const problem = unserialisable(data, new Set());
	if (problem !== undefined) return notJson(problem);
	try {
		return { ok: true, data: JSON.parse(JSON.stringify(data)) as UpdateData };
	} catch (error) {
		return notJson((error as Error).message);
	}
}

function notJson(problem: string): ReadData {
	return {
		ok: false,
		code: 'invalid_json',
		message: `The update data for this item cannot be sent as JSON (${problem}). Give plain values: text, numbers, true/false, null, lists and objects.`,
	};
}

/** Fast path: already what JSON would send (plain objects and arrays of strings, finite numbers ...). */
function isPlainJson(value: unknown, depth: number): boolean {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
	if (typeof value === 'number') return Number.isFinite(value);
	if (depth > 50 || typeof value !== 'object') return false;
	if (Array.isArray(value)) return value.every((entry) => isPlainJson(entry, depth + 1));
	const prototype = Object.getPrototypeOf(value);
	if (prototype !== Object.prototype && prototype !== null) return false;
	return Object.values(value).every(
		(entry) => entry !== undefined && isPlainJson(entry, depth + 1),
	);
}

function unserialisable(value: unknown, seen: Set<object>): string | undefined {
	if (typeof value === 'function') return 'a function';
	if (typeof value === 'symbol') return 'a symbol';
	if (typeof value === 'bigint') return 'a BigInt';
	if (value === null || typeof value !== 'object') return undefined;
	if (seen.has(value)) return 'it refers to itself';
	if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
	seen.add(value);
	for (const entry of Object.values(value)) {
		const problem = unserialisable(entry, seen);
		if (problem !== undefined) return problem;
	}
	seen.delete(value);
	return undefined;
}
