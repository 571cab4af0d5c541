// @ts-check
'use strict';

const { readBody, parseJson, send } = require('./http-util');
const { resourceByName } = require('./resources');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./index').Emulator} Emulator */

const CONTROL_MAX_BODY = 1024 * 1024;

class ControlError extends Error {
	/** @param {number} status @param {string} message */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/**
 * The HTTP control API under /__emulator/, for a process that did not start the emulator itself
 * (benchmark, n8n dev mode). Plain JSON, no auth, no rate limit, not logged or counted.
 *   GET  state                     counts, plus { emulator: { url, teamId, keys, errorsShape, rateLimit, pendingFaults } }
 *   POST reset
 *   POST faults        { clear?: true, set?: FaultSettings, script?: ScriptedFault[] }   (applied in that order)
 *   POST errors-shape  { shape }
 *   POST pagination    { placement: both | top | meta }
 *   (the list churn is a fault setting: POST faults { set: { listChurn: { create, deleteListed, ... } } })
 *   POST rate-limit    { limit?, windowSeconds?, publishableLimit? }
 *   POST revoke        { key }
 *   GET  log?since=N&limit=M       { entries: seq >= N, next }
 *   GET  store/:resource?env=test            { ids }
 *   GET  store/:resource/:id?env=test        the record, or 404
 *   GET  applied[?resource=R&id=I]           { idsApplied, idsAppliedTwice, applied: { "tickets:tkt_…": n } } or { count }
 * @param {() => Emulator} emulator
 */
function createControlHandler(emulator) {
	/**
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 * @param {string} method
	 * @param {string} path
	 * @param {Record<string, string>} query
	 */
	return async function handleControl(req, res, method, path, query) {
		const { text } = await readBody(req, CONTROL_MAX_BODY);
		let status = 200;
		/** @type {unknown} */
		let body;
		try {
			const parsed = parseJson(text);
			if (parsed.invalid) throw new ControlError(400, 'body is not valid JSON');
			body = route(
				emulator(),
				method,
				path.slice('/__emulator/'.length).split('/'),
				query,
				parsed.value ?? {},
			);
		} catch (err) {
			status = err instanceof ControlError ? err.status : 400;
			body = { error: err instanceof Error ? err.message : String(err) };
		}
		send(res, {
			status,
			headers: { 'content-type': 'application/json; charset=utf-8' },
			body: Buffer.from(JSON.stringify(body)),
		});
	};
}

/**
 * @param {Emulator} emu
 * @param {string} method
 * @param {string[]} segments
 * @param {Record<string, string>} query
 * @param {any} body
 * @returns {unknown}
 */
function route(emu, method, segments, query, body) {
	const [name, ...rest] = segments;
	const at = `${method} ${name}`;
	if (at === 'GET state') return { ...emu.counts(), emulator: emu.describe() };
	if (at === 'POST reset') return (emu.reset(), { ok: true });
	if (at === 'POST faults') {
		if (body.clear) emu.faults.clear();
		if (body.set !== undefined) emu.faults.set(body.set);
		if (body.script !== undefined) emu.faults.script(body.script);
		return { ok: true, pendingFaults: emu.describe().pendingFaults };
	}
	if (at === 'POST errors-shape')
		return (emu.setErrorsShape(body.shape), { ok: true, shape: body.shape });
	if (at === 'POST pagination')
		return (emu.setPaginationPlacement(body.placement), { ok: true, placement: body.placement });
	if (at === 'POST rate-limit')
		return (emu.setRateLimit(body), { ok: true, rateLimit: emu.describe().rateLimit });
	if (at === 'POST revoke') {
		if (typeof body.key !== 'string') throw new ControlError(400, 'body.key must be a string');
		return (emu.revokeKey(body.key), { ok: true });
	}
	if (at === 'GET log') {
		const since = Math.max(0, Number(query.since ?? 0) || 0);
		const limit = query.limit === undefined ? Infinity : Number(query.limit);
		const { log } = emu;
		// seq is consecutive within the log, so the first wanted entry is found by subtraction.
		const start = log.length === 0 ? 0 : Math.max(0, since - log[0].seq);
		const entries = log.slice(start, start + limit);
		return { entries, next: entries.length > 0 ? entries[entries.length - 1].seq + 1 : since };
	}
	if (at === 'GET store') {
		const def = resourceByName(rest[0] ?? '');
		if (!def || rest.length > 2)
			throw new ControlError(404, 'use store/{tickets|customers|articles}[/{id}]');
		const env = query.env === 'live' ? 'live' : 'test';
		if (rest.length === 1) return { ids: emu.store.ids(def.name, env) };
		const record = emu.store.get(def.name, decodeURIComponent(rest[1]), env);
		if (!record) throw new ControlError(404, `no ${def.name} record ${rest[1]} in ${env}`);
		return record;
	}
	if (at === 'GET applied') {
		if (query.resource !== undefined && query.id !== undefined) {
			const def = resourceByName(query.resource);
			if (!def) throw new ControlError(400, 'resource must be tickets, customers or articles');
			return { resource: def.name, id: query.id, count: emu.appliedCount(def.name, query.id) };
		}
		const { idsApplied, idsAppliedTwice } = emu.counts();
		return { idsApplied, idsAppliedTwice, applied: emu.appliedCounts() };
	}
	throw new ControlError(404, `unknown control route: ${at}`);
}

module.exports = { createControlHandler };
