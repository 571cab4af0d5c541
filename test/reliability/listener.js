// @ts-check
'use strict';

const http = require('node:http');

/**
 * @typedef {Object} Received
 * @property {string} method
 * @property {string} url
 * @property {import('node:http').IncomingHttpHeaders} headers
 */
/**
 * @typedef {Object} Listener   a stand-in for "another host": it records whatever reaches it
 * @property {string} origin      http://127.0.0.2:PORT (127.0.0.1 where 127.0.0.2 can't be bound)
 * @property {Received[]} received
 * @property {() => Promise<void>} close
 */

/** @param {string} host @returns {Promise<http.Server>} */
function listen(host) {
	const server = http.createServer();
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve(server));
	});
}

/**
 * Starts a listener on another loopback address than the emulator's 127.0.0.1, so a redirect to it
 * is a redirect to another host. It answers 200 {"success":true} to anything.
 * @returns {Promise<Listener>}
 */
async function startOtherHost() {
	let host = '127.0.0.2';
	let server;
	try {
		server = await listen(host);
	} catch {
		host = '127.0.0.1';
		server = await listen(host);
	}
	/** @type {Received[]} */
	const received = [];
	server.on('request', (req, res) => {
		received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		req.resume();
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"success":true,"data":{"teamId":"stolen"}}');
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		origin: `http://${host}:${port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = { startOtherHost };
