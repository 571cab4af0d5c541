// @ts-check
'use strict';

const { errors, successBody } = require('../envelope');
const { canonicalId } = require('../resources');
const { checkChanges } = require('../validation');
const { jsonBody, resourceOf } = require('./context');

/** @typedef {import('./context').HandlerContext} HandlerContext */
/** @typedef {import('./context').HandlerResult} HandlerResult */
/** @typedef {import('../store').ChangeOutcome} ChangeOutcome */

const MAX_PAGE_SIZE = 100; // TKT, SDKPAGE
const DEFAULT_PAGE_SIZE = 20;

/**
 * GET /teams/{teamId}/{resource}: newest first, filtered by the documented filters. Query parameters
 * the emulator doesn't know are ignored, as most APIs do.
 * @param {HandlerContext} ctx
 * @returns {HandlerResult}
 */
function handleList(ctx) {
	const def = resourceOf(ctx);
	const page = integerParam(ctx.query, 'page', 1, Number.MAX_SAFE_INTEGER);
	// Out of range is a 400, not a silent clamp (undocumented): a client asking for 500 learns at once.
	const pageSize = integerParam(ctx.query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
	/** @type {((record: Record<string, any>) => boolean)[]} */
	const predicates = [];
	for (const [name, parse] of Object.entries(def.filters)) {
		const raw = ctx.query[name];
		if (raw === undefined) continue;
		const predicate = parse(raw);
		if (typeof predicate === 'string')
			throw errors.parameterInvalid(name, `'${name}' ${predicate}.`);
		predicates.push(predicate);
	}
	ctx.churn?.beforeList(def, ctx.store, ctx.query, predicates, ctx.timestamp);
	let records = ctx.store.all(def.name);
	if (predicates.length > 0)
		records = records.filter((r) => predicates.every((matches) => matches(r)));
	const total = records.length;
	const data = records.slice((page - 1) * pageSize, page * pageSize);
	ctx.churn?.afterList(data.map((r) => r.id));
	const pagination = {
		page,
		pageSize,
		total,
		totalPages: Math.ceil(total / pageSize),
		hasMore: page * pageSize < total,
	};
	return {
		status: 200,
		body: successBody(data, ctx.requestId, ctx.timestamp, pagination, ctx.paginationPlacement),
	};
}

/** @param {HandlerContext} ctx @returns {HandlerResult} */
function handleGet(ctx) {
	const def = resourceOf(ctx);
	const record = ctx.store.get(def.name, canonicalId(def, ctx.params.id));
	if (!record) throw errors.resourceMissing(def.singular);
	return { status: 200, body: successBody(record, ctx.requestId, ctx.timestamp) };
}

/**
 * PATCH /teams/{teamId}/{resource}/{id}: the body holds the fields to change, validated exactly like bulk's data.
 * @param {HandlerContext} ctx
 * @returns {HandlerResult}
 */
function handlePatch(ctx) {
	const def = resourceOf(ctx);
	const changes = checkChanges(def, jsonBody(ctx), '', ctx.store);
	const id = canonicalId(def, ctx.params.id);
	expectApplied(ctx, def.name, ctx.store.update(def, id, changes, ctx.timestamp));
	return {
		status: 200,
		body: successBody(ctx.store.get(def.name, id), ctx.requestId, ctx.timestamp),
	};
}

/** @param {HandlerContext} ctx @returns {HandlerResult} */
function handleDelete(ctx) {
	const def = resourceOf(ctx);
	const id = canonicalId(def, ctx.params.id);
	expectApplied(ctx, def.name, ctx.store.remove(def, id));
	return { status: 200, body: successBody({ deleted: true, id }, ctx.requestId, ctx.timestamp) };
}

/**
 * @param {HandlerContext} ctx
 * @param {string} resourceName
 * @param {ChangeOutcome} outcome
 */
function expectApplied(ctx, resourceName, outcome) {
	if (outcome.ok) {
		ctx.stats.recordApply(resourceName, outcome.id);
		return;
	}
	if (outcome.code === 'resource_missing') throw errors.resourceMissing(resourceOf(ctx).singular);
	throw errors.conflict(outcome.message);
}

/**
 * @param {Record<string, string>} query
 * @param {string} name
 * @param {number} fallback
 * @param {number} max
 */
function integerParam(query, name, fallback, max) {
	const raw = query[name];
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!/^\d+$/.test(raw) || value < 1 || value > max) {
		const range =
			max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
		throw errors.parameterInvalid(name, `'${name}' must be ${range}.`);
	}
	return value;
}

module.exports = { handleList, handleGet, handlePatch, handleDelete };
