import type { INodeProperties } from 'n8n-workflow';

import type { CstarResource } from '../bulk/types';

export type ResourceChoice = 'article' | 'customer' | 'ticket';

export const API_RESOURCE: Record<ResourceChoice, CstarResource> = {
	article: 'articles',
	customer: 'customers',
	ticket: 'tickets',
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Article', value: 'article' },
		{ name: 'Customer', value: 'customer' },
		{ name: 'Ticket', value: 'ticket' },
	],
	default: 'ticket',
	description: 'Which kind of cStar record the IDs belong to',
};

function operationFor(resource: ResourceChoice, plural: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: `Delete ${plural} by ID, up to 100 per call`,
				action: `Delete ${plural} in bulk`,
			},
			{
				name: 'Update',
				value: 'update',
				description: `Set the same fields on many ${plural}, up to 100 per call`,
				action: `Update ${plural} in bulk`,
			},
		],
		default: 'update',
	};
}

export const operationProperties: INodeProperties[] = [
	operationFor('article', 'articles'),
	operationFor('customer', 'customers'),
	operationFor('ticket', 'tickets'),
];

export const idsProperty: INodeProperties = {
	displayName: 'IDs',
	name: 'ids',
	type: 'string',
	default: '={{ $json.id }}',
	required: true,
	displayOptions: { show: { source: ['input'] } },
	placeholder: 'e.g. tkt_a1B2c3D4e5F6',
	description:
		'The IDs to change. Each item can give one ID, a list of IDs, or several IDs separated by commas, spaces or new lines. IDs from all items are gathered and sent 100 per call.',
	hint: 'Every ID leaves on Succeeded (cStar confirmed it) or Failed (with the reason), paired to the item that named it',
};
