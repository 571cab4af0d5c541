// @ts-check
'use strict';

/**
 * The workflows the bench imports into n8n, one per contender and id count. Every workflow starts the
 * same way:
 *
 *   Start (Manual Trigger) → Ids (Edit Fields, raw JSON {"ids": [...]}) → Split (Split Out "ids" → "id")
 *
 * The ids are embedded in the workflow: the first N ticket ids the emulator seeded (same seed, same ids).
 * That costs n8n one JSON parse and one split, the same for every contender and outside the time that is
 * measured, and needs no Code node (n8n 2.x runs those in a separate task-runner process) and no extra
 * request to the emulator. After Split comes the contender.
 */

/** The change every contender applies to every id: one field, valid for PATCH and for /bulk. */
const UPDATE = { status: 'pending' };

/** Credential ids and names as imported (see credentials()). */
const CSTAR_CREDENTIAL = { id: 'benchCstarCred01', name: 'cStar (bench)' };
/** The same for the search emulator, whose tickets all match the search workloads' filters. */
const SEARCH_CREDENTIAL = { id: 'benchCstarCred02', name: 'cStar search emulator (bench)' };
const HEADER_CREDENTIAL = { id: 'benchHeaderCred01', name: 'cStar key as Header Auth (bench)' };

/**
 * @typedef {object} Target
 * @property {string} url     the emulator's base URL
 * @property {string} teamId
 * @property {string} key     a secret key
 * @property {{ id: string, name: string }} [credential]   the cstarApi credential for it (default CSTAR_CREDENTIAL)
 */

/**
 * The credentials the workflows use: our cstarApi (Team ID set, so the node needs no whoami call) and a
 * Header Auth credential holding the same key, for the HTTP Request node; with a search emulator, a
 * cstarApi credential for it.
 * @param {Target} target
 * @param {Target} [searchTarget]
 */
