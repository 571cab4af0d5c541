/**
 * The production shape of a bulk job in queue mode: Webhook (POST, answers at once) → Cstar Bulk,
 * the ids arriving in the request body as `{ "ids": [...] }` (one input item naming them all).
 */
import { BULK_NODE, NODE_TYPE, type CredentialRef } from '../../e2e/support/workflows';

export interface WebhookWorkflowOptions {
	/** at most 21 characters; also the webhook path */
	id: string;
	credential: CredentialRef;
	/** the Cstar Bulk node's parameters; `ids` is `={{ $json.body.ids }}` */
	parameters: Record<string, unknown>;
}

/** A uuid-shaped webhook id derived from the workflow id (n8n keys production webhooks by it). */
function webhookIdOf(id: string): string {
	const hex = Array.from(id, (c) => c.charCodeAt(0).toString(16).padStart(2, '0'))
		.join('')
		.padEnd(32, '0')
		.slice(0, 32);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function webhookWorkflow(options: WebhookWorkflowOptions): Record<string, unknown> {
	return {
		id: options.id,
		name: `queue ${options.id}`,
		nodes: [
			{
				id: 'q0000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: webhookIdOf(options.id),
				parameters: {
					httpMethod: 'POST',
					path: options.id,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'q0000000-0000-4000-8000-000000000002',
				name: BULK_NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { ids: '={{ $json.body.ids }}', options: {}, ...options.parameters },
				credentials: { cstarApi: options.credential },
			},
		],
		connections: { Webhook: { main: [[{ node: BULK_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
