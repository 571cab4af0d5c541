// @ts-check
'use strict';

/**
 * The floor inside n8n (bench only, never shipped: package.json's "files" is dist/ only). It sends the
 * same calls as Cstar Bulk (the ids in order, 100 per POST /bulk, an Idempotency-Key each, `concurrency`
 * at a time) through the same n8n helper the node uses, httpRequestWithAuthentication with the run's
 * credential handed over once, and nothing else: no parameter read per item, no plan, no retries, no
 * pacing, one summary item out. What ours takes beyond it is the node's own; what it takes beyond the
 * plain-Node floor is n8n's helper (a new connection per call).
 *
 * The bench copies this file into the user folder's `.n8n/custom/`, where n8n loads it as
 * `CUSTOM.benchFloor` (n8n-core CustomDirectoryLoader).
 */

const CREDENTIAL_TYPE = 'cstarApi';

/** @param {unknown[]} list @param {number} size */
function chunked(list, size) {
	const chunks = [];
	for (let at = 0; at < list.length; at += size) chunks.push(list.slice(at, at + size));
	return chunks;
}

/** Every input item's `id`: one id, or a list of them (the big workload's items of 100). */
function idsOf(/** @type {{ json: Record<string, unknown> }[]} */ items) {
	/** @type {unknown[]} */
	const ids = [];
	for (const item of items) {
		const id = item.json.id;
		if (Array.isArray(id)) for (const one of id) ids.push(one);
		else ids.push(id);
	}
	return ids;
}

class BenchFloor {
	constructor() {
		this.description = {
			displayName: 'Bench Floor',
			name: 'benchFloor',
			group: ['transform'],
			version: 1,
			description: 'Bench only: the Cstar Bulk calls through n8n’s HTTP helper, nothing else',
			defaults: { name: 'Bench Floor' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 1 },
				{ displayName: 'Data (JSON)', name: 'data', type: 'string', default: '{}' },
				{ displayName: 'Run Key', name: 'runKey', type: 'string', default: '' },
			],
		};
	}

	/** @this {any} n8n's IExecuteFunctions */
	async execute() {
		const items = this.getInputData();
		const concurrency = Math.max(1, Number(this.getNodeParameter('concurrency', 0)));
		const data = JSON.parse(String(this.getNodeParameter('data', 0)));
		const runKey = `${this.getNodeParameter('runKey', 0) || 'floor'}-${this.getExecutionId()}-${Date.now()}`;
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const reference = this.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
		const credentialOptions = {
			credentialsDecrypted: {
				id: reference.id ?? '',
				name: reference.name ?? '',
				type: CREDENTIAL_TYPE,
				data: credentials,
			},
		};
		const baseUrl = String(credentials.baseUrl).replace(/\/+$/, '');
		const url = `${baseUrl}/api/v1/teams/${encodeURIComponent(String(credentials.teamId))}/bulk`;
		const calls = chunked(idsOf(items), 100);
		const totals = { calls: 0, succeeded: 0, failedCalls: 0 };

		const send = async (/** @type {number} */ seq) => {
			const response = await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				{
					method: 'POST',
					url,
					headers: { Accept: 'application/json', 'Idempotency-Key': `${runKey}-${seq}` },
					body: { action: 'update', resource: 'tickets', ids: calls[seq], data },
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
				},
				credentialOptions,
			);
			totals.calls++;
			if (response.statusCode >= 200 && response.statusCode < 300)
				totals.succeeded += Number(response.body?.data?.succeeded ?? 0);
			else totals.failedCalls++;
		};
		let next = 0;
		const worker = async () => {
			while (next < calls.length) await send(next++);
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
		return [[{ json: totals, pairedItem: { item: 0 } }]];
	}
}

module.exports = { BenchFloor };
