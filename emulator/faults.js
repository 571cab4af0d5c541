// @ts-check
'use strict';

const { createRandom, deriveSeed } = require('./random');
const {
	ApiError,
	errorBody,
	jsonResponse,
	rateLimitMessage,
	JSON_CONTENT_TYPE,
} = require('./envelope');
const { toIsoSeconds } = require('./time');
const { RESET_UNITS } = require('./rate-limit');
const { ListChurner, checkListChurn } = require('./churn');

/** @typedef {import('./envelope').HttpResponse} HttpResponse */
/** @typedef {import('./time').Clock} Clock */
/** @typedef {{ method: string, path: string }} FaultTarget */
/**
 * @typedef {Object} FaultMatch   which requests a fault applies to; omitted = bulk calls only, {} = every API request
 * @property {string} [method]
 * @property {string} [pathIncludes]
 */
/** @typedef {{ type: 'status', status: number, body?: unknown, headers?: Record<string, string>, match?: FaultMatch }} StatusFault  sent before processing */
/** @typedef {{ type: 'drop', match?: FaultMatch }} DropFault  connection destroyed before processing */
/** @typedef {{ type: 'dropAfterApply', match?: FaultMatch }} DropAfterApplyFault  applied and stored, then the socket is destroyed unanswered */
/** @typedef {{ type: 'slow', delayMs: number, match?: FaultMatch }} SlowFault  applied, answered after delayMs */
/**
 * @typedef {Object} RateLimitFault   a 429 sent before processing
 * @property {'rateLimit'} type
 * @property {number} [retryAfter]   seconds, default 60 (the SDK's own default)
 * @property {'seconds' | 'http-date' | 'none'} [retryAfterFormat]   of the Retry-After header, default seconds
 * @property {boolean} [bodyRetryAfter]   include error.retryAfter, default true
 * @property {string} [message]
 * @property {FaultMatch} [match]
 */
/**
 * @typedef {Object} BulkResultFault   corrupts the bulk 200 result after the changes were applied
 * @property {'bulkResult'} type
 * @property {(data: Record<string, any>) => Record<string, any>} [mutate]   in-process
 * @property {Record<string, unknown>} [patch]   merged over data; the JSON-safe form for the control API
 * @property {FaultMatch} [match]
 */
/** @typedef {StatusFault | DropFault | DropAfterApplyFault | SlowFault | RateLimitFault | BulkResultFault} ScriptedFault */
/** @typedef {StatusFault | DropFault | RateLimitFault} EdgeFault */
/** @typedef {DropAfterApplyFault | SlowFault | BulkResultFault} PostFault */
/**
 * @typedef {Object} RateLimitStorm   429 to every matching request until it ends
 * @property {number} [untilMs]    ends at this time (ms since the epoch)
 * @property {number} [forMs]      ends this long after it was set
 * @property {number} [count]      ends after this many 429s
 * @property {number} [retryAfter] seconds; default: time left in the storm, or 1
 */
/**
 * @typedef {Object} FaultSettings   persistent until changed or cleared
 * @property {number} [latencyMs]    added before processing
 * @property {number} [rate5xx]      share (0..1) of requests answered with `status`, drawn from the seeded RNG
 * @property {number} [status]       500 (default), 502, 503 or 504
 * @property {RateLimitStorm} [rateLimitStorm]
 * @property {number} [maxBulkIds]   bulk calls naming more ids are answered 413 request_too_large, unprocessed
 * @property {import('./rate-limit').ResetUnit} [resetUnit]   unit of X-RateLimit-Reset (default epochSeconds)
 * @property {import('./churn').ListChurn} [listChurn]   records change between list pages (creates, deletes, moves out of the filter)
 * @property {FaultMatch} [match]
 */
/**
 * @typedef {Object} FaultPlan   what to do to one request
 * @property {number} latencyMs
 * @property {EdgeFault | undefined} edge
 * @property {PostFault | undefined} post
 */

const FAULT_TYPES = ['status', 'drop', 'dropAfterApply', 'slow', 'rateLimit', 'bulkResult'];
const EDGE_TYPES = new Set(['status', 'drop', 'rateLimit']);
const BULK_PATH = /^\/api\/v1\/teams\/[^/]+\/bulk$/;

