// @ts-check
'use strict';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./envelope').HttpResponse} HttpResponse */

/**
 * Reads the whole request body as UTF-8. Past maxBytes the rest is drained and discarded.
 * @param {IncomingMessage} req
 * @param {number} maxBytes
 * @returns {Promise<{ text: string, tooLarge: boolean }>}
 */
function readBody(req, maxBytes) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size <= maxBytes) chunks.push(chunk);
		});
		req.on('end', () => {
			const text =
				chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
			resolve({ text, tooLarge: size > maxBytes });
		});
		req.on('error', reject);
	});
}

/**
 * @param {string} text
 * @returns {{ value: unknown, invalid: boolean }}  an empty body is valid and undefined
 */
function parseJson(text) {
	if (text === '') return { value: undefined, invalid: false };
	try {
		return { value: JSON.parse(text), invalid: false };
	} catch {
		return { value: text, invalid: true };
	}
}

/** @param {string} queryString @returns {Record<string, string>} */
function parseQuery(queryString) {
	return queryString === '' ? {} : Object.fromEntries(new URLSearchParams(queryString));
}

/**
 * @param {ServerResponse} res
 * @param {HttpResponse} response
 * @param {Record<string, string>} [extraHeaders]
 */
function send(res, response, extraHeaders) {
	if (res.destroyed || res.writableEnded) return;
	res.writeHead(response.status, {
		...response.headers,
		...extraHeaders,
		'content-length': String(response.body.length),
	});
	res.end(response.body);
}

module.exports = { readBody, parseJson, parseQuery, send };
