// @ts-check
'use strict';

/**
 * The request function n8n's own helpers end in (n8n-core → @n8n/backend-network → axios), so
 * node tests send exactly what n8n would send, over real HTTP.
 */
const { Container } = require('@n8n/di');
const { OutboundHttp } = require('@n8n/backend-network');

/** @param {import('n8n-workflow').IHttpRequestOptions} options @returns {Promise<any>} */
async function n8nHttpRequest(options) {
	return await Container.get(OutboundHttp)
		.requests()
		.request(/** @type {any} */ (options));
}

module.exports = { n8nHttpRequest };
