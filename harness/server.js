// @ts-check
'use strict';

/**
 * A started `n8n start` for a user folder: healthy, with an owner logged in, and clients for its
 * REST API and the editor's credential test.
 */

const crypto = require('node:crypto');

const { spawnN8n } = require('./env');
const { requestJson } = require('./http');
const { recordLog } = require('./n8n-log');
const { freePort } = require('./ports');
const { delay } = require('./process');

/**
 * @typedef {object} N8nServer
 * @property {string} url       for example `http://127.0.0.1:5678`
 * @property {string} email     the owner's login
 * @property {string} password
 * @property {(type: string, data: Record<string, unknown>, name?: string) => Promise<{ status: string, message: string }>} testCredential
 *   saves a credential (`POST /rest/credentials`), then tests it (`POST /rest/credentials/test`) as the
 *   editor's "Test" button does, and returns n8n's answer (`status` is 'OK' or 'Error')
 * @property {(method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>} rest
 *   an authenticated call to n8n's internal REST API (`/rest/...`), as the logged-in owner
 * @property {(method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>} request
 *   an authenticated call to any path of the server, for example `GET /types/nodes.json` (the node
 *   types the editor loads)
 * @property {() => string} log what the server has written so far (stdout and stderr)
 * @property {() => Promise<void>} stop stops the server (SIGTERM, then SIGKILL after 20 s)
 */

/**
 * @typedef {object} ServerProcess
 * @property {() => string} log
 * @property {() => { exited: boolean, exitCode: number | null }} state
 * @property {() => Promise<void>} stop
 */

const OWNER = { email: 'owner@example.com', password: 'E2e-Owner-Passw0rd' };

/**
 * Spawns `n8n start` on 127.0.0.1:`port`, collecting its output; when it exits, the output goes to
 * the user folder's n8n log.
 * @param {string} userFolder
 * @param {number} port
 * @param {Record<string, string>} [env]
 * @returns {Promise<ServerProcess>}
 */
async function spawnServer(userFolder, port, env) {
	const child = await spawnN8n(userFolder, ['start'], {
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		...env,
	});
	/** @type {Buffer[]} */
	const output = [];
	child.stdout.on('data', (/** @type {Buffer} */ c) => output.push(c));
	child.stderr.on('data', (/** @type {Buffer} */ c) => output.push(c));
	const log = () => Buffer.concat(output).toString('utf8');
	/** @type {number | null} */
	let exitCode = null;
	let exited = false;
	const exitedPromise = new Promise((resolve) =>
		child.on('close', (code) => {
			exited = true;
			exitCode = code;
			recordLog(userFolder, `$ n8n start (port ${port})\n${log()}`);
			resolve(undefined);
		}),
	);
	const stop = async () => {
		if (exited) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
		await exitedPromise;
		clearTimeout(timer);
	};
	return { log, state: () => ({ exited, exitCode }), stop };
}

/**
 * Whether the server answers the route the editor loads first, `GET /rest/settings`, with JSON.
 * @param {string} url
 * @returns {Promise<boolean>}
 */
async function restIsUp(url) {
	try {
		const ready = await requestJson(`${url}/healthz/readiness`, { timeoutMs: 2000 });
		if (ready.status !== 200) return false;
		const settings = await requestJson(`${url}/rest/settings`, { timeoutMs: 5000 });
		return settings.status === 200 && settings.body !== undefined;
	} catch {
		return false; // not listening yet
	}
}

/**
 * Waits until the REST API is up. /healthz answers {"status":"ok"} as soon as the port is open, and
 * until the database is migrated every other route answers 200 "n8n is starting up. Please wait".
 * `GET /healthz/readiness` means "database connected and migrated": in 2.x it also waits for the
 * REST routes, in 1.x (abstract-server.js setupHealthCheck) it does not, and on a migrated user
 * folder it answers 200 before `POST /rest/owner/setup` exists (404). `GET /rest/settings` is
 * registered after every controller (server.js configure, in 1.x and 2.x), so a JSON answer there
 * means the owner routes are there too.
 * @param {string} url
 * @param {ServerProcess} server
 * @param {number} timeoutMs
 */
