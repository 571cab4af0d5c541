// @ts-check
'use strict';

/**
 * A tiny stand-in for cStar's `GET /api/v1/auth/whoami`, for e2e tests of the credential test that
 * must not depend on the emulator. It answers by the bearer key:
 * - a key starting `sk_` → 200 `{"success":true,"data":{..., "keyType":"secret"}}`
 * - a key starting `pk_` → 200 with `"keyType":"publishable"`
 * - `status_<code>` (for example `status_500`) → that status, with a cStar-style error body
 * - anything else → 401 `{"success":false,"error":{"code":"unauthorized","message":"Invalid API key"}}`
 * Every request is recorded (method, url, authorization header) so a test can check what n8n sent.
 */

const http = require('node:http');

const TEAM_ID = '550e8400-e29b-41d4-a716-446655440000';

/**
 * @typedef {object} WhoamiServer
 * @property {string} url  base URL, for example `http://127.0.0.1:40123` (no trailing slash)
 * @property {{ method: string, url: string, authorization: string | undefined }[]} requests
 * @property {() => Promise<void>} stop
 */

/**
 * Starts the server on a free port of 127.0.0.1.
 * @returns {Promise<WhoamiServer>}
 */
function startWhoamiServer() {
	/** @type {WhoamiServer['requests']} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({
			method: req.method || '',
			url: req.url || '',
			authorization: req.headers.authorization,
		});
		/**
		 * @param {number} status
		 * @param {unknown} body
		 */
		const send = (status, body) => {
			const text = JSON.stringify(body);
			res.writeHead(status, {
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(text),
			});
			res.end(text);
		};
		const path = (req.url || '').split('?')[0];
		if (req.method !== 'GET' || path !== '/api/v1/auth/whoami') {
			send(404, { success: false, error: { code: 'not_found', message: 'Not found' } });
			return;
		}
		const key = (req.headers.authorization || '').replace(/^Bearer\s+/i, '');
		const forced = /^status_(\d{3})$/.exec(key);
		if (forced) {
			send(Number(forced[1]), {
				success: false,
				error: { code: 'forced', message: `Forced status ${forced[1]}` },
			});
		} else if (key.startsWith('sk_') || key.startsWith('pk_')) {
			send(200, {
				success: true,
				data: {
					teamId: TEAM_ID,
					teamName: 'Acme Corp',
					teamSlug: 'acme',
					keyType: key.startsWith('sk_') ? 'secret' : 'publishable',
					environment: key.includes('_test_') ? 'test' : 'live',
				},
			});
		} else {
			send(401, { success: false, error: { code: 'unauthorized', message: 'Invalid API key' } });
		}
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
