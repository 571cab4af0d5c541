import type { INodeProperties } from 'n8n-workflow';

import { AGENT_SEARCH_LIMIT } from '../bulk/search';
import type { BulkAction } from '../bulk/types';
import type { ResourceChoice } from './resourceOperation';

const ID_EXAMPLE: Record<ResourceChoice, string> = {
	article: 'art_a1b2c3d4e5f67890abcdef1234567890',
	customer: 'cus_7c9e667974254de0944be07fc1f90ae7',
	ticket: 'tkt_550e8400e29b41d4a716446655440000',
};

/** What the model reads about the tool; the user may rewrite it in the tool's Description. */
export function toolDescriptionFor(resource: ResourceChoice, action: BulkAction): string {
	const plural = `${resource}s`;
	const what =
		action === 'delete'
			? `Deletes cStar ${plural} by id. Deleting cannot be undone: delete only ${plural} the user clearly asked to delete.`
			: `Updates cStar ${plural} by id, setting the same fields on each.`;
	return [
		what,
		`Ids are cStar ${resource} ids such as ${ID_EXAMPLE[resource]}, given as a list or separated by commas.`,
		`Give at most 100 ids per call: up to 100, every id comes back listed; more are sent 100 at a time, but only the counts and the failed ids come back.`,
		`The result starts with a summary, then each id with its status, and for a failed id cStar's code and message.`,
	].join(' ');
}

/** The same, for a tool whose records come from a search the user set up (filters may be $fromAI). */
export function searchToolDescriptionFor(resource: ResourceChoice, action: BulkAction): string {
	const plural = `${resource}s`;
	const what =
		action === 'delete'
			? `Deletes every cStar ${resource} that matches a search. Deleting cannot be undone: use it only when the user clearly asked to delete those ${plural}.`
			: `Updates every cStar ${resource} that matches a search, setting the same fields on each.`;
	return [
		what,
		`Give the filters this tool asks for; a search without any filter is refused.`,
		`At most ${AGENT_SEARCH_LIMIT} ${plural} are changed per call unless the workflow sets another limit; when more match, nothing is changed and the result says how many match.`,
		`The result starts with a summary, then counts, the search (how many matched, how many were acted on), and each id with its status (up to 100 ids; failed ids first).`,
	].join(' ');
}

function defaultToolDescription(
	resource: ResourceChoice,
	action: BulkAction,
	source: 'input' | 'search',
): string {
	return source === 'search'
		? searchToolDescriptionFor(resource, action)
		: toolDescriptionFor(resource, action);
}

const RESOURCES: ResourceChoice[] = ['article', 'customer', 'ticket'];
const ACTIONS: BulkAction[] = ['delete', 'update'];
const SOURCES = ['input', 'search'] as const;

/**
 * Shown only on the Cstar Bulk Tool node ('@tool'). Having our own `toolDescription` keeps n8n
 * from adding its "Set Automatically" one, which would tell the model only the operation's name.
 * The input-mode text is unchanged, so saved tools keep their description.
 */
export const toolDescriptionProperties: INodeProperties[] = RESOURCES.flatMap((resource) =>
	ACTIONS.flatMap((action) =>
		SOURCES.map(
			(source): INodeProperties => ({
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				typeOptions: { rows: 4 },
				default: defaultToolDescription(resource, action, source),
				required: true,
				displayOptions: {
					show: { resource: [resource], operation: [action], source: [source], '@tool': [true] },
				},
				description:
					'What the AI agent reads about this tool: what it does, which IDs or filters it takes and what comes back',
			}),
		),
	),
);