function credentials(target, searchTarget) {
	const search = searchTarget
		? [
				{
					...SEARCH_CREDENTIAL,
					type: 'cstarApi',
					data: {
						apiKey: searchTarget.key,
						teamId: searchTarget.teamId,
						baseUrl: searchTarget.url,
					},
				},
			]
		: [];
	return [
		...search,
		{
			...CSTAR_CREDENTIAL,
			type: 'cstarApi',
			data: { apiKey: target.key, teamId: target.teamId, baseUrl: target.url },
		},
		{
			...HEADER_CREDENTIAL,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${target.key}` },
		},
	];
}

let nodeCounter = 0;
/** @param {string} name @param {string} type @param {number} typeVersion @param {Record<string, unknown>} parameters @param {Record<string, unknown>} [extra] */
function node(name, type, typeVersion, parameters, extra = {}) {
	nodeCounter++;
	return {
		id: `b0000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		name,
		type,
		typeVersion,
		position: [nodeCounter * 220, 0],
		parameters,
		...extra,
	};
}

/** @param {string} to @param {number} [index] */
const link = (to, index = 0) => ({ node: to, type: 'main', index });

/**
 * The common head: Start → Ids → Split. With no ids, just Start (the "empty run"). With idsPerItem > 1,
 * each item's `id` is a list of that many ids.
 * @param {string[]} ids
 * @param {number} idsPerItem
 */
function head(ids, idsPerItem) {
	const start = node('Start', 'n8n-nodes-base.manualTrigger', 1, {});
	if (ids.length === 0) return { nodes: [start], connections: {}, last: 'Start' };
	return {
		nodes: [
			start,
			node('Ids', 'n8n-nodes-base.set', 3.4, {
				mode: 'raw',
				jsonOutput: JSON.stringify({ ids: idsPerItem > 1 ? chunks(ids, idsPerItem) : ids }),
				options: {},
			}),
			node('Split', 'n8n-nodes-base.splitOut', 1, {
				fieldToSplitOut: 'ids',
				include: 'noOtherFields',
				options: { destinationFieldName: 'id' },
			}),
		],
		connections: {
			Start: { main: [[link('Ids')]] },
			Ids: { main: [[link('Split')]] },
		},
		last: 'Split',
	};
}

/** @param {string[]} ids @param {number} size */
function chunks(ids, size) {
	const lists = [];
	for (let at = 0; at < ids.length; at += size) lists.push(ids.slice(at, at + size));
	return lists;
}

/**
 * @typedef {object} ContenderSpec
 * @property {'cstar' | 'perItem' | 'diy' | 'n8nFloor' | 'none'} kind
 * @property {number} [parallelRequests]              cstar, n8nFloor (its calls at once)
 * @property {boolean} [summary]                       cstar: Succeeded Output "One Summary Item"
 * @property {'update' | 'delete'} [operation]      cstar; default update
 * @property {boolean} [search]                      cstar: Records "Matching a Search", with the workload's filters
 * @property {{ batchSize: number, batchInterval: number }} [batching]   perItem
 */

/**
 * @typedef {object} BuiltWorkflow
 * @property {Record<string, unknown>} json
 * @property {string[]} measuredNodes   the contender's nodes: its wall time runs from the first one's start to the last one's end
 * @property {string | undefined} resultNode  the node whose outputs tell per-id success
 */

/**
 * @typedef {object} ContenderPart  the contender's nodes after the head, and how they connect
 * @property {ReturnType<typeof node>[]} nodes
 * @property {string} first           the node the head's last node feeds
 * @property {Record<string, any>} connections
 * @property {string[]} measuredNodes
 * @property {string} resultNode
 */

const HEADER_AUTH = { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' };
const HEADER_CREDENTIALS = { credentials: { httpHeaderAuth: HEADER_CREDENTIAL } };

/** @param {Target} target */
const teamUrlOf = (target) => `${target.url}/api/v1/teams/${target.teamId}`;

/**
 * Search mode's parameters: the workload's filters, and every match acted on (Limit "No Limit").
 * @param {import('./runner').SearchSpec} search
 */
const searchParameters = (search) => ({
	source: 'search',
	filters: search.filters,
	limitMode: 'none',
});

/**
 * @param {ContenderSpec} spec
 * @param {{ id: string, name: string }} credential
 * @param {import('./runner').SearchSpec} [search]
 * @returns {ContenderPart}
 */
function cstarPart(spec, credential, search) {
	/** @type {Record<string, unknown>} */
	const options = {};
	if (spec.parallelRequests && spec.parallelRequests !== 1)
		options.parallelRequests = spec.parallelRequests;
	if (spec.summary) options.succeededOutput = 'summary';
	if (spec.search && !search) throw new Error('a search contender needs a search workload');
	const records = spec.search && search ? searchParameters(search) : { ids: '={{ $json.id }}' };
	const parameters =
		spec.operation === 'delete'
			? { resource: 'ticket', operation: 'delete', ...records, options }
			: {
					resource: 'ticket',
					operation: 'update',
					...records,
					dataMode: 'fields',
					updateFields: UPDATE,
					options,
				};
	const cstar = node('Cstar Bulk', 'n8n-nodes-cstar.cstarBulk', 1, parameters, {
		credentials: { cstarApi: credential },
	});
	return { nodes: [cstar], first: 'Cstar Bulk', connections: {}, ...single('Cstar Bulk') };
}

/** @param {string} name */
const single = (name) => ({ measuredNodes: [name], resultNode: name });

/** @param {ContenderSpec} spec @param {Target} target @returns {ContenderPart} */
function perItemPart(spec, target) {
	/** @type {Record<string, unknown>} */
	const options = {};
	if (spec.batching) options.batching = { batch: spec.batching };
	const request = node(
		'HTTP Request',
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'PATCH',
			url: `=${teamUrlOf(target)}/tickets/{{ $json.id }}`,
			...HEADER_AUTH,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify(UPDATE),
			options,
		},
		// One failed item (a 429) must not stop the other ids: "On Error: Continue".
		{ ...HEADER_CREDENTIALS, onError: 'continueRegularOutput' },
	);
	return { nodes: [request], first: 'HTTP Request', connections: {}, ...single('HTTP Request') };
}

/** @param {Target} target @returns {ContenderPart} */
function diyPart(target) {
	const nodes = [
		node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, { batchSize: 100, options: {} }),
		node('Aggregate', 'n8n-nodes-base.aggregate', 1, {
			aggregate: 'aggregateIndividualFields',
			fieldsToAggregate: {
				fieldToAggregate: [{ fieldToAggregate: 'id', renameField: true, outputFieldName: 'ids' }],
			},
			options: {},
		}),
		node(
			'Bulk Request',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'POST',
				url: `${teamUrlOf(target)}/bulk`,
				...HEADER_AUTH,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ action: 'update', resource: 'tickets', ids: $json.ids, data: ${JSON.stringify(UPDATE)} }) }}`,
				options: {},
			},
			// What a careful user sets for a rate-limited API: n8n's longest retry wait (5 s), 5 tries.
			{ ...HEADER_CREDENTIALS, retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 },
		),
	];
	return {
		nodes,
		first: 'Loop Over Items',
		connections: {
			// Loop Over Items v3: output 0 is "done", output 1 is "loop".
			'Loop Over Items': { main: [[], [link('Aggregate')]] },
			Aggregate: { main: [[link('Bulk Request')]] },
			'Bulk Request': { main: [[link('Loop Over Items')]] },
		},
		measuredNodes: ['Loop Over Items', 'Aggregate', 'Bulk Request'],
		resultNode: 'Bulk Request',
	};
}

/**
 * The floor inside n8n: bench/n8n-floor/BenchFloor.node.js, loaded from the user folder's custom nodes.
 * @param {ContenderSpec} spec
 * @param {{ id: string, name: string }} credential
 * @returns {ContenderPart}
 */
function n8nFloorPart(spec, credential) {
	const floor = node(
		'Bench Floor',
		'CUSTOM.benchFloor',
		1,
		{ concurrency: spec.parallelRequests ?? 1, data: JSON.stringify(UPDATE), runKey: 'n8n-floor' },
		{ credentials: { cstarApi: credential } },
	);
	return { nodes: [floor], first: 'Bench Floor', connections: {}, ...single('Bench Floor') };
}

/**
 * @param {ContenderSpec} spec
 * @param {Target} target
 * @param {import('./runner').SearchSpec} [search]
 * @returns {ContenderPart | undefined}
 */
function contenderPart(spec, target, search) {
	const credential = target.credential ?? CSTAR_CREDENTIAL;
	if (spec.kind === 'cstar') return cstarPart(spec, credential, search);
	if (spec.kind === 'n8nFloor') return n8nFloorPart(spec, credential);
	if (spec.kind === 'perItem') return perItemPart(spec, target);
	if (spec.kind === 'diy') return diyPart(target);
	return undefined;
}

/**
 * @param {string} id  at most 21 characters
 * @param {string} name
 * @param {ContenderSpec} spec
 * @param {string[]} ids   the input items' ids (none for a search: Start feeds the node one item)
 * @param {Target} target
 * @param {{ idsPerItem?: number, search?: import('./runner').SearchSpec }} [options]
 * @returns {BuiltWorkflow}
 */
function buildWorkflow(id, name, spec, ids, target, options = {}) {
	nodeCounter = 0;
	const { nodes, connections, last } = head(spec.search ? [] : ids, options.idsPerItem ?? 1);
	const part = contenderPart(spec, target, options.search);
	/** @type {Record<string, any>} */
	const allConnections = { ...connections };
	if (part) {
		nodes.push(...part.nodes);
		allConnections[last] = { main: [[link(part.first)]] };
		Object.assign(allConnections, part.connections);
	}
	return {
		json: {
			id,
			name,
			nodes,
			connections: allConnections,
			settings: { executionOrder: 'v1' },
			active: false,
		},
		measuredNodes: part?.measuredNodes ?? [],
		resultNode: part?.resultNode,
	};
}

module.exports = { UPDATE, CSTAR_CREDENTIAL, SEARCH_CREDENTIAL, credentials, buildWorkflow };
