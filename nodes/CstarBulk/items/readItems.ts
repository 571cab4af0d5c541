import type { IExecuteFunctions } from 'n8n-workflow';

import { parseIds } from '../bulk/ids';
import type { BulkAction, ItemInput } from '../bulk/types';
import { dataFromFields, dataFromJson, type ReadData } from '../bulk/updateData';
import { JSON_FIELDS, LIST_FIELDS } from '../description/updateFields';

/** Reads every input item's ids (and data, for updates); bad input becomes a rejected item. */
export function readItems(context: IExecuteFunctions, action: BulkAction): ItemInput[] {
	const count = context.getInputData().length;
	const inputs: ItemInput[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		inputs.push(readItem(context, action, itemIndex));
	}
	return inputs;
}

function readItem(context: IExecuteFunctions, action: BulkAction, itemIndex: number): ItemInput {
	let rawIds: unknown;
	try {
		rawIds = context.getNodeParameter('ids', itemIndex);
	} catch (error) {
		return rejectWhole(itemIndex, null, 'invalid_expression', expressionMessage('IDs', error));
	}
	const parsed = parseIds(rawIds);
	if (!parsed.ok) return { itemIndex, rejected: parsed.rejected };
	if (action === 'delete') return { itemIndex, ids: parsed.ids };

	const data = readUpdateData(context, itemIndex);
	if (!data.ok) {
		return { itemIndex, rejected: parsed.ids.map((id) => ({ id, code: data.code, message: data.message })) };
	}
	return { itemIndex, ids: parsed.ids, data: data.data };
}

function readUpdateData(context: IExecuteFunctions, itemIndex: number): ReadData {
	try {
		const mode = context.getNodeParameter('dataMode', itemIndex, 'fields') as string;
		if (mode === 'json') return dataFromJson(context.getNodeParameter('jsonData', itemIndex));
		const fields = context.getNodeParameter('updateFields', itemIndex, {}) as Record<string, unknown>;
		return dataFromFields(fields, { jsonFields: JSON_FIELDS, listFields: LIST_FIELDS });
	} catch (error) {
		return { ok: false, code: 'invalid_expression', message: expressionMessage('the update data', error) };
	}
}

function rejectWhole(itemIndex: number, id: string | null, code: string, message: string): ItemInput {
	return { itemIndex, rejected: [{ id, code, message }] };
}

function expressionMessage(field: string, error: unknown): string {
	const reason = error instanceof Error ? error.message : String(error);
	return `Could not read ${field} for this item: ${reason}. Fix the expression and run again.`;
}
