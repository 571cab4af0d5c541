import type { IExecuteFunctions } from 'n8n-workflow';

import { parseIds } from '../bulk/ids';
import type { BulkAction, ItemInput } from '../bulk/types';
import { dataFromFields, dataFromJson, type ReadData } from '../bulk/updateData';
import { JSON_FIELDS, LIST_FIELDS } from '../description/updateFields';

type ReadIds = (itemIndex: number) => unknown;
type ReadUpdateData = (itemIndex: number) => ReadData;

/**
 * Reads every input item's ids (and data, for updates); bad input becomes a rejected item.
 * n8n evaluates an expression for each item it is read for (about 0.3 ms each in n8n 2.40), which
 * dominates a run of 100,000 items, so the readers below skip evaluations that cannot change the
 * result: a plain `{{ $json.field }}` is read from the item, and data without expressions once.
 */
export function readItems(context: IExecuteFunctions, action: BulkAction): ItemInput[] {
	const count = context.getInputData().length;
	if (count === 0) return [];
	const readIds = idsReader(context);
	const readData = action === 'update' ? updateDataReader(context) : undefined;
	const inputs: ItemInput[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		inputs.push(readItem(itemIndex, readIds, readData));
	}
	return inputs;
}

function readItem(
	itemIndex: number,
	readIds: ReadIds,
	readData: ReadUpdateData | undefined,
): ItemInput {
	let rawIds: unknown;
	try {
		rawIds = readIds(itemIndex);
	} catch (error) {
		return {
			itemIndex,
			rejected: [
				{ id: null, code: 'invalid_expression', message: expressionMessage('IDs', error) },
			],
		};
	}
	const parsed = parseIds(rawIds);
	if (!parsed.ok) return { itemIndex, rejected: parsed.rejected };
	if (readData === undefined) return { itemIndex, ids: parsed.ids };

	const data = readData(itemIndex);
	if (!data.ok) {
		return {
			itemIndex,
			rejected: parsed.ids.map((id) => ({ id, code: data.code, message: data.message })),
		};
	}
	return { itemIndex, ids: parsed.ids, data: data.data };
}

/** `={{ $json.id }}`, `={{ $json["id"] }}` or `={{ $json['id'] }}` → 'id'; anything else → undefined. */
export function plainJsonField(expression: unknown): string | undefined {
	if (typeof expression !== 'string') return undefined;
	const match =
		/^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]+)"|'([^'\\]+)')\s*\])\s*\}\}$/.exec(
			expression,
		);
	return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function idsReader(context: IExecuteFunctions): ReadIds {
	const field = plainJsonField(context.getNodeParameter('ids', 0, '', { rawExpressions: true }));
	if (field === undefined) return (itemIndex) => context.getNodeParameter('ids', itemIndex);
	const items = context.getInputData();
	return (itemIndex) => items[itemIndex].json[field];
}

export function updateDataReader(context: IExecuteFunctions): ReadUpdateData {
	const readers = new Map<string, ReadUpdateData>();
	const readerFor = (mode: 'json' | 'fields'): ReadUpdateData => {
		let reader = readers.get(mode);
		if (reader === undefined) {
			reader = dataReaderFor(context, mode);
			readers.set(mode, reader);
		}
		return reader;
	};
	const modeOf = (itemIndex: number) =>
		context.getNodeParameter('dataMode', itemIndex, 'fields') === 'json' ? 'json' : 'fields';
	// Data Mode is read per item only when it is an expression; one n8n read costs µs per item.
	if (!holdsExpression(context.getNodeParameter('dataMode', 0, 'fields', { rawExpressions: true })))
		return readerFor(modeOf(0));
	return (itemIndex) => readerFor(modeOf(itemIndex))(itemIndex);
}

function dataReaderFor(context: IExecuteFunctions, mode: 'json' | 'fields'): ReadUpdateData {
	const name = mode === 'json' ? 'jsonData' : 'updateFields';
	const readOne = (itemIndex: number): ReadData => {
		try {
			if (mode === 'json') return dataFromJson(context.getNodeParameter(name, itemIndex));
			const fields = context.getNodeParameter(name, itemIndex, {}) as Record<string, unknown>;
			return dataFromFields(fields, { jsonFields: JSON_FIELDS, listFields: LIST_FIELDS });
		} catch (error) {
			return {
				ok: false,
				code: 'invalid_expression',
				message: expressionMessage('the update data', error),
			};
		}
	};
	if (holdsExpression(context.getNodeParameter(name, 0, {}, { rawExpressions: true })))
		return readOne;
	let shared: ReadData | undefined;
	return (itemIndex) => (shared ??= readOne(itemIndex));
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

export function expressionMessage(field: string, error: unknown): string {
	const reason = error instanceof Error ? error.message : String(error);
	return `Could not read ${field} for this item: ${reason}. Fix the expression and run again.`;
}