async function waitUntilReady(url, server, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { exited, exitCode } = server.state();
		if (exited)
			throw new Error(
				`n8n start exited (code ${exitCode}) before it was healthy:\n${server.log().slice(-4000)}`,
			);
		if (Date.now() > deadline)
			throw new Error(`n8n start was not healthy in time:\n${server.log().slice(-4000)}`);
		if (await restIsUp(url)) return;
		await delay(500);
	}
}

/**
 * Creates the owner (`POST /rest/owner/setup`) and logs in (`POST /rest/login`).
 * @param {string} url
 * @returns {Promise<{ cookie: string, browserId: string }>} the auth cookie and the browser id it is bound to
 */
async function setupOwnerAndLogin(url) {
	const { email, password } = OWNER;
	const browserId = crypto.randomUUID();
	const setup = await requestJson(`${url}/rest/owner/setup`, {
		method: 'POST',
		body: { email, firstName: 'E2E', lastName: 'Owner', password },
		headers: { 'browser-id': browserId },
	});
	if (setup.status !== 200) throw new Error(`owner setup failed: ${setup.status} ${setup.text}`);
	const login = await requestJson(`${url}/rest/login`, {
		method: 'POST',
		body: { emailOrLdapLoginId: email, password },
		headers: { 'browser-id': browserId },
	});
	const cookie = (login.headers['set-cookie'] || [])
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (login.status !== 200 || !cookie)
		throw new Error(`login failed: ${login.status} ${login.text}`);
	return { cookie, browserId };
}

/**
 * The credential test as the editor's "Test" button does it: save, then test.
 * @param {N8nServer['rest']} rest
 * @returns {N8nServer['testCredential']}
 */
function credentialTester(rest) {
	let counter = 0;
	return async (type, data, name) => {
		counter += 1;
		const credentialName = name || `${type} e2e ${counter}`;
		const saved = await rest('POST', '/credentials', { name: credentialName, type, data });
		const id = saved.body?.data?.id;
		if (saved.status !== 200 || !id) {
			throw new Error(
				`saving the credential failed: ${saved.status} ${JSON.stringify(saved.body)}`,
			);
		}
		const tested = await rest('POST', '/credentials/test', {
			credentials: { id, name: credentialName, type, data },
		});
		if (tested.status !== 200 || !tested.body?.data) {
			throw new Error(
				`testing the credential failed: ${tested.status} ${JSON.stringify(tested.body)}`,
			);
		}
		return { status: tested.body.data.status, message: tested.body.data.message };
	};
}

/**
 * Authenticated clients for a logged-in server.
 * @param {string} url
 * @param {{ cookie: string, browserId: string }} session
 * @returns {Pick<N8nServer, 'request' | 'rest' | 'testCredential'>}
 */
function clientsFor(url, { cookie, browserId }) {
	/** @type {N8nServer['request']} */
	const request = async (method, urlPath, body) => {
		const response = await requestJson(`${url}${urlPath}`, {
			method,
			body,
			headers: { cookie, 'browser-id': browserId },
		});
		return { status: response.status, body: response.body };
	};
	/** @type {N8nServer['rest']} */
	const rest = (method, restPath, body) => request(method, `/rest${restPath}`, body);
	return { request, rest, testCredential: credentialTester(rest) };
}

/**
 * Starts `n8n start` on 127.0.0.1 for a user folder, waits until it is ready, creates the owner and
 * logs in. Always `stop()` it (in afterAll).
 * @param {string} userFolder from createUserFolder
 * @param {{ port?: number, env?: Record<string, string>, startTimeoutMs?: number }} [options]
 *   `port` defaults to a free one
 * @returns {Promise<N8nServer>}
 */
async function startN8nServer(userFolder, options = {}) {
	const port = options.port || (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const server = await spawnServer(userFolder, port, options.env);
	try {
		await waitUntilReady(url, server, options.startTimeoutMs ?? 180000);
		const session = await setupOwnerAndLogin(url);
		const { log, stop } = server;
		return { url, ...OWNER, ...clientsFor(url, session), log, stop };
	} catch (error) {
		await server.stop();
		throw error;
	}
}

module.exports = { startN8nServer };
