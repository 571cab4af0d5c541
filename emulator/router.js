// @ts-check
'use strict';

const { resourceByName } = require('./resources');
const { handleBulk } = require('./handlers/bulk');
const {
	handleList,
	handleMembers,
	handleGet,
	handlePatch,
	handleDelete,
} = require('./handlers/records');
const { handleWhoami } = require('./handlers/whoami');

/** @typedef {import('./handlers/context').Handler} Handler */
/** @typedef {import('./resources').ResourceDef} ResourceDef */
/**
 * @typedef {Object} RouteMatch
 * @property {Handler} handler
 * @property {Record<string, string>} params
 * @property {ResourceDef | undefined} resource
 * @property {string | undefined} teamId   undefined for routes outside /teams/{teamId}
 * @property {boolean} write               needs a secret key (AUTHLIB: publishable keys are read-only)
 */

const RECORD_HANDLERS = { GET: handleGet, PATCH: handlePatch, DELETE: handleDelete };

/**
 * The served routes:
 *   GET    /api/v1/auth/whoami
 *   POST   /api/v1/teams/{teamId}/bulk
 *   GET    /api/v1/teams/{teamId}/members
 *   GET    /api/v1/teams/{teamId}/{tickets|customers|articles}
 *   GET|PATCH|DELETE /api/v1/teams/{teamId}/{tickets|customers|articles}/{id}
 * @param {string} method
 * @param {string} path
 * @returns {RouteMatch | undefined}
 */
function matchRoute(method, path) {
	const segments = path.split('/');
	if (segments[0] !== '' || segments[1] !== 'api' || segments[2] !== 'v1') return undefined;
	if (
		segments.length === 5 &&
		segments[3] === 'auth' &&
		segments[4] === 'whoami' &&
		method === 'GET'
	) {
		return {
			handler: handleWhoami,
			params: {},
			resource: undefined,
			teamId: undefined,
			write: false,
		};
	}
	if (segments[3] !== 'teams' || segments.length < 6 || segments.length > 7) return undefined;
	const teamId = decode(segments[4]);
	if (!teamId) return undefined;
	if (segments.length === 6 && segments[5] === 'bulk') {
		return method === 'POST'
			? { handler: handleBulk, params: { teamId }, resource: undefined, teamId, write: true }
			: undefined;
	}
	if (segments.length === 6 && segments[5] === 'members') {
		return method === 'GET'
			? { handler: handleMembers, params: { teamId }, resource: undefined, teamId, write: false }
			: undefined;
	}
	const resource = resourceByName(segments[5]);
	if (!resource) return undefined;
	if (segments.length === 6) {
		return method === 'GET'
			? { handler: handleList, params: { teamId }, resource, teamId, write: false }
			: undefined;
	}
	const id = decode(segments[6]);
	const handler =
		id && Object.prototype.hasOwnProperty.call(RECORD_HANDLERS, method)
			? RECORD_HANDLERS[/** @type {keyof typeof RECORD_HANDLERS} */ (method)]
			: undefined;
	if (!id || !handler) return undefined;
	return { handler, params: { teamId, id }, resource, teamId, write: method !== 'GET' };
}

/** @param {string} segment @returns {string | undefined} */
function decode(segment) {
	try {
		return decodeURIComponent(segment) || undefined;
	} catch {
		return undefined;
	}
}

module.exports = { matchRoute };
