// @ts-check
'use strict';

/**
 * A tiny stand-in for cStar, for e2e tests that must not depend on the emulator (the smoke test and
 * the credential test). `GET /api/v1/auth/whoami` answers by the bearer key:
 * - a key starting `sk_` → 200 `{"success":true,"data":{..., "keyType":"secret"}}`
 * - a key starting `pk_` → 200 with `"keyType":"publishable"`
 * - `status_<code>` (for example `status_500`) → that status, with a cStar-style error body
 * - anything else → 401 `{"success":false,"error":{"code":"unauthorized","message":"Invalid API key"}}`
 * `POST /api/v1/teams/<team>/bulk` with a secret key answers "every id succeeded" (the documented 200
 * body), just enough for a smoke run of the node; real cStar behaviour (unknown ids, faults, rate
 * limits) is the emulator's job. Anything else is a 404.
 * Every request is recorded (method, url, authorization header, parsed JSON body) so a test can check
 * what n8n sent.
 */

const http = require('node:http');

const { parseJsonText, readText } = require('../../../harness/http');

const TEAM_ID = '550e8400-e29b-41d4-a716-446655440000';

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} url
 * @property {string | undefined} authorization
 * @property {any} [body] the JSON body, when there was one
 */

/**
 * @typedef {object} WhoamiServer
 * @property {string} url  base URL, for example `http://127.0.0.1:40123` (no trailing slash)
 * @property {RecordedRequest[]} requests
 * @property {() => Promise<void>} stop
 */

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function send(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {any} body
 */
function answer(req, res, body) {
	const path = (req.url || '').split('?')[0];
	const key = (req.headers.authorization || '').replace(/^Bearer\s+/i, '');
	const forced = /^status_(\d{3})$/.exec(key);
	if (forced) {
		send(res, Number(forced[1]), {
			success: false,
			error: { code: 'forced', message: `Forced status ${forced[1]}` },
		});
		return;
	}
	const isSecret = key.startsWith('sk_');
	const isPublishable = key.startsWith('pk_');
	if (!isSecret && !isPublishable) {
		send(res, 401, { success: false, error: { code: 'unauthorized', message: 'Invalid API key' } });
		return;
	}
	if (req.method === 'GET' && path === '/api/v1/auth/whoami') {
		send(res, 200, {
			success: true,
			data: {
				teamId: TEAM_ID,
				teamName: 'Acme Corp',
				teamSlug: 'acme',
				keyType: isSecret ? 'secret' : 'publishable',
				environment: key.includes('_test_') ? 'test' : 'live',
			},
		});
		return;
	}
	if (req.method === 'POST' && /^\/api\/v1\/teams\/[^/]+\/bulk$/.test(path)) {
		if (!isSecret) {
			send(res, 403, {
				success: false,
				error: { code: 'forbidden', message: 'Secret key required for this endpoint' },
			});
			return;
		}
		const ids = Array.isArray(body?.ids) ? body.ids : [];
		send(res, 200, {
			success: true,
			data: {
				object: 'bulk_result',
				action: body?.action,
				resource: body?.resource,
				total: ids.length,
				succeeded: ids.length,
				failed: 0,
				errors: [],
			},
		});
		return;
	}
	send(res, 404, { success: false, error: { code: 'not_found', message: 'Not found' } });
}

/**
 * Starts the server on a free port of 127.0.0.1.
 * @returns {Promise<WhoamiServer>}
 */
function startWhoamiServer() {
	/** @type {RecordedRequest[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		readText(req).then(
			(text) => {
				const body = parseJsonText(text, text);
				/** @type {RecordedRequest} */
				const record = {
					method: req.method || '',
					url: req.url || '',
					authorization: req.headers.authorization,
				};
				if (body !== undefined) record.body = body;
				requests.push(record);
				answer(req, res, body);
			},
			() => res.destroy(),
		);
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			resolve({
				url: `http://127.0.0.1:${port}`,
				requests,
				stop: () =>
					new Promise((done) => {
						server.closeAllConnections();
						server.close(() => done());
					}),
			});
		});
	});
}

module.exports = { startWhoamiServer, TEAM_ID };