/** @param {FaultMatch | undefined} match @param {FaultTarget} target */
function matches(match, target) {
	if (!match) return target.method === 'POST' && BULK_PATH.test(target.path);
	if (match.method !== undefined && match.method.toUpperCase() !== target.method) return false;
	if (match.pathIncludes !== undefined && !target.path.includes(match.pathIncludes)) return false;
	return true;
}

/** @param {unknown} fault @returns {ScriptedFault} */
function checkScriptedFault(fault) {
	const f = /** @type {Record<string, unknown>} */ (fault);
	if (!f || typeof f !== 'object' || !FAULT_TYPES.includes(/** @type {string} */ (f.type))) {
		throw new TypeError(`fault.type must be one of: ${FAULT_TYPES.join(', ')}`);
	}
	if (
		f.type === 'status' &&
		!(Number.isInteger(f.status) && /** @type {number} */ (f.status) >= 100)
	) {
		throw new TypeError('a status fault needs an integer status');
	}
	if (f.type === 'slow' && !(typeof f.delayMs === 'number' && f.delayMs >= 0)) {
		throw new TypeError('a slow fault needs delayMs');
	}
	return /** @type {ScriptedFault} */ (fault);
}

/** @param {unknown} settings @returns {FaultSettings} */
function checkSettings(settings) {
	const s = /** @type {FaultSettings} */ (settings ?? {});
	if (typeof s !== 'object') throw new TypeError('fault settings must be an object');
	if (s.rate5xx !== undefined && !(s.rate5xx >= 0 && s.rate5xx <= 1))
		throw new TypeError('rate5xx must be within 0..1');
	if (s.status !== undefined && ![500, 502, 503, 504].includes(s.status))
		throw new TypeError('status must be 500, 502, 503 or 504');
	if (s.maxBulkIds !== undefined && !(Number.isInteger(s.maxBulkIds) && s.maxBulkIds >= 1))
		throw new TypeError('maxBulkIds must be a positive integer');
	if (s.resetUnit !== undefined && !RESET_UNITS.includes(s.resetUnit))
		throw new TypeError(`resetUnit must be one of ${RESET_UNITS.join(', ')}`);
	if (s.listChurn !== undefined) checkListChurn(s.listChurn);
	return s;
}

/** Persistent fault settings and a queue of one-shot faults. */
class FaultController {
	/** @param {number} seed @param {Clock} clock */
	constructor(seed, clock) {
		this.seed = seed;
		this.clock = clock;
		/** @type {FaultSettings} */
		this.settings = {};
		/** @type {ScriptedFault[]} */
		this.queue = [];
		/** @type {{ endsAtMs: number, remaining: number, retryAfter: number | undefined } | undefined} */
		this.storm = undefined;
		/** @type {ListChurner | undefined} */
		this.churn = undefined;
		this.random = createRandom(deriveSeed(seed, 'faults'));
	}

	/** Replaces the persistent settings. @param {FaultSettings} settings */
	set(settings) {
		this.settings = { ...checkSettings(settings) };
		this.churn = this.settings.listChurn && new ListChurner(this.settings.listChurn);
		const storm = this.settings.rateLimitStorm;
		this.storm = storm && {
			endsAtMs:
				storm.untilMs ?? (storm.forMs !== undefined ? this.clock() + storm.forMs : Infinity),
			remaining: storm.count ?? Infinity,
			retryAfter: storm.retryAfter,
		};
	}

	/** Queues one-shot faults; each applies to the next request it matches, in order. @param {ScriptedFault[]} faults */
	script(faults) {
		if (!Array.isArray(faults)) throw new TypeError('script() takes an array of faults');
		this.queue.push(...faults.map(checkScriptedFault));
	}

	clear() {
		this.settings = {};
		this.queue = [];
		this.storm = undefined;
		this.churn = undefined;
	}

	/** clear(), and the 5xx draw restarts from the seed. */
	reset() {
		this.clear();
		this.random = createRandom(deriveSeed(this.seed, 'faults'));
	}

	get pending() {
		return this.queue.length;
	}

