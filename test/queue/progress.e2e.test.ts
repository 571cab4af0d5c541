/**
 * Progress lines and hints in n8n's queue mode: a run started through the main's webhook runs on a
 * worker, so its progress lines are in that worker's log (and not the main's), and its hints are
 * stored with the execution (read back through the main's REST API, as the editor opens it).
 * The emulator allows one call per 9 s, so five calls take about 36 s.
 */
import { startEmulator } from '../../emulator';
import { nodeHints, nodeOutputs } from '../../harness';
import { BULK_NODE, leakIn, type CredentialRef, type Emulator } from '../e2e/support/workflows';
import { startQueueCluster, type QueueCluster } from './support/cluster';
import { waitFor } from './support/wait';
import { webhookWorkflow } from './support/webhookWorkflow';

const CREDENTIAL: CredentialRef = { id: 'queueProgress', name: 'cStar (emulator)' };
const CALLS = 5;
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

describe('progress lines and hints in n8n queue mode (main + 1 worker)', () => {
	let emu: Emulator;
	let cluster: QueueCluster;

	beforeAll(async () => {
		emu = await startEmulator({
			seed: 23,
			tickets: CALLS * 100,
			customers: 10,
			articles: 10,
			rateLimit: { limit: 1, windowSeconds: 9 },
		});
		cluster = await startQueueCluster({
			workers: 1,
			credentials: [
				{
					...CREDENTIAL,
					type: 'cstarApi',
					data: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
				},
			],
			workflows: [
				webhookWorkflow({
					id: 'queueProgress',
					credential: CREDENTIAL,
					parameters: {
						resource: 'ticket',
						operation: 'update',
						dataMode: 'fields',
						updateFields: { notes: 'queue progress marker' },
					},
				}),
			],
		});
	});

	afterAll(async () => {
		if (cluster) await cluster.stop();
		if (emu) await emu.close();
	});

	test('a rate-limited run of about 36 s: lines in the worker’s log, a rate-limit hint in the stored execution', async () => {
		const ids = emu.store.ids('tickets');
		const answer = await cluster.callWebhook('queueProgress', { ids });
		expect(answer.status).toBe(200);
		const executionId = await waitFor(
			async () => (await cluster.executionIds('queueProgress'))[0],
			{ what: 'the execution' },
		);
		const record = await waitFor(
			async () => {
				const got = await cluster.execution(executionId);
				return FINISHED.includes(got.status) ? got : undefined;
			},
			{ what: `execution ${executionId} to finish`, timeoutMs: 5 * 60 * 1000, intervalMs: 1000 },
		);
		expect(record.status).toBe('success');
		const [succeeded] = nodeOutputs(record, BULK_NODE);
		expect(succeeded).toHaveLength(ids.length);

		const label = `Cstar Bulk "${BULK_NODE}" (execution ${executionId}): `;
		const [worker] = cluster.ranOn(executionId);
		expect(worker).toBeDefined();
		const lines = worker
			.log()
			.split('\n')
			.filter((line) => line.includes(label));
		expect(lines.length).toBeGreaterThanOrEqual(2);
		expect(lines[lines.length - 1]).toMatch(
			new RegExp(
				`: finished, ${CALLS} of ${CALLS} calls done, ${CALLS * 100} ids confirmed, 0 failed, after \\d+ s$`,
			),
		);
		expect(cluster.main.log()).not.toContain(label);
		for (const line of lines) {
			expect(line).not.toMatch(/tkt_/);
			expect(line).not.toContain('queue progress marker');
		}

		const [hint] = nodeHints(record, BULK_NODE);
		expect(hint?.message).toMatch(/^cStar's rate limit made this run wait \d+ s in total/);
		expect(leakIn(cluster.log(), emu.keys.secret)).toBeUndefined();
	});
});
