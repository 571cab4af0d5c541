import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { PickerReader } from '../bulk/updateData';
import { NOBODY, customerIdFrom, customerLocator, memberIdFrom, memberLocator } from './pickers';
import type { ResourceChoice } from './resourceOperation';

const showForUpdate = (resource: ResourceChoice) => ({
	show: { resource: [resource], operation: ['update'], dataMode: ['fields'] },
});

const tagsField = (plural: string): INodeProperties => ({
	displayName: 'Tags',
	name: 'tags',
	type: 'string',
	default: '',
	placeholder: 'e.g. vip, billing',
	description: `Comma-separated tags. They replace the tags the ${plural} have now.`,
});

const notesField: INodeProperties = {
	displayName: 'Notes',
	name: 'notes',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'Internal notes; they replace the current notes',
};

const metadataField: INodeProperties = {
	displayName: 'Metadata (JSON)',
	name: 'metadata',
	type: 'json',
	default: '{}',
	description: 'Key-value metadata as a JSON object. A key set to null is removed.',
};

function choices(values: string[]): INodePropertyOptions[] {
	return [...values]
		.sort()
		.map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value }));
}

const ticketFields: INodeProperties[] = [
	memberLocator({
		displayName: 'Assigned To',
		name: 'assignedTo',
		unassign: true,
		description: `The team member who owns the tickets. Pick "Nobody" (or type ${NOBODY} under By ID) to unassign them.`,
	}),
	customerLocator({
		displayName: 'Customer',
		name: 'customerId',
		description: 'Move the tickets to this customer',
	}),
	metadataField,
	notesField,
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'options',
		options: choices(['low', 'normal', 'high', 'urgent']),
		default: 'normal',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: choices(['new', 'open', 'pending', 'resolved', 'closed']),
		default: 'closed',
	},
	tagsField('tickets'),
	{ displayName: 'Title', name: 'title', type: 'string', default: '' },
];

const customerFields: INodeProperties[] = [
	{
		displayName: 'Custom Fields (JSON)',
		name: 'customFields',
		type: 'json',
		default: '{}',
		description: 'Your team’s custom customer fields as a JSON object',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Must be unique in the team, so set it on one customer at a time',
	},
	metadataField,
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	notesField,
	{
		displayName: 'Sentiment',
		name: 'sentiment',
		type: 'options',
		options: choices(['angry', 'frustrated', 'happy', 'negative', 'neutral', 'positive']),
		default: 'neutral',
		description:
			'The cStar docs list both positive/neutral/negative and happy/neutral/frustrated/angry',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: choices(['active', 'inactive']),
		default: 'inactive',
	},
	tagsField('customers'),
];

const articleFields: INodeProperties[] = [
	{
		displayName: 'Category',
		name: 'category',
		type: 'string',
		default: '',
		description:
			'The category ID of the articles. cStar documents no list of categories, so copy the "category" value of an article already in that category (from a GET /articles answer, or any article in cStar).',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		description: 'Article body in Markdown',
	},
	{ displayName: 'Excerpt', name: 'excerpt', type: 'string', default: '' },
	{
		displayName: 'Is Public',
		name: 'isPublic',
		type: 'boolean',
		default: true,
		description: 'Whether the articles are visible to customers',
	},
	{ displayName: 'Meta Description', name: 'metaDescription', type: 'string', default: '' },
	metadataField,
	notesField,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: choices(['archived', 'draft', 'published']),
		default: 'published',
	},
	tagsField('articles'),
	{ displayName: 'Title', name: 'title', type: 'string', default: '' },
];

function updateFieldsFor(resource: ResourceChoice, fields: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForUpdate(resource),
		description:
			'The fields to set on every ID. Items whose values differ are sent in separate calls.',
		options: fields,
	};
}

export const dataModeProperty: INodeProperties = {
	displayName: 'Data Mode',
	name: 'dataMode',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { operation: ['update'] } },
	options: [
		{
			name: 'Fields Below',
			value: 'fields',
			description: 'Pick the documented fields to set',
		},
		{
			name: 'JSON',
			value: 'json',
			description: 'Give the update as a JSON object, for any field cStar accepts',
		},
	],
	default: 'fields',
};

export const updateDataProperties: INodeProperties[] = [
	dataModeProperty,
	updateFieldsFor('article', articleFields),
	updateFieldsFor('customer', customerFields),
	updateFieldsFor('ticket', ticketFields),
	{
		displayName: 'JSON Data',
		name: 'jsonData',
		type: 'json',
		default: '{\n  "status": "closed"\n}',
		required: true,
		displayOptions: { show: { operation: ['update'], dataMode: ['json'] } },
		description:
			'The fields to set, as a JSON object. Items whose data differ are sent in separate calls.',
	},
];

/** Fields typed as JSON in the UI; their text is parsed before sending. */
export const JSON_FIELDS = new Set(['customFields', 'metadata']);
/** Fields typed as comma-separated text in the UI and sent as a list. */
export const LIST_FIELDS = new Set(['tags']);
/** Fields picked from cStar (or typed as an ID) in the UI; each sends the picked id. */
export const PICKER_FIELDS = new Map<string, PickerReader>([
	['assignedTo', (value) => memberIdFrom(value, 'Assigned To')],
	['customerId', (value) => customerIdFrom(value, 'Customer')],
]);
