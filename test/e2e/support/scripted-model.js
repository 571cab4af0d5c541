// @ts-check
'use strict';

/**
 * A scripted stand-in for OpenAI, for the AI Agent e2e suite: n8n's OpenAI Chat Model node talks to
 * it through its credential's Base URL. It answers both APIs the installed nodes use, not streamed:
 * the Responses API (`POST /v1/responses`, OpenAI Chat Model 1.3's default) and Chat Completions
 * (`POST /v1/chat/completions`, older model nodes). It keeps every request it received.
 *
 * A script is a list of tool calls. While the request holds fewer tool outputs than the script has
 * calls, the model calls the next one; then it answers with the last tool output, verbatim.
 *
 *   const model = await startScriptedModel();            // model.url is the Base URL (…/v1)
 *   model.script([{ arguments: { ids: 'tkt_1, tkt_2', status: 'closed' } }]);
 *   … run the workflow …
 *   model.toolOutputs();                                  // what the model received from tools
 */

const http = require('node:http');

/**
 * @typedef {object} ScriptedCall
 * @property {Record<string, unknown>} arguments the tool's arguments, as the model would send them
 * @property {string} [tool] the tool's name; by default the only tool the request offers
 */

/**
 * @typedef {object} ReceivedRequest
 * @property {string} method
 * @property {string} path
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} text the raw body
 * @property {any} body the parsed body
 */

/** @param {any} body @returns {'responses' | 'chat'} */
const apiOf = (body) => (Array.isArray(body?.messages) ? 'chat' : 'responses');

/** @param {any} body @returns {string[]} the tool outputs the request hands the model, in order */
function toolOutputsIn(body) {
	if (apiOf(body) === 'chat') {
		return body.messages
			.filter((/** @type {any} */ message) => message.role === 'tool')
			.map((/** @type {any} */ message) =>
				typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
			);
	}
	const input = Array.isArray(body?.input) ? body.input : [];
	return input
		.filter((/** @type {any} */ entry) => entry.type === 'function_call_output')
		.map((/** @type {any} */ entry) =>
			typeof entry.output === 'string' ? entry.output : JSON.stringify(entry.output),
		);
}

/** @param {any} body @returns {string[]} the names of the tools the request offers */
function toolNamesIn(body) {
	const tools = Array.isArray(body?.tools) ? body.tools : [];
	return tools
		.map((/** @type {any} */ tool) => tool.function?.name ?? tool.name)
		.filter((/** @type {unknown} */ name) => typeof name === 'string');
}

/**
 * @param {'responses' | 'chat'} api
 * @param {string} model
 * @param {number} turn
 * @param {{ name: string, args: string } | { text: string }} reply
 */
function answer(api, model, turn, reply) {
	const created = Math.floor(Date.now() / 1000);
	const callId = `call_scripted_${turn}`;
	if (api === 'chat') {
		const message =
			'text' in reply
				? { role: 'assistant', content: reply.text }
				: {
						role: 'assistant',
						content: null,
						tool_calls: [
							{
								id: callId,
								type: 'function',
								function: { name: reply.name, arguments: reply.args },
							},
						],
					};
		return {
			id: `chatcmpl-scripted-${turn}`,
			object: 'chat.completion',
			created,
			model,
			choices: [
				{
					index: 0,
					message,
					finish_reason: 'text' in reply ? 'stop' : 'tool_calls',
					logprobs: null,
				},
			],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		};
	}
	const output =
		'text' in reply
			? {
					type: 'message',
					id: `msg_scripted_${turn}`,
					role: 'assistant',
					status: 'completed',
					content: [{ type: 'output_text', text: reply.text, annotations: [] }],
				}
			: {
					type: 'function_call',
					id: `fc_scripted_${turn}`,
					call_id: callId,
					name: reply.name,
					arguments: reply.args,
					status: 'completed',
				};
	return {
		id: `resp_scripted_${turn}`,
		object: 'response',
		created_at: created,
		status: 'completed',
		model,
		output: [output],
		error: null,
		incomplete_details: null,
		parallel_tool_calls: true,
		tool_choice: 'auto',
		tools: [],
		text: { format: { type: 'text' } },
		usage: {
			input_tokens: 10,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: 10,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: 20,
		},
	};
}

/**
 * What the scripted model says next, for a request's body.
 * @param {any} body
 * @param {ScriptedCall[]} calls
 * @returns {{ name: string, args: string } | { text: string }}
 */
function nextReply(body, calls) {
	const outputs = toolOutputsIn(body);
	if (outputs.length < calls.length) {
		const call = calls[outputs.length];
		const names = toolNamesIn(body).filter((name) => name !== 'format_final_json_response');
		const name = call.tool ?? (names.length === 1 ? names[0] : undefined);
		if (!name) throw new Error(`the script names no tool, and the request offers ${names}`);
		return { name, args: JSON.stringify(call.arguments) };
	}
	const last = outputs[outputs.length - 1];
	return { text: last === undefined ? 'No tool was called.' : `The tool returned: ${last}` };
}

/**
 * Starts the scripted model on 127.0.0.1, on a free port.
 * @returns {Promise<{ url: string, requests: ReceivedRequest[], script: (calls: ScriptedCall[]) => void, toolOutputs: () => string[], reset: () => void, close: () => Promise<void> }>}
 */
async function startScriptedModel() {
	/** @type {ReceivedRequest[]} */
	const requests = [];
	/** @type {ScriptedCall[]} */
	let calls = [];

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = text ? JSON.parse(text) : undefined;
			} catch {
				body = undefined;
			}
			requests.push({
				method: req.method || '',
				path: req.url || '',
				headers: req.headers,
				text,
				body,
			});
			const send = (/** @type {number} */ status, /** @type {unknown} */ json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			const known = req.method === 'POST' && /\/(responses|chat\/completions)$/.test(req.url || '');
			if (!known || body?.stream === true) {
				const why = body?.stream === true ? 'streaming is not scripted' : 'not scripted';
				send(400, {
					error: { message: `${req.method} ${req.url}: ${why}`, type: 'invalid_request_error' },
				});
				return;
			}
			try {
				send(200, answer(apiOf(body), String(body.model), requests.length, nextReply(body, calls)));
			} catch (error) {
				send(400, { error: { message: String(error), type: 'invalid_request_error' } });
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());

	return {
		url: `http://127.0.0.1:${address.port}/v1`,
		requests,
		script: (next) => {
			calls = next;
		},
		/** Every tool output the model received, over all requests, each once. */
		toolOutputs: () => [...new Set(requests.flatMap((request) => toolOutputsIn(request.body)))],
		reset: () => {
			requests.length = 0;
			calls = [];
		},
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startScriptedModel, toolOutputsIn };
