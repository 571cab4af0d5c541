/**
 * Issue 19, rule 8, in real n8n: a workflow started in a running `n8n start` (webhook) waits on a
 * long Retry-After; `POST /rest/executions/<id>/stop` stops it, and the node ends within a couple
 * of seconds, its waiting ids on Failed as cancelled. On n8n 1.x the node's n8n-workflow is the
 * host's, whose `sleep` takes no abort signal (docs/cancel.md); before the fix the node waited out
 * the whole Retry-After there. n8n records the execution as canceled at once and keeps nothing the
 * node returns afterwards, so the node's log line (runBulk.ts logCancelled) says when it returned,
 * and how many of its ids went to Failed as cancelled.
 */
import { startEmulator } from '../../emulator';
import {
	createUserFolder,
	importCredentials,
	importWorkflow,
	n8nCli,
	removeUserFolder,
	requireRuntime,
	startN8nServer,
	versionDifferences,
	type N8nServer,
} from '../../harness';
import { webhookWorkflow } from '../queue/support/webhookWorkflow';
import { waitFor } from '../queue/support/wait';
import { emulatorCredential } from './support/suite';
import { leakIn, type CredentialRef, type Emulator } from './support/workflows';

const CREDENTIAL: CredentialRef = { id: 'cancelCred', name: 'cStar (emulator)' };
const WORKFLOW_ID = 'cancelWait';
/** Far beyond the bound below, so a node that waits it out cannot pass. */
const RETRY_AFTER_S = 120;
/** "Within a second or two", loosely: a correctness bound, not a speed goal (speed is the bench's). */
const ENDS_WITHIN_MS = 5000;

interface ExecutionRecord {
	status: string;
	data?: unknown;
}

describe('cancel during a long rate-limit wait, in a running n8n', () => {
	let emu: Emulator;
	let userFolder = '';
	let server: N8nServer | undefined;
	let flatted: { parse: (text: string) => unknown };

	beforeAll(async () => {
		emu = await startEmulator({ seed: 19, tickets: 20, customers: 1, articles: 1 });
		userFolder = await createUserFolder();
		await importCredentials(userFolder, [emulatorCredential(CREDENTIAL, emu)]);
		await importWorkflow(
			userFolder,
			webhookWorkflow({
				id: WORKFLOW_ID,
				credential: CREDENTIAL,
				parameters: {
					resource: 'ticket',
					operation: 'update',
					dataMode: 'fields',
					updateFields: { status: 'closed' },
					options: { maxRateLimitWait: 600 },
				},
			}),
		);
		const { n8n1 } = versionDifferences;
		const activate = n8n1
			? ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true']
			: ['publish:workflow', `--id=${WORKFLOW_ID}`];
		const activated = await n8nCli(userFolder, activate);
		if (activated.exitCode !== 0) throw new Error(`n8n ${activate.join(' ')}:\n${activated.log}`);
		server = await startN8nServer(userFolder);
		// n8n stores run data with flatted, its own serializer: read it with the runtime's copy.
		flatted = await import(`${requireRuntime().dir}/node_modules/flatted/cjs/index.js`);
	});

	afterAll(async () => {
		if (server) await server.stop();
		if (userFolder) removeUserFolder(userFolder);
		if (emu) await emu.close();
	});

	const execution = async (id: string): Promise<ExecutionRecord> => {
		const got = await server!.rest('GET', `/executions/${id}`);
		const record = got.body?.data;
		if (!record) throw new Error(`no execution ${id}: ${got.status}`);
		return {
			...record,
			data: typeof record.data === 'string' ? flatted.parse(record.data) : record.data,
		};
	};

	test(`stopped during a ${RETRY_AFTER_S} s Retry-After: the node ends within seconds, its ids on Failed as cancelled`, async () => {
		const ids = emu.store.ids('tickets').slice(0, 5);
		emu.faults.script([{ type: 'rateLimit', retryAfter: RETRY_AFTER_S }]);
		const called = await server!.request('POST', `/webhook/${WORKFLOW_ID}`, { ids });
		expect(called.status).toBe(200);
		await waitFor(() => emu.counts().rateLimited === 1, { what: 'the 429 to be answered' });
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		const executionId = await waitFor(
			async () => {
				const listed = await server!.rest('GET', `/executions?filter=${filter}&limit=10`);
				return listed.body?.data?.results?.[0]?.id as string | undefined;
			},
			{ what: 'the execution to be listed' },
		);

		const stopped = await server!.rest('POST', `/executions/${executionId}/stop`);
		const stoppedAt = Date.now();
		expect(stopped.status).toBe(200);
		const line = new RegExp(
			`Cstar Bulk: execution ${executionId} was cancelled; (\\d+) ids went to Failed as cancelled`,
		);
		const logged = await waitFor(() => line.exec(server!.log()), {
			what: 'the node to return',
			timeoutMs: (RETRY_AFTER_S + 30) * 1000,
			intervalMs: 100,
		});
		const endedAfterMs = Date.now() - stoppedAt;

		expect(endedAfterMs).toBeLessThanOrEqual(ENDS_WITHIN_MS);
		expect(Number(logged[1])).toBe(ids.length);
		const ended = await execution(executionId);
		expect(ended.status).toBe('canceled');
		expect(emu.counts().bulkCalls).toBe(1);
		expect(emu.counts().idsApplied).toBe(0);
		expect(leakIn(JSON.stringify(ended), emu.keys.secret)).toBeUndefined();
		expect(leakIn(server!.log(), emu.keys.secret)).toBeUndefined();
	});
});
