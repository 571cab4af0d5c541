// @ts-check
'use strict';

const { errors } = require('../envelope');

/** @typedef {import('../auth').KeyInfo} KeyInfo */
/** @typedef {import('../world').Team} Team */
/** @typedef {import('../store').RecordStore} RecordStore */
/** @typedef {import('../stats').Stats} Stats */
/** @typedef {import('../errors-shape').ErrorsShape} ErrorsShape */
/** @typedef {import('../resources').ResourceDef} ResourceDef */

/**
 * What a route handler gets. Handlers are synchronous: a request is validated and applied in one
 * turn of the event loop, so concurrent requests never interleave their changes.
 * @typedef {Object} HandlerContext
 * @property {string} requestId
 * @property {string} timestamp       ISO, second precision
 * @property {unknown} body           parsed JSON body (undefined if empty)
 * @property {boolean} bodyIsInvalidJson
 * @property {Record<string, string>} query
 * @property {Record<string, string>} params   teamId, id (as sent)
 * @property {ResourceDef | undefined} resource   for resource routes
 * @property {KeyInfo} key
 * @property {Team} team              the key's team (for team routes, also the path's team)
 * @property {RecordStore} store      the key's environment of that team
 * @property {Stats} stats
 * @property {ErrorsShape} errorsShape
 * @property {import('../churn').ListChurner} [churn]   records changing between list pages
 * @property {import('../envelope').PaginationPlacement} [paginationPlacement]
 */
/** @typedef {{ status: number, body: Record<string, unknown> }} HandlerResult */
/** @typedef {(ctx: HandlerContext) => HandlerResult} Handler */

/** @param {HandlerContext} ctx */
function jsonBody(ctx) {
	if (ctx.bodyIsInvalidJson) throw errors.invalidJson();
	return ctx.body;
}

/** @param {HandlerContext} ctx @returns {ResourceDef} */
function resourceOf(ctx) {
	if (!ctx.resource) throw new Error('resource route without a resource');
	return ctx.resource;
}

module.exports = { jsonBody, resourceOf };