	/** @param {FaultTarget} target @returns {FaultPlan} */
	plan(target) {
		const { settings } = this;
		const persistentApplies = matches(settings.match, target);
		const latencyMs = persistentApplies ? (settings.latencyMs ?? 0) : 0;
		const scripted = this.takeScripted(target);
		if (scripted) {
			return EDGE_TYPES.has(scripted.type)
				? { latencyMs, edge: /** @type {EdgeFault} */ (scripted), post: undefined }
				: { latencyMs, edge: undefined, post: /** @type {PostFault} */ (scripted) };
		}
		if (persistentApplies) {
			const storm = this.takeStorm();
			if (storm) return { latencyMs, edge: storm, post: undefined };
			if (settings.rate5xx && this.random.next() < settings.rate5xx) {
				return {
					latencyMs,
					edge: { type: 'status', status: settings.status ?? 500 },
					post: undefined,
				};
			}
		}
		return { latencyMs, edge: undefined, post: undefined };
	}

	/** @param {FaultTarget} target */
	takeScripted(target) {
		if (this.queue.length === 0) return undefined;
		const index = this.queue.findIndex((fault) => matches(fault.match, target));
		return index === -1 ? undefined : this.queue.splice(index, 1)[0];
	}

	/** @returns {RateLimitFault | undefined} */
	takeStorm() {
		const storm = this.storm;
		if (!storm) return undefined;
		const now = this.clock();
		if (now >= storm.endsAtMs || storm.remaining <= 0) {
			this.storm = undefined;
			return undefined;
		}
		storm.remaining--;
		const secondsLeft = Number.isFinite(storm.endsAtMs)
			? Math.ceil((storm.endsAtMs - now) / 1000)
			: 1;
		return { type: 'rateLimit', retryAfter: storm.retryAfter ?? Math.max(1, secondsLeft) };
	}
}

/**
 * The body a proxy in front of the API sends for 502/504; the API itself answers 500/503 in its envelope.
 * @param {number} status
 */
function proxyHtml(status) {
	const reason = status === 502 ? 'Bad Gateway' : 'Gateway Time-out';
	return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * The response for a `status` fault.
 * @param {StatusFault} fault
 * @param {string} requestId
 * @param {string} timestamp
 * @returns {HttpResponse}
 */
function injectedStatusResponse(fault, requestId, timestamp) {
	const { status } = fault;
	/** @type {HttpResponse} */
	let response;
	if ('body' in fault && fault.body !== undefined) {
		const isText = typeof fault.body === 'string';
		response = {
			status,
			headers: { 'content-type': JSON_CONTENT_TYPE },
			body: Buffer.from(isText ? /** @type {string} */ (fault.body) : JSON.stringify(fault.body)),
		};
	} else if (status === 502 || status === 504) {
		response = {
			status,
			headers: { 'content-type': 'text/html' },
			body: Buffer.from(proxyHtml(status)),
		};
	} else if (status >= 400) {
		const code = status === 503 ? 'service_unavailable' : 'internal_error';
		const err = new ApiError(
			status,
			'api_error',
			code,
			'An unexpected error occurred. Please retry.',
		);
		response = jsonResponse(status, errorBody(err, requestId, timestamp));
	} else {
		response = { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body: Buffer.alloc(0) };
	}
	if (fault.headers) Object.assign(response.headers, lowerCaseKeys(fault.headers));
	return response;
}

/**
 * The response for a `rateLimit` fault or storm.
 * @param {RateLimitFault} fault
 * @param {string} requestId
 * @param {number} nowMs
 * @param {Record<string, string>} rateLimitHeaderValues
 * @returns {HttpResponse}
 */
function injectedRateLimitResponse(fault, requestId, nowMs, rateLimitHeaderValues) {
	const retryAfter = fault.retryAfter ?? 60;
	const err = new ApiError(
		429,
		'rate_limit_error',
		'rate_limit_exceeded',
		fault.message ?? rateLimitMessage(retryAfter),
		{
			retryAfter: fault.bodyRetryAfter === false ? undefined : retryAfter,
		},
	);
	/** @type {Record<string, string>} */
	const headers = { ...rateLimitHeaderValues };
	const format = fault.retryAfterFormat ?? 'seconds';
	if (format === 'seconds') headers['retry-after'] = String(retryAfter);
	if (format === 'http-date')
		headers['retry-after'] = new Date(nowMs + retryAfter * 1000).toUTCString();
	return jsonResponse(429, errorBody(err, requestId, toIsoSeconds(nowMs)), headers);
}

/** @param {Record<string, string>} headers */
function lowerCaseKeys(headers) {
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

module.exports = {
	FaultController,
	injectedStatusResponse,
	injectedRateLimitResponse,
	matches,
	BULK_PATH,
};
