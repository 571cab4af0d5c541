/**
 * Cstar Bulk at volume, through a real n8n (`n8n execute`) against the cStar emulator: 250 and
 * 10,000 ids from a Code node (one per item, arrays and comma/space/newline lists), unknown ids,
 * and the faults a real API has (429 with Retry-After, 5xx, a dropped connection, and a connection
 * dropped after cStar applied the change). Each run is checked on the node's outputs, their
 * `pairedItem`s, the emulator's request log and its store.
 */
import type { ScriptedFault } from '../../emulator/faults';
import { n8nLog, nodeError, nodeOutputs, runError, type ExecuteResult } from '../../harness';
import { emulatorCredential, emulatorSuite, expectNoKeyIn } from './support/suite';
import {
	BULK_NODE,
	bodyOf,
	bulkCalls,
	bulkWorkflow,
	headerOf,
	inInputOrder,
	interleave,
	keysOf,
	pairKeys,
	sorted,
	spreadIds,
	unknownIds,
	type CredentialRef,
	type Emulator,
	type LogEntry,
	type Pair,
} from './support/workflows';

const CREDENTIAL: CredentialRef = { id: 'e2eBulkCred', name: 'cStar (emulator)' };
const TICKETS = 10_000;

describe('Cstar Bulk in real n8n, at volume, against the emulator', () => {
	let emu: Emulator;

	/** A workflow per test, all imported up front: one n8n import for the file. */
	const workflows: Array<Record<string, unknown>> = [];
	const expected = new Map<string, { pairs: Pair[]; ids: string[]; notes: string }>();

	/** Updates `notes` of the given tickets, so the store shows which run changed what. */
	const define = (id: string, ids: string[]) => {
		const notes = `e2e ${id}`;
		const { rows, pairs } = spreadIds(ids);
		workflows.push(
			bulkWorkflow({
				id,
				credential: CREDENTIAL,
				rows,
				parameters: {
					resource: 'ticket',
					operation: 'update',
					dataMode: 'fields',
					updateFields: { notes },
				},
			}),
		);
		expected.set(id, { pairs, ids, notes });
	};

	const run = async (id: string) => {
		const result = await suite.execute(id);
		expect(runError(result.run)).toBeUndefined();
		expect(nodeError(result.run, BULK_NODE)).toBeUndefined();
		expect(result.exitCode).toBe(0);
		return result;
	};

	/** Every (item, id) pair once over both outputs, each output in input order. */
	const expectEveryPairOnce = (result: ExecuteResult, pairs: Pair[]) => {
		const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
		expect(sorted([...pairKeys(succeeded), ...pairKeys(failed)])).toEqual(sorted(keysOf(pairs)));
		expect(inInputOrder(succeeded)).toBe(true);
		expect(inInputOrder(failed)).toBe(true);
		return { succeeded, failed };
	};

	/** Each id changed in the store, and applied exactly once. */
	const expectAppliedOnce = (ids: string[], notes: string) => {
		const notApplied = ids.filter((id) => emu.store.get('tickets', id)?.notes !== notes);
		expect(notApplied).toEqual([]);
		const notOnce = ids.filter((id) => emu.appliedCount('tickets', id) !== 1);
		expect(notOnce).toEqual([]);
		expect(emu.counts().idsAppliedTwice).toBe(0);
		expect(emu.counts().idsApplied).toBe(ids.length);
	};

	let ticketIds: string[];
	let unknown: string[];

	const suite = emulatorSuite({
		emulator: { seed: 11, tickets: TICKETS, customers: 50, articles: 10 },
		prepare: (started) => {
			emu = started;
			ticketIds = emu.store.ids('tickets');
			unknown = unknownIds('tkt', 25, new Set(ticketIds));

			define('bulk250', ticketIds.slice(0, 250));
			define('bulk10k', ticketIds.slice(0, 10_000));
			define('bulkUnknown', interleave(ticketIds.slice(300, 525), unknown));
			define('bulk429', ticketIds.slice(600, 850));
			define('bulk5xx', ticketIds.slice(900, 1150));
			define('bulkDrop', ticketIds.slice(1200, 1450));
			define('bulkDropAfter', ticketIds.slice(1500, 1750));

			return { credentials: [emulatorCredential(CREDENTIAL, emu)], workflows };
		},
	});

	test('the ids are spread over items one by one, as arrays and as comma/space/newline lists', () => {
		const { rows, pairs } = spreadIds(ticketIds.slice(0, 250));
		const shapes = new Set(rows.map((row) => row.shape));
		expect(shapes).toEqual(new Set(['single', 'array', 'list']));
		expect(rows.some((row) => typeof row.id === 'string' && row.id.includes('\n'))).toBe(true);
		expect(pairs).toHaveLength(250);
	});

	test('250 ids: 3 calls of ≤ 100, every id once on Succeeded paired to its item, each applied once', async () => {
		const { pairs, ids, notes } = expected.get('bulk250')!;
		const result = await run('bulk250');

		const { succeeded, failed } = expectEveryPairOnce(result, pairs);
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(250);

		const calls = bulkCalls(emu);
		expect(calls).toHaveLength(Math.ceil(250 / 100));
		expect(emu.counts().bulkCalls).toBe(3);
		expect(calls.map((call) => bodyOf(call).ids.length)).toEqual([100, 100, 50]);
		expect(sorted(calls.flatMap((call) => bodyOf(call).ids))).toEqual(sorted(ids));
		for (const call of calls) {
			expect(call.status).toBe(200);
			expect(bodyOf(call)).toMatchObject({
				action: 'update',
				resource: 'tickets',
				data: { notes },
			});
			expect(headerOf(call, 'idempotency-key')).toEqual(expect.any(String));
		}
		expect(new Set(calls.map((call) => headerOf(call, 'idempotency-key'))).size).toBe(3);

		// Each succeeded item carries the request id of the call that changed it.
		const requestIdOf = new Map<string, string>();
		for (const call of calls)
			for (const id of bodyOf(call).ids) requestIdOf.set(id, call.requestId);
		const wrongRequestId = succeeded.filter(
			(item) => item.json.requestId !== requestIdOf.get(item.json.id),
		);
		expect(wrongRequestId).toEqual([]);
		expect(succeeded[0].json).toEqual({
			id: ids[0],
			resource: 'tickets',
			action: 'update',
			status: 'succeeded',
			requestId: calls[0].requestId,
		});

		expectAppliedOnce(ids, notes);
	});

	test('10,000 ids: 100 calls, every id once on Succeeded paired to its item, each applied once', async () => {
		const { pairs, ids, notes } = expected.get('bulk10k')!;
		const result = await run('bulk10k');

		const { succeeded, failed } = expectEveryPairOnce(result, pairs);
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(10_000);
		expect(succeeded.every((item) => item.json.status === 'succeeded')).toBe(true);

		const calls = bulkCalls(emu);
		expect(calls).toHaveLength(Math.ceil(10_000 / 100));
		expect(emu.counts().bulkCalls).toBe(100);
		expect(calls.every((call) => call.status === 200 && bodyOf(call).ids.length === 100)).toBe(
			true,
		);
		expect(sorted(calls.flatMap((call) => bodyOf(call).ids))).toEqual(sorted(ids));

		expectAppliedOnce(ids, notes);
	});

	test('unknown ids go to Failed with cStar’s resource_missing, paired to their item; the rest succeed', async () => {
		const { pairs, ids, notes } = expected.get('bulkUnknown')!;
		const result = await run('bulkUnknown');

		const { succeeded, failed } = expectEveryPairOnce(result, pairs);
		const unknownSet = new Set(unknown);
		expect(sorted(failed.map((item) => String(item.json.id)))).toEqual(sorted(unknown));
		expect(succeeded).toHaveLength(ids.length - unknown.length);
		expect(succeeded.some((item) => unknownSet.has(String(item.json.id)))).toBe(false);

		const itemOf = new Map(pairs.map((pair) => [pair.id, pair.item]));
		for (const item of failed) {
			expect(item.pairedItem).toEqual({ item: itemOf.get(String(item.json.id)) });
			expect(item.json).toEqual({
				id: item.json.id,
				resource: 'tickets',
				action: 'update',
				status: 'failed',
				error: {
					code: 'resource_missing',
					message: expect.stringContaining('Ticket not found'),
					requestId: expect.any(String),
				},
			});
		}
		// The unknown ids sat in every call; each call still counts once.
		expect(emu.counts().bulkCalls).toBe(Math.ceil(ids.length / 100));
		expectAppliedOnce(
			ids.filter((id) => !unknownSet.has(id)),
			notes,
		);
	});

	test('a 429 with Retry-After: 1 is waited out, then the same call is sent again and applied once', async () => {
		const { pairs, ids, notes } = expected.get('bulk429')!;
		emu.faults.script([{ type: 'rateLimit', retryAfter: 1 }]);
		const result = await run('bulk429');

		const { succeeded, failed } = expectEveryPairOnce(result, pairs);
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(250);

		const calls = bulkCalls(emu);
		expect(calls.map((call) => call.status)).toEqual([429, 200, 200, 200]);
		expect(emu.counts().rateLimited).toBe(1);
		// The retry is the same call: same ids, same Idempotency-Key.
		expect(bodyOf(calls[1])).toEqual(bodyOf(calls[0]));
		expect(headerOf(calls[1], 'idempotency-key')).toBe(headerOf(calls[0], 'idempotency-key'));
		// Waited out: the retry arrived no sooner than the one second cStar asked for (a lower bound,
		// which a slow machine cannot break).
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
		expectAppliedOnce(ids, notes);
	});

	test.each<{
		title: string;
		workflow: string;
		fault: ScriptedFault;
		/** what only this fault shows in the emulator's log */
		expectCalls: (calls: LogEntry[]) => void;
	}>([
		{
			title: 'a 503 is retried with the same Idempotency-Key; nothing lost, nothing applied twice',
			workflow: 'bulk5xx',
			fault: { type: 'status', status: 503 },
			expectCalls: (calls) => {
				expect(calls.map((call) => call.status)).toEqual([503, 200, 200, 200]);
				expect(bodyOf(calls[1])).toEqual(bodyOf(calls[0]));
			},
		},
		{
			title:
				'a connection dropped before cStar answered is retried; nothing lost, nothing applied twice',
			workflow: 'bulkDrop',
			fault: { type: 'drop' },
			expectCalls: (calls) => {
				expect(calls).toHaveLength(4);
				expect(calls[0].dropped).toBe(true);
				expect(emu.counts().dropped).toBe(1);
				expect(bodyOf(calls[1])).toEqual(bodyOf(calls[0]));
			},
		},
		{
			title:
				'a connection dropped after cStar applied the call: the retry is replayed, not applied again',
			workflow: 'bulkDropAfter',
			fault: { type: 'dropAfterApply' },
			expectCalls: (calls) => {
				expect(calls).toHaveLength(4);
				expect(calls[0].dropped).toBe(true);
				expect(calls[1].replayed).toBe(true);
			},
		},
	])('$title', async ({ workflow, fault, expectCalls }) => {
		const { pairs, ids, notes } = expected.get(workflow)!;
		emu.faults.script([fault]);
		const result = await run(workflow);

		const { succeeded, failed } = expectEveryPairOnce(result, pairs);
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(250);

		const calls = bulkCalls(emu);
		expectCalls(calls);
		expect(headerOf(calls[1], 'idempotency-key')).toBe(headerOf(calls[0], 'idempotency-key'));
		expectAppliedOnce(ids, notes);
	});

	test('the secret key appears nowhere in the run data or in n8n’s log', () => {
		expect(suite.runs.length).toBeGreaterThanOrEqual(7);
		expectNoKeyIn(suite.runs, n8nLog(suite.userFolder), [emu.keys.secret]);
	});
});
