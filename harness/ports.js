// @ts-check
'use strict';

const net = require('node:net');

/**
 * A free TCP port on 127.0.0.1 (free when asked; another process could take it before it is used).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

module.exports = { freePort };
