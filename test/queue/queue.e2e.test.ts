/**
 * Cstar Bulk in n8n's queue mode, as production runs it: Redis, Postgres, one main and two workers
 * (concurrency 1 each), the package in every process's user folder. Each run starts through the
 * main, by calling an active workflow's Webhook over HTTP, and runs on a worker; which one is read
 * from the workers' own logs. Every scenario checks the emulator's store: each id on exactly one
 * output, nothing applied twice.
 */
import { startEmulator } from '../../emulator';
import { nodeOutputs } from '../../harness';
import { loadExample } from '../../scripts/examples';
import {
	BULK_NODE,
	leakIn,
	sorted,
	type CredentialRef,
	type Emulator,
} from '../e2e/support/workflows';
import { startQueueCluster, type QueueCluster } from './support/cluster';
import { waitFor, delay } from './support/wait';
import { webhookWorkflow } from './support/webhookWorkflow';

const CREDENTIAL: CredentialRef = { id: 'queueCred', name: 'cStar (emulator)' };
const TICKETS = 10_000;
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** n8n's execution record, as `GET /rest/executions/<id>` gives it (run data parsed). */
interface ExecutionRecord {
	status: string;
	mode: string;
	data?: { resultData?: { runData?: Record<string, unknown>; error?: { message?: string } } };
}

interface Finished {
	id: string;
	status: string;
	record: ExecutionRecord;
	workers: string[];
}

/**
 * The Cstar Bulk parameters of examples/work-through-backlog.json as shipped (search: resolved
 * tickets, Act on the First N, 500 per run, close them); here a webhook fires the runs instead of
 * its schedule, so the test decides when the next run comes.
 */
function backlogParameters(): Record<string, unknown> {
	const example = loadExample('work-through-backlog.json');
	const node = example.nodes.find((candidate) => candidate.type === 'n8n-nodes-cstar.cstarBulk');
	if (!node) throw new Error('work-through-backlog.json has no Cstar Bulk node');
	return node.parameters;
}

