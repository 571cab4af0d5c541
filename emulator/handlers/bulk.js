// @ts-check
'use strict';

const { successBody } = require('../envelope');
const { canonicalId } = require('../resources');
const { parseBulkRequest } = require('../validation');
const { formatBulkErrors } = require('../errors-shape');
const { jsonBody } = require('./context');

/** @typedef {import('./context').HandlerContext} HandlerContext */
/** @typedef {import('./context').HandlerResult} HandlerResult */
/** @typedef {import('../errors-shape').BulkFailure} BulkFailure */

/**
 * POST /api/v1/teams/{teamId}/bulk. Whole-request problems are 400s (validation.js); after that
 * every id succeeds or fails on its own (partial success, as succeeded/failed/errors imply).
 * @param {HandlerContext} ctx
 * @returns {HandlerResult}
 */
function handleBulk(ctx) {
	const { action, resource, ids, data } = parseBulkRequest(jsonBody(ctx), ctx.store);
	/** @type {Set<string>} */
	const seen = new Set();
	/** @type {BulkFailure[]} */
	const failures = [];
	let succeeded = 0;
	for (let index = 0; index < ids.length; index++) {
		const id = canonicalId(resource, ids[index]);
		// Duplicate ids are processed once and counted once in `total` ("Total items processed"), as a
		// set-based UPDATE … WHERE id IN (…) would; so succeeded + failed === total always holds.
		if (seen.has(id)) continue;
		seen.add(id);
		const outcome = data
			? ctx.store.update(resource, id, data, ctx.timestamp)
			: ctx.store.remove(resource, id);
		if (outcome.ok) {
			succeeded++;
			ctx.stats.recordApply(resource.name, id);
		} else {
			// Unknown ids, deleted ids and ids of another resource (cus_… in a tickets call) fail alone.
			failures.push({ index, id: ids[index], code: outcome.code, message: outcome.message });
		}
	}
	const result = {
		object: 'bulk_result',
		action,
		resource: resource.name,
		total: seen.size,
		succeeded,
		failed: failures.length,
		errors: formatBulkErrors(failures, ctx.errorsShape, ids),
	};
	return { status: 200, body: successBody(result, ctx.requestId, ctx.timestamp) };
}

module.exports = { handleBulk };
