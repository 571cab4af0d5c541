// @ts-check
'use strict';

const { randomBytes } = require('node:crypto');
const { ApiError, errors, errorBody, jsonResponse } = require('./envelope');
const { rateLimitHeaders } = require('./rate-limit');
const { idempotencyScope, fingerprintBody } = require('./idempotency');
const { injectedStatusResponse, injectedRateLimitResponse, BULK_PATH } = require('./faults');
const { matchRoute } = require('./router');
const { readBody, parseJson, parseQuery, send } = require('./http-util');
const { toIsoSeconds } = require('./time');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./envelope').HttpResponse} HttpResponse */
/** @typedef {import('./world').World} World */
/** @typedef {import('./stats').Stats} Stats */
/** @typedef {import('./stats').LogEntry} LogEntry */
/** @typedef {import('./faults').FaultController} FaultController */
/** @typedef {import('./faults').EdgeFault} EdgeFault */
/** @typedef {import('./faults').PostFault} PostFault */
/** @typedef {import('./rate-limit').RateLimiter} RateLimiter */
/** @typedef {import('./idempotency').IdempotencyCache} IdempotencyCache */
/** @typedef {import('./idempotency').IdempotencyEntry} IdempotencyEntry */
/** @typedef {import('./time').Sleeper} Sleeper */
/** @typedef {import('./time').Clock} Clock */
/** @typedef {import('./errors-shape').ErrorsShape} ErrorsShape */
/** @typedef {import('./handlers/context').HandlerResult} HandlerResult */

/**
 * @typedef {Object} PipelineDeps
 * @property {() => World} world
 * @property {Stats} stats
 * @property {FaultController} faults
 * @property {RateLimiter} rateLimiter
 * @property {IdempotencyCache} idempotency
 * @property {Sleeper} sleeper
 * @property {Clock} clock
 * @property {() => ErrorsShape} errorsShape
 * @property {() => import('./envelope').PaginationPlacement} paginationPlacement
 * @property {() => number} latencyMs
 * @property {number} maxBodyBytes
 * @property {(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: Record<string, string>) => Promise<void>} control
 */
/**
 * @typedef {Object} IncomingRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {IncomingMessage['headers']} headers
 * @property {string} rawBody
 * @property {unknown} body
 * @property {boolean} bodyIsInvalidJson
 * @property {boolean} bodyTooLarge
 * @property {string} requestId
 * @property {number} nowMs
 */
/**
 * @typedef {Object} Processed
 * @property {HttpResponse} response   what the API produced (what an idempotent replay returns)
 * @property {Record<string, string>} [rateLimit]   X-RateLimit-* headers, sent but never stored
 * @property {{ scope: string, entry: IdempotencyEntry }} [idempotent]   to store once answered
 * @property {boolean} [replayed]
 */
/** @typedef {ReturnType<World['keyRing']['authenticate']>} ApiKeyOf */
/** @typedef {NonNullable<ReturnType<typeof matchRoute>>} RouteOf */

const CONTROL_PREFIX = '/__emulator/';

/** @returns {() => string} request ids like "req_Xq3…0001a" (REF shows req_ + alphanumerics) */
function requestIdGenerator() {
	const prefix = randomBytes(9).toString('base64').replace(/[+/]/g, 'x');
	let counter = 0;
	return () => `req_${prefix}${(counter++).toString(36).padStart(6, '0')}`;
}

/**
 * The HTTP request pipeline, in order:
 *   control API → read body → log → injected latency / edge fault → auth (401) → rate limit (429)
 *   → route (404) → team (403) → key type (403) → idempotency (replay / 409) → handler → post fault.
 * Only responses a handler produced are stored for idempotency: not injected faults (a retry after an
 * injected 5xx must be able to succeed) and not 401/403/429, which depend on the key's state, not on
 * the request.
 */
class RequestPipeline {
	/** @param {PipelineDeps} deps */
	constructor(deps) {
		this.deps = deps;
		this.nextRequestId = requestIdGenerator();
		/** @type {(req: IncomingMessage, res: ServerResponse) => void} */
		this.listener = (req, res) => {
			this.handle(req, res).catch((err) => {
				// A client that hangs up before its body arrived sent no request: nothing to log or answer.
				if (!req.complete && req.destroyed) return;
				this.crash(res, err);
			});
		};
	}

