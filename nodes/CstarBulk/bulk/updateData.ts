import type { UpdateData } from './types';

export type ReadData =
	| { ok: true; data: UpdateData }
	| { ok: false; code: string; message: string };

export interface FieldKinds {
	jsonFields: Set<string>;
	listFields: Set<string>;
}

/** "Update Fields" as the UI gives them → the data cStar receives. */
export function dataFromFields(fields: Record<string, unknown>, kinds: FieldKinds): ReadData {
	const data: UpdateData = {};
	for (const [name, value] of Object.entries(fields)) {
		if (kinds.listFields.has(name)) {
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
			message: `${label} must be a JSON object like {"status": "closed"}, not ${Array.isArray(parsed) ? 'a list' : typeof parsed}.`,
		};
	}
	return { ok: true, data: parsed as UpdateData };
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
	if (Object.keys(data).length > 0) return { ok: true, data };
	return {
		ok: false,
		code: 'no_update_fields',
		message:
			'Nothing to update for this item: add at least one field under "Update Fields" (or give a non-empty object in "JSON Data").',
	};
}
