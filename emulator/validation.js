// @ts-check
'use strict';

const { errors } = require('./envelope');
const { resourceByName, isPlainObject } = require('./resources');

/** @typedef {import('./resources').ResourceDef} ResourceDef */
/** @typedef {import('./store').RecordStore} RecordStore */
/**
 * @typedef {Object} BulkRequest
 * @property {'update' | 'delete'} action
 * @property {ResourceDef} resource
 * @property {string[]} ids
 * @property {Record<string, unknown> | undefined} data   validated changes (update only)
 */

const BULK_FIELDS = ['action', 'resource', 'ids', 'data'];
const BULK_ACTIONS = ['update', 'delete'];
const MAX_BULK_IDS = 100; // BULK: "Max 100 items per request"

/**
 * Validates a bulk body as a whole. Anything wrong here would fail identically for every id, so it
 * fails the request with 400 invalid_request_error: parameter_missing for an absent field,
 * parameter_invalid for a bad one (only parameter_missing is a documented code name).
 * @param {unknown} body
 * @param {RecordStore} store   to check references such as data.customerId
 * @returns {BulkRequest}
 */
function parseBulkRequest(body, store) {
	if (!isPlainObject(body))
		throw errors.parameterInvalid(undefined, 'The request body must be a JSON object.');
	for (const field of Object.keys(body)) {
		// Unknown top-level fields are refused, so a typo ("actions") can't silently do something else.
		if (!BULK_FIELDS.includes(field))
			throw errors.parameterInvalid(
				field,
				`Unknown parameter '${field}'. Allowed: ${BULK_FIELDS.join(', ')}.`,
			);
	}
	const action = requiredField(body, 'action');
	if (typeof action !== 'string' || !BULK_ACTIONS.includes(action)) {
		throw errors.parameterInvalid('action', `'action' must be one of: ${BULK_ACTIONS.join(', ')}.`);
	}
	const resourceName = requiredField(body, 'resource');
	const resource = typeof resourceName === 'string' ? resourceByName(resourceName) : undefined;
	if (!resource)
		throw errors.parameterInvalid(
			'resource',
			`'resource' must be one of: tickets, customers, articles.`,
		);
	const ids = checkIds(requiredField(body, 'ids'));
	// data is ignored on delete: the docs only require it for update, and a client may send {} there.
	const data =
		action === 'update'
			? checkChanges(resource, requiredField(body, 'data'), 'data.', store)
			: undefined;
	return { action: /** @type {'update' | 'delete'} */ (action), resource, ids, data };
}

/** @param {Record<string, unknown>} body @param {string} field */
function requiredField(body, field) {
	const value = body[field];
	if (value === undefined || value === null) throw errors.parameterMissing(field);
	return value;
}

/** @param {unknown} ids @returns {string[]} */
function checkIds(ids) {
	if (!Array.isArray(ids))
		throw errors.parameterInvalid('ids', `'ids' must be an array of id strings.`);
	if (ids.length === 0) throw errors.parameterInvalid('ids', `'ids' must contain at least one id.`);
	if (ids.length > MAX_BULK_IDS) {
		throw errors.parameterInvalid(
			'ids',
			`'ids' may contain at most ${MAX_BULK_IDS} ids per request (got ${ids.length}).`,
		);
	}
	for (let i = 0; i < ids.length; i++) {
		if (typeof ids[i] !== 'string')
			throw errors.parameterInvalid(
				'ids',
				`'ids' must contain only strings (ids[${i}] is ${describe(ids[i])}).`,
			);
	}
	return ids;
}

/**
 * Validates the fields of an update against the resource's documented fields and enums. Used by bulk
 * (param "data.status") and PATCH (param "status").
 * @param {ResourceDef} def
 * @param {unknown} data
 * @param {string} paramPrefix
 * @param {RecordStore} store
 * @returns {Record<string, unknown>}
 */
function checkChanges(def, data, paramPrefix, store) {
	const param = paramPrefix.replace(/\.$/, '') || undefined;
	if (!isPlainObject(data))
		throw errors.parameterInvalid(
			param,
			`${param ? `'${param}'` : 'The request body'} must be an object of fields to update.`,
		);
	const fields = Object.keys(data);
	if (fields.length === 0) {
		throw errors.parameterInvalid(
			param,
			`No fields to update. Updatable ${def.name} fields: ${Object.keys(def.updatable).join(', ')}.`,
		);
	}
	for (const field of fields) {
		const check = Object.prototype.hasOwnProperty.call(def.updatable, field)
			? def.updatable[field]
			: undefined;
		if (!check) {
			throw errors.parameterInvalid(
				paramPrefix + field,
				`'${field}' is not an updatable ${def.singular.toLowerCase()} field. Updatable: ${Object.keys(def.updatable).join(', ')}.`,
			);
		}
		const problem = check(data[field]);
		if (problem) throw errors.parameterInvalid(paramPrefix + field, `'${field}' ${problem}.`);
	}
	if (
		def.name === 'tickets' &&
		typeof data.customerId === 'string' &&
		!store.get('customers', data.customerId)
	) {
		throw errors.parameterInvalid(
			paramPrefix + 'customerId',
			`No such customer: '${data.customerId}'.`,
		);
	}
	return data;
}

/** @param {unknown} value */
function describe(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

module.exports = { parseBulkRequest, checkChanges, MAX_BULK_IDS };