describe('Cstar Bulk in n8n queue mode (main + 2 workers, Redis, Postgres)', () => {
	let emu: Emulator;
	let cluster: QueueCluster;
	let ticketIds: string[];

	const update = (notes: string, options: Record<string, unknown> = {}) => ({
		resource: 'ticket',
		operation: 'update',
		dataMode: 'fields',
		updateFields: { notes },
		options,
	});

	beforeAll(async () => {
		emu = await startEmulator({ seed: 21, tickets: TICKETS, customers: 10, articles: 10 });
		ticketIds = emu.store.ids('tickets');
		const workflow = (id: string, parameters: Record<string, unknown>) =>
			webhookWorkflow({ id, credential: CREDENTIAL, parameters });
		cluster = await startQueueCluster({
			credentials: [
				{
					...CREDENTIAL,
					type: 'cstarApi',
					data: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
				},
			],
			workflows: [
				workflow('queue10k', update('queue 10k')),
				workflow('queueShareA', update('queue A', { parallelRequests: 4 })),
				workflow('queueShareB', update('queue B', { parallelRequests: 4 })),
				workflow('queueCancel', update('queue cancel')),
				workflow('queueKill', { resource: 'ticket', operation: 'delete', options: {} }),
				workflow('queueBacklog', backlogParameters()),
			],
		});
	});

	beforeEach(() => emu.reset());

	afterAll(async () => {
		if (cluster) await cluster.stop();
		if (emu) await emu.close();
	});

	/** Calls the workflow's webhook and waits for its next execution to be created. */
	const start = async (workflowId: string, ids: string[]): Promise<string> => {
		const before = new Set(await cluster.executionIds(workflowId));
		const answer = await cluster.callWebhook(workflowId, { ids });
		expect(answer.status).toBe(200);
		return waitFor(
			async () => (await cluster.executionIds(workflowId)).find((id) => !before.has(id)),
			{ what: `an execution of ${workflowId}` },
		);
	};

	const finish = async (executionId: string, timeoutMs = 10 * 60 * 1000): Promise<Finished> => {
		const record = await waitFor(
			async () => {
				const got = await cluster.execution(executionId);
				return FINISHED.includes(got.status) ? got : undefined;
			},
			{ what: `execution ${executionId} to finish`, timeoutMs, intervalMs: 1000 },
		);
		const workers = cluster.ranOn(executionId).map((w) => w.name);
		return { id: executionId, status: record.status, record, workers };
	};

	const outputsOf = (done: Finished) => {
		const [succeeded, failed] = nodeOutputs(done.record, BULK_NODE);
		return { succeeded, failed };
	};

	const idsOf = (items: Array<{ json: Record<string, unknown> }>) =>
		sorted(items.map((item) => String(item.json.id)));

	test('10,000 ids through the main run on one worker: each once on Succeeded, applied once', async () => {
		const ids = ticketIds.slice(0, 10_000);
		const done = await finish(await start('queue10k', ids));

		expect(done.status).toBe('success');
		expect(done.record.mode).toBe('webhook');
		expect(done.workers).toHaveLength(1);
		const { succeeded, failed } = outputsOf(done);
		expect(failed).toEqual([]);
		expect(idsOf(succeeded)).toEqual(sorted(ids));
		expect(succeeded.every((item) => item.json.status === 'succeeded')).toBe(true);
		expect(ids.filter((id) => emu.store.get('tickets', id)?.notes !== 'queue 10k')).toEqual([]);
		expect(ids.filter((id) => emu.appliedCount('tickets', id) !== 1)).toEqual([]);
		expect(emu.counts().bulkCalls).toBe(100);
	});

	test('two workflows on two workers at once, one rate-limited key: 429s waited out, nothing lost or doubled', async () => {
		emu.setRateLimit({ limit: 8, windowSeconds: 2 });
		try {
			const a = ticketIds.slice(0, 1500);
			const b = ticketIds.slice(1500, 3000);
			const idA = await start('queueShareA', a);
			const idB = await start('queueShareB', b);
			const [doneA, doneB] = await Promise.all([finish(idA), finish(idB)]);

			expect([doneA.status, doneB.status]).toEqual(['success', 'success']);
			expect(doneA.workers).toHaveLength(1);
			expect(doneB.workers).toHaveLength(1);
			expect(doneA.workers[0]).not.toBe(doneB.workers[0]);
			for (const [done, ids, notes] of [
				[doneA, a, 'queue A'],
				[doneB, b, 'queue B'],
			] as const) {
				const { succeeded, failed } = outputsOf(done);
				expect(failed).toEqual([]);
				expect(idsOf(succeeded)).toEqual(sorted([...ids]));
				expect(ids.filter((id) => emu.store.get('tickets', id)?.notes !== notes)).toEqual([]);
			}
			expect(emu.log.filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
			expect(emu.counts().idsAppliedTwice).toBe(0);
			expect(emu.counts().idsApplied).toBe(3000);
		} finally {
			emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
		}
	});

	test('cancel from the main while a worker runs the node', async () => {
		emu.setRateLimit({ limit: 5, windowSeconds: 1 });
		try {
			const ids = ticketIds.slice(0, 3000);
			const executionId = await start('queueCancel', ids);
			await waitFor(() => cluster.ranOn(executionId).length === 1 && emu.counts().bulkCalls >= 5, {
				what: 'the worker to be sending calls',
			});
			const stopped = await cluster.rest('POST', `/executions/${executionId}/stop`);
			const done = await finish(executionId);
			const callsAtFinish = emu.counts().bulkCalls;
			await delay(3000);
			const applied = ids.filter((id) => emu.appliedCount('tickets', id) > 0);
			// n8n 2.40.7 delivers the stop to the worker: the node stops sending, the run ends canceled,
			// and n8n keeps no output of the node (docs/queue-mode.md: what a crash or a cancel can guarantee).
			expect(stopped.status).toBe(200);
			expect(done.status).toBe('canceled');
			expect(done.record.data?.resultData?.error?.message).toMatch(/cancel/i);
			expect(done.record.data?.resultData?.runData?.[BULK_NODE]).toBeUndefined();
			expect(emu.counts().bulkCalls).toBe(callsAtFinish);
			expect(applied.length).toBeLessThan(ids.length);
			expect(emu.counts().idsAppliedTwice).toBe(0);
		} finally {
			emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
		}
	});

	test('the backlog recipe: a run whose worker is killed mid-run loses nothing; re-runs of 500 each finish the job, every resolved ticket closed exactly once', async () => {
		const { limit } = backlogParameters() as { limit: number };
		const resolved = emu.store
			.list('tickets')
			.filter((ticket) => ticket.status === 'resolved')
			.map((ticket) => String(ticket.id));
		expect(resolved.length).toBeGreaterThan(3 * limit); // several bounded runs
		// Slow enough (2 calls a second) that the kill lands while the run is writing.
		emu.setRateLimit({ limit: 2, windowSeconds: 1 });
		let killedRunClosed: string[] = [];
		try {
			const killedId = await start('queueBacklog', []);
			await waitFor(() => cluster.ranOn(killedId).length === 1 && emu.counts().bulkCalls >= 2, {
				what: 'the worker to be closing tickets',
			});
			const [victim] = cluster.ranOn(killedId);
			await victim.kill('SIGKILL');
			const afterKill = await waitFor(
				async () => {
					const got = await cluster.execution(killedId);
					return got.status !== 'running' ? got : undefined;
				},
				{ what: 'n8n to notice the killed worker', intervalMs: 2000, timeoutMs: 5 * 60 * 1000 },
			);
			expect(afterKill.status).toBe('error');
			// The killed run closed some of its 500, not all: it stopped mid-run.
			killedRunClosed = resolved.filter((id) => emu.appliedCount('tickets', id) > 0);
			expect(killedRunClosed.length).toBeGreaterThan(0);
			expect(killedRunClosed.length).toBeLessThan(limit);
			await cluster.addWorker(); // back to two live workers for the tests after this one
		} finally {
			emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
		}

		// The next runs (the schedule's, here called by hand) each close at most 500 of what is left.
		const left = resolved.length - killedRunClosed.length;
		const reruns: string[][] = [];
		for (let run = 0; run < Math.ceil(left / limit) + 1; run += 1) {
			const done = await finish(await start('queueBacklog', []));
			expect(done.status).toBe('success');
			const { succeeded, failed } = outputsOf(done);
			expect(failed).toEqual([]);
			reruns.push(idsOf(succeeded.filter((item) => item.json.id)));
		}
		expect(reruns.map((ids) => ids.length)).toEqual([
			...Array.from({ length: Math.ceil(left / limit) }, (_, n) =>
				Math.min(limit, left - n * limit),
			),
			0, // the last run finds nothing left
		]);
		const closedByReruns = reruns.flat();
		expect(closedByReruns.filter((id) => killedRunClosed.includes(id))).toEqual([]);
		expect(sorted([...killedRunClosed, ...closedByReruns])).toEqual(sorted(resolved));

		// The store: every ticket that was resolved is closed, each by exactly one write, and no
		// other record was written.
		expect(resolved.filter((id) => emu.store.get('tickets', id)?.status !== 'closed')).toEqual([]);
		expect(emu.appliedCounts()).toEqual(
			Object.fromEntries(resolved.map((id) => [`tickets:${id}`, 1])),
		);
		expect(emu.counts().idsAppliedTwice).toBe(0);
	});

	test('a worker killed mid-run: what n8n records, then a re-run applies every id once and says which were already gone', async () => {
		emu.setRateLimit({ limit: 10, windowSeconds: 1 });
		const ids = ticketIds.slice(0, 10_000);
		try {
			const firstId = await start('queueKill', ids);
			await waitFor(() => cluster.ranOn(firstId).length === 1 && emu.counts().bulkCalls >= 20, {
				what: 'the worker to be deleting',
			});
			const [victim] = cluster.ranOn(firstId);
			await victim.kill('SIGKILL');
			// The job's lock lapses (30 s) and Bull fails it (maxStalledCount 0: never re-queued, never
			// re-run); the main, waiting for the job, then records the execution as failed.
			const afterKill = await waitFor(
				async () => {
					const got = await cluster.execution(firstId);
					return got.status !== 'running' ? got : undefined;
				},
				{ what: 'n8n to notice the killed worker', intervalMs: 2000, timeoutMs: 5 * 60 * 1000 },
			);
			expect(afterKill.status).toBe('error');
			expect(cluster.ranOn(firstId)).toEqual([victim]);
			const goneBefore = ids.filter((id) => !emu.store.get('tickets', id));

			emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
			const rerun = await finish(await start('queueKill', ids));
			expect(rerun.status).toBe('success');
			expect(rerun.workers).toHaveLength(1);
			expect(rerun.workers[0]).not.toBe(victim.name);
			const { succeeded, failed } = outputsOf(rerun);
			expect(sorted([...idsOf(succeeded), ...idsOf(failed)])).toEqual(sorted(ids));
			expect(idsOf(failed)).toEqual(sorted(goneBefore));
			expect(failed.every((item) => item.json.error?.code === 'resource_missing')).toBe(true);
			expect(ids.filter((id) => emu.store.get('tickets', id))).toEqual([]);
			expect(ids.filter((id) => emu.appliedCount('tickets', id) !== 1)).toEqual([]);
			expect(emu.counts().idsAppliedTwice).toBe(0);
		} finally {
			emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
		}
	});

	test('the key never appears in any process log', () => {
		expect(leakIn(cluster.log(), emu.keys.secret)).toBeUndefined();
	});
});