	/** @param {IncomingMessage} req @param {ServerResponse} res */
	async handle(req, res) {
		const { deps } = this;
		const method = req.method ?? 'GET';
		const url = req.url ?? '/';
		const queryStart = url.indexOf('?');
		const path = queryStart === -1 ? url : url.slice(0, queryStart);
		const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
		if (path.startsWith(CONTROL_PREFIX)) return deps.control(req, res, method, path, query);

		const { text, tooLarge } = await readBody(req, deps.maxBodyBytes);
		const parsed = parseJson(text);
		const nowMs = deps.clock();
		/** @type {IncomingRequest} */
		const request = {
			method,
			path,
			query,
			headers: req.headers,
			rawBody: text,
			body: parsed.value,
			bodyIsInvalidJson: parsed.invalid,
			bodyTooLarge: tooLarge,
			requestId: this.nextRequestId(),
			nowMs,
		};
		const isBulk = method === 'POST' && BULK_PATH.test(path);
		const entry = deps.stats.begin(
			{ at: nowMs, method, path, query, headers: req.headers, requestId: request.requestId },
			parsed.value,
			isBulk,
		);

		const plan = deps.faults.plan({ method, path });
		await deps.sleeper.sleep(deps.latencyMs() + plan.latencyMs);
		if (plan.edge) {
			entry.fault = plan.edge.type;
			return this.answerWithEdgeFault(plan.edge, request, entry, req, res);
		}
		if (plan.post) entry.fault = plan.post.type;

		const processed = this.process(request, plan.post);
		if (processed.replayed) entry.replayed = true;
		// A slow answer stays "in flight" for idempotency until it is sent, like slow processing would.
		if (plan.post?.type === 'slow') await deps.sleeper.sleep(plan.post.delayMs);
		if (processed.idempotent)
			deps.idempotency.complete(processed.idempotent.entry, processed.response);
		if (plan.post?.type === 'dropAfterApply') {
			deps.stats.droppedConnection(entry);
			req.socket.destroy();
			return;
		}
		deps.stats.responded(entry, processed.response.status);
		send(res, processed.response, processed.rateLimit);
	}

	/**
	 * Everything from authentication to the handler, synchronously: one request's changes are applied
	 * in one turn of the event loop. Steps: admit (key, rate limit, route) → idempotency → handler.
	 * @param {IncomingRequest} request
	 * @param {PostFault | undefined} postFault
	 * @returns {Processed}
	 */
	process(request, postFault) {
		const admitted = this.admit(request);
		if ('response' in admitted) return admitted;
		const { rateLimit } = admitted;
		const idempotency = this.beginIdempotent(request, admitted.key.key, rateLimit);
		if (idempotency && 'response' in idempotency) return idempotency;
		return this.runHandler(request, admitted, idempotency, postFault);
	}

	/**
	 * @param {ApiError} err
	 * @param {IncomingRequest} request
	 * @param {Record<string, string>} [rateLimit]
	 * @returns {Processed}
	 */
	refuse(err, request, rateLimit = {}) {
		return { response: this.errorResponse(err, request), rateLimit };
	}

	/**
	 * Authenticates the key, spends its rate budget and matches the route, refusing what a key may not do.
	 * @param {IncomingRequest} request
	 * @returns {Processed | { key: ApiKeyOf, route: RouteOf, rateLimit: Record<string, string> }}
	 */
	admit(request) {
		let key;
		try {
			key = this.deps.world().keyRing.authenticate(firstHeader(request.headers.authorization));
		} catch (err) {
			// No X-RateLimit-* on 401: there is no known key whose budget they could describe.
			return this.refuse(/** @type {ApiError} */ (err), request);
		}
		const decision = this.deps.rateLimiter.consume(key.key, key.keyType);
		const rateLimit = rateLimitHeaders(decision, {
			unit: this.deps.faults.settings.resetUnit,
			nowMs: request.nowMs,
		});
		if (!decision.allowed) {
			return this.refuse(errors.rateLimited(decision.retryAfterSeconds), request, {
				...rateLimit,
				'retry-after': String(decision.retryAfterSeconds),
			});
		}
		const route = matchRoute(request.method, request.path);
		if (!route)
			return this.refuse(errors.routeNotFound(request.method, request.path), request, rateLimit);
		// An unknown team id is the same 403 as another team's id: a key can't tell other teams apart.
		if (route.teamId !== undefined && route.teamId !== key.teamId)
			return this.refuse(errors.teamAccessDenied(), request, rateLimit);
		if (route.write && key.keyType !== 'secret')
			return this.refuse(errors.publishableKeyWrite(), request, rateLimit);
		if (request.bodyTooLarge || this.overMaxBulkIds(request))
			return this.refuse(errors.bodyTooLarge(), request, rateLimit);
		return { key, route, rateLimit };
	}

	/**
	 * Looks the Idempotency-Key up: a replay or a refusal answers the request, else the entry to store.
	 * @param {IncomingRequest} request
	 * @param {string} apiKey
	 * @param {Record<string, string>} rateLimit
	 * @returns {Processed | Processed['idempotent']}
	 */
	beginIdempotent(request, apiKey, rateLimit) {
		const idempotencyKey = firstHeader(request.headers['idempotency-key']);
		// REF: Idempotency-Key applies to POST and PATCH; it is ignored on GET and DELETE.
		if (!idempotencyKey || (request.method !== 'POST' && request.method !== 'PATCH'))
			return undefined;
		const scope = idempotencyScope(apiKey, request.method, request.path, idempotencyKey);
		const lookup = this.deps.idempotency.begin(scope, fingerprintBody(request.rawBody));
		if (lookup.kind === 'replay') return { response: lookup.response, rateLimit, replayed: true };
		if (lookup.kind === 'in_use')
			return this.refuse(errors.idempotencyKeyInUse(), request, rateLimit);
		if (lookup.kind === 'reused')
			return this.refuse(errors.idempotencyKeyReused(), request, rateLimit);
		return { scope, entry: lookup.entry };
	}

