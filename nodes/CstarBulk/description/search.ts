import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	ARTICLE_STATUSES,
	CUSTOMER_SENTIMENTS,
	CUSTOMER_STATUSES,
	DEFAULT_SEARCH_LIMIT,
	TICKET_PRIORITIES,
	TICKET_STATUSES,
} from '../bulk/search';
import { customerLocator, memberLocator } from './pickers';
import type { ResourceChoice } from './resourceOperation';

export type RecordSource = 'input' | 'search';

/**
 * A safety cap on what a search acts on, not a page size of results to return, so n8n's
 * convention for a "limit" of returned results (default 50) does not fit it.
 */
export const LIMIT_PARAMETER = 'limit';

export const sourceProperty: INodeProperties = {
	displayName: 'Records',
	name: 'source',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'From Input Items',
			value: 'input',
			description: 'Act on the IDs that the input items give',
		},
		{
			name: 'Matching a Search',
			value: 'search',
			description:
				'The node lists the records that match the filters below, then acts on them. One search per input item.',
		},
	],
	default: 'input',
	description: 'Where the records to change come from',
};

const showForSearch = { source: ['search'] };

export const searchNotice: INodeProperties = {
	displayName:
		'The node lists every matching record (100 per call) before it changes any. cStar applies the filters marked "cStar"; the node applies those marked "node" to the records it listed, so they still cost the calls that list them.',
	name: 'searchNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: showForSearch },
};

function choices(values: readonly string[]): INodePropertyOptions[] {
	return [...values]
		.sort()
		.map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value }));
}

const CSTAR = 'Applied by cStar';
const NODE = 'Applied by the node to the listed records (cStar has no such filter)';
const DATE_HINT = 'A date, e.g. {{ $now.minus(7, "days") }} or 2026-01-31T00:00:00Z';

function optionFilter(
	name: 'status' | 'priority' | 'sentiment',
	values: readonly string[],
	preset: string,
): INodeProperties {
	const property: INodeProperties = {
		displayName: name === 'status' ? 'Status' : name === 'priority' ? 'Priority' : 'Sentiment',
		name,
		type: 'options',
		options: choices(values),
		default: '',
		description: `Only records whose ${name} is this. ${CSTAR}.`,
	};
	// The first value the panel shows when the filter is added.
	property.default = preset;
	return property;
}

function textFilter(
	displayName: string,
	name: string,
	description: string,
	placeholder?: string,
): INodeProperties {
	const property: INodeProperties = {
		displayName,
		name,
		type: 'string',
		default: '',
		description,
	};
	if (placeholder !== undefined) property.placeholder = placeholder;
	return property;
}

function dateFilter(displayName: string, name: string, field: string): INodeProperties {
	const side = name.endsWith('After') ? 'after' : 'before';
	return {
		displayName,
		name,
		type: 'dateTime',
		default: '',
		description: `Only records whose ${field} is ${side} this moment. ${DATE_HINT}. ${NODE}.`,
	};
}

const DATE_FILTERS: INodeProperties[] = [
	dateFilter('Created After', 'createdAfter', 'createdAt'),
	dateFilter('Created Before', 'createdBefore', 'createdAt'),
	dateFilter('Updated After', 'updatedAfter', 'updatedAt'),
	dateFilter('Updated Before', 'updatedBefore', 'updatedAt'),
];

const searchText = (fields: string) =>
	textFilter(
		'Search Text',
		'search',
		`Only records whose ${fields} contain this text. ${CSTAR}.`,
		'e.g. refund',
	);

const tagFilter = textFilter('Tag', 'tag', `Only records that have this exact tag. ${CSTAR}.`);

/**
 * The ticket member and customer filters are pickers (docs/pickers.md): a list loaded from cStar, or
 * an ID; items/readSearches.ts reads the id out of them.
 */
export function assignedToFilter(): INodeProperties {
	return memberLocator({
		displayName: 'Assigned To',
		name: 'assignedTo',
		description: `Only tickets assigned to this team member. ${CSTAR}.`,
	});
}

export function customerIdFilter(): INodeProperties {
	return customerLocator({
		displayName: 'Customer',
		name: 'customerId',
		description: `Only tickets of this customer. ${CSTAR}.`,
	});
}

/** The filters that are pickers: their value is a resource locator (or a plain string saved before). */
export const PICKER_FILTERS = new Set(['assignedTo', 'customerId']);

const FILTERS: Record<ResourceChoice, INodeProperties[]> = {
	ticket: [
		assignedToFilter(),
		dateFilter('Closed After', 'closedAfter', 'closedAt'),
		dateFilter('Closed Before', 'closedBefore', 'closedAt'),
		...DATE_FILTERS,
		customerIdFilter(),
		textFilter('Has Tag', 'hasTag', `Only tickets that have this exact tag. ${NODE}.`),
		optionFilter('priority', TICKET_PRIORITIES, 'high'),
		searchText('title or customer name'),
		optionFilter('status', TICKET_STATUSES, 'open'),
	],
	customer: [
		...DATE_FILTERS,
		searchText('name or email'),
		optionFilter('sentiment', CUSTOMER_SENTIMENTS, 'negative'),
		optionFilter('status', CUSTOMER_STATUSES, 'active'),
		tagFilter,
	],
	article: [
		textFilter(
			'Category ID',
			'category',
			`Only articles in this category, given by its UUID (cStar ignores a category name or slug). ${CSTAR}.`,
			'e.g. 550e8400-e29b-41d4-a716-446655440000',
		),
		...DATE_FILTERS,
		{
			displayName: 'Is Public',
			name: 'isPublic',
			type: 'boolean',
			default: true,
			description: `Whether to match only public articles (on) or only private ones (off). ${CSTAR}.`,
		},
		searchText('title'),
		optionFilter('status', ARTICLE_STATUSES, 'draft'),
		tagFilter,
	],
};

function filtersFor(resource: ResourceChoice): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: [resource], ...showForSearch } },
		description: 'Which records to act on: a record must match every filter given',
		options: FILTERS[resource],
	};
}

export const allRecordsProperty: INodeProperties = {
	displayName: 'Act on Every Record',
	name: 'allRecords',
	type: 'boolean',
	default: false,
	displayOptions: { show: showForSearch },
	description:
		'Whether a search without any filter may act on every record of this kind. Off, such a search is refused before any call.',
};

export const limitModeProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limitMode',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: showForSearch },
	options: [
		{
			name: 'Stop if More Match',
			value: 'stop',
			description: 'Change nothing when more records match than Max Records',
		},
		{
			name: 'Act on the First N',
			value: 'first',
			description:
				'Act on the first Max Records matches (newest first); a later run finds the rest',
		},
		{
			name: 'No Limit',
			value: 'none',
			description: 'Act on every match, however many',
		},
	],
	default: 'stop',
	description: 'What to do when a search matches many records',
};

export const maxRecordsProperty: INodeProperties = {
	displayName: 'Max Records',
	name: LIMIT_PARAMETER,
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_SEARCH_LIMIT,
	displayOptions: { show: { ...showForSearch, limitMode: ['stop', 'first'] } },
	description: 'The most records one search may act on. As an AI agent’s tool, the default is 100.',
};

export const searchProperties: INodeProperties[] = [
	searchNotice,
	filtersFor('article'),
	filtersFor('customer'),
	filtersFor('ticket'),
	allRecordsProperty,
	limitModeProperty,
	maxRecordsProperty,
];
