// @ts-check
'use strict';

const { successBody } = require('../envelope');

/** @typedef {import('./context').HandlerContext} HandlerContext */
/** @typedef {import('./context').HandlerResult} HandlerResult */

/**
 * GET /api/v1/auth/whoami (SDK): any valid key, publishable included (it is a read), and it counts
 * against the key's rate limit like every other API call.
 * @param {HandlerContext} ctx
 * @returns {HandlerResult}
 */
function handleWhoami(ctx) {
	const data = {
		teamId: ctx.team.id,
		teamName: ctx.team.name,
		teamSlug: ctx.team.slug,
		keyType: ctx.key.keyType,
		environment: ctx.key.environment,
	};
	return { status: 200, body: successBody(data, ctx.requestId, ctx.timestamp) };
}

module.exports = { handleWhoami };
