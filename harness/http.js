// @ts-check
'use strict';

const http = require('node:http');

/**
 * @typedef {object} JsonResponse
 * @property {number} status
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {any} body the parsed body, or undefined when it is empty or not JSON
 * @property {string} text
 */

/**
 * Reads a stream (a request or a response) to its end as UTF-8 text.
 * @param {import('node:stream').Readable} stream
 * @returns {Promise<string>}
 */
function readText(stream) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		stream.on('data', (c) => chunks.push(c));
		stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		stream.on('error', reject);
	});
}

/**
 * The JSON in `text`: undefined when the text is empty, `otherwise` when it is not JSON.
 * @param {string} text
 * @param {unknown} otherwise
 * @returns {any}
 */
function parseJsonText(text, otherwise) {
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return otherwise;
	}
}

/**
 * One HTTP request with a JSON body, answered with its status, headers and parsed body.
 * @param {string} url
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<JsonResponse>}
 */
function requestJson(url, options = {}) {
	return new Promise((resolve, reject) => {
		const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
		const req = http.request(
			url,
			{
				method: options.method || 'GET',
				headers: {
					accept: 'application/json',
					...(payload
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
						: {}),
					...options.headers,
				},
				timeout: options.timeoutMs ?? 60000,
			},
			(res) => {
				readText(res).then((text) => {
					const body = parseJsonText(text, undefined);
					resolve({ status: res.statusCode || 0, headers: res.headers, body, text });
				}, reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

module.exports = { requestJson, readText, parseJsonText };
