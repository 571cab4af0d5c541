// @ts-check
'use strict';

/**
 * The documented response envelope (cstar-api.md §5, §8) and every error the emulator sends.
 *   success: { success: true, data, [pagination], meta: { requestId, timestamp, [pagination] } }
 *   error:   { success: false, error: { type, code, message, [param], doc_url, request_id }, meta: { requestId, timestamp } }
 */

/** @typedef {{ status: number, headers: Record<string, string>, body: Buffer }} HttpResponse */

// ERR's shape example uses this doc_url form; other pages use other hosts/anchors for the same thing.
const DOC_URL_BASE = 'https://cstar.help/developers/errors#';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} type
	 * @param {string} code
	 * @param {string} message
	 * @param {{ param?: string, retryAfter?: number }} [details]
	 */
	constructor(status, type, code, message, details = {}) {
		super(message);
		this.status = status;
		this.type = type;
		this.code = code;
		this.param = details.param;
		this.retryAfter = details.retryAfter;
	}
}

const errors = {
	// Auth codes and HTTP statuses from ERRLIB. ERRLIB files all of them, 403s included, under
	// authentication_error; the per-endpoint pages' "authorization_error" is not one of ERR's five types.
	authenticationRequired: () =>
		new ApiError(
			401,
			'authentication_error',
			'authentication_required',
			'Missing or malformed Authorization header. Use "Authorization: Bearer <api key>".',
		),
	invalidKeyFormat: () =>
		new ApiError(
			401,
			'authentication_error',
			'invalid_key_format',
			'API keys must start with sk_live_, sk_test_, pk_live_ or pk_test_.',
		),
	invalidApiKey: () =>
		new ApiError(401, 'authentication_error', 'invalid_api_key', 'Invalid or revoked API key'),
	publishableKeyWrite: () =>
		// Verbatim from AUTHLIB (it names the live prefixes even for test keys).
		new ApiError(
			403,
			'authentication_error',
			'publishable_key_write',
			'Publishable keys (pk_live_) are read-only. Use a secret key (sk_live_) for write operations',
		),
	teamAccessDenied: () =>
		new ApiError(
			403,
			'authentication_error',
			'team_access_denied',
			"This API key doesn't belong to the team in the URL",
		),
	/** @param {string} method @param {string} path */
	routeNotFound: (method, path) =>
		new ApiError(
			404,
			'not_found_error',
			'route_not_found',
			`Unrecognized request URL (${method} ${path})`,
		),
	/** @param {string} singular */
	resourceMissing: (singular) =>
		new ApiError(404, 'not_found_error', 'resource_missing', `${singular} not found`),
	/** @param {string} param */
	parameterMissing: (param) =>
		new ApiError(
			400,
			'invalid_request_error',
			'parameter_missing',
			`The '${param}' field is required.`,
			{ param },
		),
	/** @param {string | undefined} param @param {string} message */
	parameterInvalid: (param, message) =>
		new ApiError(
			400,
			'invalid_request_error',
			'parameter_invalid',
			message,
			param === undefined ? {} : { param },
		),
	invalidJson: () =>
		new ApiError(
			400,
			'invalid_request_error',
			'invalid_json',
			'The request body is not valid JSON.',
		),
	bodyTooLarge: () =>
		new ApiError(
			413,
			'invalid_request_error',
			'request_too_large',
			'The request body is too large.',
		),
	/** @param {string} message */
	conflict: (message) =>
		new ApiError(409, 'invalid_request_error', 'resource_already_exists', message),
	/** @param {number} retryAfterSeconds */
	rateLimited: (retryAfterSeconds) =>
		new ApiError(
			429,
			'rate_limit_error',
			'rate_limit_exceeded',
			rateLimitMessage(retryAfterSeconds),
			{ retryAfter: retryAfterSeconds },
		),
	// 409 per SDKERR ("idempotency replay ... conflict"); the code names are the reference's [INFER] (Stripe's convention).
	idempotencyKeyReused: () =>
		new ApiError(
			409,
			'invalid_request_error',
			'idempotency_key_reused',
			'This Idempotency-Key was already used with a different request body.',
		),
	idempotencyKeyInUse: () =>
		new ApiError(
			409,
			'invalid_request_error',
			'idempotency_key_in_use',
			'A request with this Idempotency-Key is still being processed. Retry later.',
		),
};

/** @param {number} seconds */
function rateLimitMessage(seconds) {
	return `Rate limit exceeded. Try again in ${seconds} seconds.`;
}

/**
 * Where a list answer puts its pagination: the docs show it top-level (LLMS, *SUP pages) and in
 * meta (REF); 'both' (the default) mirrors it in both places.
 * @typedef {'both' | 'top' | 'meta'} PaginationPlacement
 */
const PAGINATION_PLACEMENTS = ['both', 'top', 'meta'];

/** @param {unknown} placement @returns {PaginationPlacement} */
function checkPaginationPlacement(placement) {
	if (!PAGINATION_PLACEMENTS.includes(/** @type {string} */ (placement)))
		throw new TypeError(`pagination placement must be one of: ${PAGINATION_PLACEMENTS.join(', ')}`);
	return /** @type {PaginationPlacement} */ (placement);
}

/**
 * @param {unknown} data
 * @param {string} requestId
 * @param {string} timestamp
 * @param {Record<string, unknown>} [pagination]  lists only
 * @param {PaginationPlacement} [placement]
 * @returns {Record<string, unknown>}
 */
function successBody(data, requestId, timestamp, pagination, placement = 'both') {
	if (!pagination) return { success: true, data, meta: { requestId, timestamp } };
	if (placement === 'top')
		return { success: true, data, pagination, meta: { requestId, timestamp } };
	if (placement === 'meta')
		return { success: true, data, meta: { requestId, timestamp, pagination } };
	return { success: true, data, pagination, meta: { requestId, timestamp, pagination } };
}

/**
 * @param {ApiError} err
 * @param {string} requestId
 * @param {string} timestamp
 * @returns {Record<string, unknown>}
 */
function errorBody(err, requestId, timestamp) {
	/** @type {Record<string, unknown>} */
	const error = { type: err.type, code: err.code, message: err.message };
	if (err.param !== undefined) error.param = err.param;
	// REF: 429s carry "a retryAfter value in the error body"; error.retryAfter (seconds) is the likeliest place.
	if (err.retryAfter !== undefined) error.retryAfter = err.retryAfter;
	error.doc_url = DOC_URL_BASE + err.code;
	error.request_id = requestId;
	return { success: false, error, meta: { requestId, timestamp } };
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {HttpResponse}
 */
function jsonResponse(status, body, headers = {}) {
	return {
		status,
		headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
		body: Buffer.from(JSON.stringify(body)),
	};
}

module.exports = {
	ApiError,
	errors,
	successBody,
	checkPaginationPlacement,
	PAGINATION_PLACEMENTS,
	errorBody,
	jsonResponse,
	rateLimitMessage,
	JSON_CONTENT_TYPE,
};