	/**
	 * Runs the route's handler; an ApiError becomes its error response, any other error abandons the
	 * idempotency entry and propagates.
	 * @param {IncomingRequest} request
	 * @param {{ key: ApiKeyOf, route: RouteOf, rateLimit: Record<string, string> }} admitted
	 * @param {Processed['idempotent']} idempotent
	 * @param {PostFault | undefined} postFault
	 * @returns {Processed}
	 */
	runHandler(request, { key, route, rateLimit }, idempotent, postFault) {
		const { deps } = this;
		const team = deps.world().teams.get(key.teamId);
		if (!team) throw new Error(`key of unknown team ${key.teamId}`);
		/** @type {HandlerResult | undefined} */
		let result;
		try {
			result = route.handler({
				requestId: request.requestId,
				timestamp: toIsoSeconds(request.nowMs),
				body: request.body,
				bodyIsInvalidJson: request.bodyIsInvalidJson,
				query: request.query,
				params: route.params,
				resource: route.resource,
				key,
				team,
				store: team.stores[key.environment],
				stats: deps.stats,
				errorsShape: deps.errorsShape(),
				churn: deps.faults.churn,
				paginationPlacement: deps.paginationPlacement(),
			});
		} catch (err) {
			if (!(err instanceof ApiError)) {
				if (idempotent) deps.idempotency.abandon(idempotent.scope, idempotent.entry);
				throw err;
			}
			return { response: this.errorResponse(err, request), rateLimit, idempotent };
		}
		if (postFault?.type === 'bulkResult') corruptBulkResult(result, postFault);
		return { response: jsonResponse(result.status, result.body), rateLimit, idempotent };
	}

	/**
	 * @param {EdgeFault} fault
	 * @param {IncomingRequest} request
	 * @param {LogEntry} entry
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 */
	answerWithEdgeFault(fault, request, entry, req, res) {
		const { stats } = this.deps;
		if (fault.type === 'drop') {
			stats.droppedConnection(entry);
			req.socket.destroy();
			return;
		}
		const response =
			fault.type === 'status'
				? injectedStatusResponse(fault, request.requestId, toIsoSeconds(request.nowMs))
				: injectedRateLimitResponse(
						fault,
						request.requestId,
						request.nowMs,
						this.exhaustedRateLimitHeaders(request, fault.retryAfter ?? 60),
					);
		stats.responded(entry, response.status);
		send(res, response);
	}

	/**
	 * X-RateLimit-* for an injected 429, as if the caller's budget were spent (empty if the key is unknown).
	 * @param {IncomingRequest} request
	 * @param {number} retryAfterSeconds
	 */
	exhaustedRateLimitHeaders(request, retryAfterSeconds) {
		const { rateLimiter } = this.deps;
		const key = this.deps.world().keyRing.peek(firstHeader(request.headers.authorization));
		if (!key) return {};
		return rateLimitHeaders(
			{
				limit: rateLimiter.limitFor(key.keyType),
				remaining: 0,
				resetAtSeconds: Math.ceil(request.nowMs / 1000) + retryAfterSeconds,
				windowSeconds: rateLimiter.config.windowSeconds,
			},
			{ unit: this.deps.faults.settings.resetUnit, nowMs: request.nowMs },
		);
	}

	/** The maxBulkIds fault: a bulk call naming more ids than that is "too large". @param {IncomingRequest} request */
	overMaxBulkIds(request) {
		const max = this.deps.faults.settings.maxBulkIds;
		const ids = /** @type {{ ids?: unknown } | undefined} */ (request.body)?.ids;
		return (
			max !== undefined &&
			request.method === 'POST' &&
			BULK_PATH.test(request.path) &&
			Array.isArray(ids) &&
			ids.length > max
		);
	}

	/** @param {ApiError} err @param {IncomingRequest} request */
	errorResponse(err, request) {
		return jsonResponse(err.status, errorBody(err, request.requestId, toIsoSeconds(request.nowMs)));
	}

	/** @param {ServerResponse} res @param {unknown} err */
	crash(res, err) {
		process.stderr.write(
			`cstar emulator: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`,
		);
		const apiError = new ApiError(
			500,
			'api_error',
			'internal_error',
			'The emulator failed unexpectedly.',
		);
		send(res, jsonResponse(500, errorBody(apiError, 'req_internal', toIsoSeconds(Date.now()))));
	}
}

/**
 * @param {HandlerResult} result
 * @param {import('./faults').BulkResultFault} fault
 */
function corruptBulkResult(result, fault) {
	const data = /** @type {Record<string, any> | undefined} */ (result.body.data);
	if (result.status !== 200 || !data || data.object !== 'bulk_result') return;
	const corrupted = fault.mutate ? fault.mutate(data) : data;
	result.body.data = fault.patch ? { ...corrupted, ...fault.patch } : corrupted;
}

/** @param {string | string[] | undefined} value */
function firstHeader(value) {
	return Array.isArray(value) ? value[0] : value;
}

module.exports = { RequestPipeline };
