import type { IExecuteFunctions } from 'n8n-workflow';

import {
	AGENT_SEARCH_LIMIT,
	DEFAULT_SEARCH_LIMIT,
	hasAnyFilter,
	noFilterError,
	readFilters,
	type Keep,
	type LimitMode,
	type SearchFilters,
	type SearchLimit,
} from '../bulk/search';
import { readTypedValue, type ValueSpec } from '../bulk/typedValues';
import { pickedValue } from '../description/pickers';
import {
	allRecordsProperty,
	limitModeProperty,
	maxRecordsProperty,
	PICKER_FILTERS,
} from '../description/search';
import { numberSpecOf, specOf } from '../description/valueSpecs';
import type { BulkAction, CstarResource, RejectedItem, UpdateData } from '../bulk/types';
import { expressionMessage, updateDataReader } from './readItems';

/** One input item's search, read and checked before any call. */
export interface SearchItem {
	itemIndex: number;
	filters: SearchFilters;
	limit: SearchLimit;
	keep: Keep;
	data?: UpdateData;
}

export type SearchInput = SearchItem | RejectedItem;

export function isSearchItem(input: SearchInput): input is SearchItem {
	return 'filters' in input;
}

const ALL_RECORDS = specOf(allRecordsProperty);
const LIMIT_MODE = specOf(limitModeProperty);
const limitSpec = (fallback: number): ValueSpec => ({
	...numberSpecOf(maxRecordsProperty),
	default: fallback,
});

/** Reads every input item's search; a search that can't run becomes a rejected item, with why. */
export function readSearches(
	context: IExecuteFunctions,
	target: { resource: CstarResource; action: BulkAction; asTool: boolean },
): SearchInput[] {
	const count = context.getInputData().length;
	const readData = target.action === 'update' ? updateDataReader(context) : undefined;
	const defaultLimit = target.asTool ? AGENT_SEARCH_LIMIT : DEFAULT_SEARCH_LIMIT;
	const searches: SearchInput[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		let search: SearchInput;
		try {
			search = readSearch(context, itemIndex, target.resource, defaultLimit);
		} catch (error) {
			search = refused(itemIndex, 'invalid_expression', expressionMessage('the search', error));
		}
		if (isSearchItem(search) && readData !== undefined) {
			const data = readData(itemIndex);
			search = data.ok
				? { ...search, data: data.data, keep: { kind: 'fields', fields: Object.keys(data.data) } }
				: refused(itemIndex, data.code, data.message);
		}
		searches.push(search);
	}
	return searches;
}

function readSearch(
	context: IExecuteFunctions,
	itemIndex: number,
	resource: CstarResource,
	defaultLimit: number,
): SearchInput {
	const raw = context.getNodeParameter('filters', itemIndex, {}) as Record<string, unknown>;
	const filters = readFilters(resource, withPickedIds(raw ?? {}));
	if (!filters.ok) return refused(itemIndex, 'invalid_filter', said(filters));
	const allRecords = readTypedValue(
		ALL_RECORDS,
		context.getNodeParameter('allRecords', itemIndex, false),
	);
	if (!allRecords.ok) return refused(itemIndex, 'invalid_parameter', said(allRecords));
	if (!hasAnyFilter(filters.value) && allRecords.value !== true)
		return refused(itemIndex, 'no_filter', said(noFilterError(resource)));
	const mode = readTypedValue(LIMIT_MODE, context.getNodeParameter('limitMode', itemIndex, 'stop'));
	if (!mode.ok) return refused(itemIndex, 'invalid_parameter', said(mode));
	let max = defaultLimit;
	if (mode.value !== 'none') {
		const raw = context.getNodeParameter('limit', itemIndex, defaultLimit);
		// n8n fills in a parameter's default when loading a workflow, so as a tool 1000 counts as
		// unset and the lower limit applies: an agent's mistake should stay small.
		const unset = raw === DEFAULT_SEARCH_LIMIT && defaultLimit !== DEFAULT_SEARCH_LIMIT;
		const read = readTypedValue(limitSpec(defaultLimit), unset ? defaultLimit : raw);
		if (!read.ok) return refused(itemIndex, 'invalid_parameter', said(read));
		max = read.value as number;
	}
	return {
		itemIndex,
		filters: filters.value,
		limit: { mode: mode.value as LimitMode, max },
		keep: { kind: 'record' },
	};
}

function said(problem: { message: string; description: string }): string {
	return `${problem.message}. ${problem.description}`;
}

function refused(itemIndex: number, code: string, message: string): RejectedItem {
	return { itemIndex, rejected: [{ id: null, code, message }] };
}

/** A picker filter's id out of its resource locator; an empty picker reads as an unset filter. */
function withPickedIds(raw: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(raw).map(([name, value]) => [
			name,
			PICKER_FILTERS.has(name) ? pickedValue(value) : value,
		]),
	);
}
