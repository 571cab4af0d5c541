import { NodeOperationError, sleep, type INodeExecutionData } from 'n8n-workflow';

import { DateTime } from 'luxon';

import { startEmulator } from '../../emulator';
import { bulkCalls, type Emulator } from '../support/common';
import { runCstarBulk, type NodeRun } from '../support/executeContext';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 11, tickets: 900, customers: 60, articles: 40 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

const credentials = () => ({ apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url });
const listCalls = () =>
	emu.log.filter((entry) => entry.method === 'GET' && /\/tickets/.test(entry.path));
const tickets = () => emu.store.list('tickets');
const openIds = () =>
	tickets()
		.filter((t) => t.status === 'open')
		.map((t) => t.id);
const ids = (items: INodeExecutionData[]) => items.map((item) => item.json.id as string);

function searchRun(parameters: NodeRun['parameters'] = {}, extra: Partial<NodeRun> = {}): NodeRun {
	return {
		items: 1,
		parameters: {
			resource: 'ticket',
			operation: 'update',
			source: 'search',
			filters: { status: 'open' },
			dataMode: 'fields',
			updateFields: { status: 'pending' },
			limitMode: 'none',
			options: {},
			...parameters,
		},
		credentials: credentials(),
		...extra,
	};
}

describe('Cstar Bulk search mode against the emulator', () => {
	it('moves every open ticket out of the filter it lists, each once, with its before value and the search report', async () => {
		const open = openIds();
		expect(open.length).toBeGreaterThan(150);

		const { succeeded, failed } = await runCstarBulk(searchRun());

		expect(failed).toEqual([]);
		expect(ids(succeeded).sort()).toEqual([...open].sort());
		expect(openIds()).toEqual([]);
		for (const id of open) expect(emu.appliedCount('tickets', id)).toBe(1);
		expect(succeeded[0].json).toMatchObject({
			status: 'succeeded',
			before: { status: 'open' },
			search: { totalAtStart: open.length, totalAtEnd: open.length, matched: open.length },
		});
		expect(succeeded.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		// Read first, then act: every list call comes before the first bulk call.
		const firstBulk = emu.log.findIndex((entry) => entry.method === 'POST');
		const lastList = emu.log.map((entry) => entry.method).lastIndexOf('GET');
		expect(lastList).toBeLessThan(firstBulk);
	});

	it.each(['top', 'meta'] as const)(
		'reads cStar’s count where the answer puts it: pagination placed %s',
		async (placement) => {
			emu.setPaginationPlacement(placement);
			const open = openIds();
			const { succeeded } = await runCstarBulk(searchRun({ options: { dryRun: true } }));
			emu.setPaginationPlacement('both');
			expect(ids(succeeded).sort()).toEqual([...open].sort());
			expect(succeeded[0].json.search).toMatchObject({ totalAtStart: open.length, listings: 1 });
		},
	);

	it('refuses a search without any filter before any call, and names the way out', async () => {
		const run = runCstarBulk(searchRun({ filters: {} }));
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(runCstarBulk(searchRun({ filters: {} }))).rejects.toThrow(/no filter/);
		expect(emu.log).toEqual([]);
	});

	it('refuses an unknown filter value before any call', async () => {
		await expect(runCstarBulk(searchRun({ filters: { status: 'done' } }))).rejects.toThrow(
			/Status.*"done"/,
		);
		expect(emu.log).toEqual([]);
	});

	it('stops at the limit after the first page, before any write and before listing the rest', async () => {
		const open = openIds();
		const error = await runCstarBulk(searchRun({ limitMode: 'stop', limit: 10 })).catch(
			(caught: Error) => caught,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toContain(`${open.length} tickets match`);
		expect((error as NodeOperationError).message).toContain('limit of 10');
		expect(listCalls()).toHaveLength(1);
		expect(bulkCalls(emu)).toEqual([]);
	});

	it('acts on the first N, listing only their pages', async () => {
		const open = openIds();
		const { succeeded } = await runCstarBulk(searchRun({ limitMode: 'first', limit: 150 }));
		expect(ids(succeeded).sort()).toEqual(open.slice(0, 150).sort());
		// Two pages, then page 1 again to see that nothing moved at the front.
		expect(listCalls()).toHaveLength(3);
		expect(openIds()).toEqual(open.slice(150));
		// It listed only 150, but all of them match: the report says so, from cStar's count.
		expect(succeeded[0].json.search).toMatchObject({ matched: open.length, actOn: 150 });
	});

	it('dry run lists for real and writes nothing, showing before, data and the counts', async () => {
		const open = openIds();
		const { succeeded } = await runCstarBulk(searchRun({ options: { dryRun: true } }));
		expect(bulkCalls(emu)).toEqual([]);
		expect(listCalls().length).toBeGreaterThan(0);
		expect(openIds()).toEqual(open);
		expect(succeeded).toHaveLength(open.length);
		expect(succeeded[0].json).toMatchObject({
			status: 'dryRun',
			data: { status: 'pending' },
			before: { status: 'open' },
			search: { matched: open.length, actOn: open.length },
		});
	});

	it('deletes carry the listed record', async () => {
		const urgent = tickets().filter((t) => t.priority === 'urgent');
		const { succeeded } = await runCstarBulk(
			searchRun({ operation: 'delete', filters: { priority: 'urgent' } }),
		);
		expect(ids(succeeded).sort()).toEqual(urgent.map((t) => t.id).sort());
		const first = succeeded.find((item) => item.json.id === urgent[0].id);
		expect(first?.json.record).toEqual(urgent[0]);
	});

	it('applies node-side filters to the listed records', async () => {
		const all = tickets();
		const cut = all[Math.floor(all.length / 2)].createdAt as string;
		const expected = all.filter((t) => t.status === 'open' && t.createdAt < cut).map((t) => t.id);
		const { succeeded } = await runCstarBulk(
			searchRun({ filters: { status: 'open', createdBefore: cut } }),
		);
		expect(ids(succeeded).sort()).toEqual(expected.sort());
	});

	it('looks the team up once per run when the credential has no Team ID, for listing and bulk alike', async () => {
		const open = openIds();
		const { succeeded } = await runCstarBulk(
			searchRun({}, { credentials: { apiKey: emu.keys.secret, baseUrl: emu.url } }),
		);
		expect(succeeded).toHaveLength(open.length);
		expect(emu.log.filter((entry) => entry.path.endsWith('/auth/whoami'))).toHaveLength(1);
	});

	it('takes a date filter from an expression that gives a Luxon DateTime', async () => {
		const closed = tickets().filter((t) => typeof t.closedAt === 'string');
		const cut = closed[Math.floor(closed.length / 2)].closedAt as string;
		const expected = closed.filter((t) => (t.closedAt as string) < cut).map((t) => t.id);
		const { succeeded } = await runCstarBulk(
			searchRun({
				filters: { status: 'closed', closedBefore: DateTime.fromISO(cut) },
				options: { dryRun: true },
			}),
		);
		expect(ids(succeeded).sort()).toEqual(expected.sort());
	});

	it('a saved workflow without "source" still reads its IDs from the input items', async () => {
		const id = tickets()[0].id;
		const { succeeded } = await runCstarBulk({
			items: [{ json: { id } }],
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ids: () => id,
				dataMode: 'fields',
				updateFields: { status: 'closed' },
				options: {},
			},
			credentials: credentials(),
		});
		expect(ids(succeeded)).toEqual([id]);
		expect(listCalls()).toEqual([]);
	});
});

describe('search mode while records change between list pages', () => {
	it.each([
		['created at the front', { create: 3 }],
		['deleted, already listed', { deleteListed: 2 }],
		['deleted, not yet listed', { deleteUnlisted: 2 }],
		['moved out, already listed', { moveOutListed: 2 }],
		['moved out, not yet listed', { moveOutUnlisted: 2 }],
		['created and moved out together', { create: 2, moveOutListed: 2 }],
	])('%s: every untouched match is acted on once, and nothing that left', async (_, churn) => {
		const before = openIds();
		emu.faults.set({ listChurn: { resource: 'tickets', afterPages: 1, times: 1, ...churn } });

		const { succeeded, failed } = await runCstarBulk(searchRun());

		const done = emu.faults.listChurnDone();
		if (!done) throw new Error('the churn did not run');
		const changedByOthers = new Set([...done.deleted, ...done.movedOut]);
		const untouched = before.filter((id) => !changedByOthers.has(id));
		const acted = ids(succeeded);
		expect(failed).toEqual([]);
		for (const id of untouched) expect(emu.appliedCount('tickets', id)).toBe(1);
		for (const id of changedByOthers) expect(acted).not.toContain(id);
		expect(new Set(acted).size).toBe(acted.length);
		const report = succeeded[0].json.search as { totalAtStart: number; listings: number };
		expect(report.totalAtStart).toBe(before.length);
		// The churn was seen and the listing made again.
		expect(report.listings).toBe(2);
	});

	it('says how many matched at the first page and at the last when the count changed', async () => {
		const before = openIds();
		// The second page of each of the first two listings sees one more deletion.
		emu.faults.set({
			listChurn: { resource: 'tickets', afterPages: 1, times: 2, deleteUnlisted: 1 },
		});
		const { succeeded } = await runCstarBulk(searchRun({ options: { dryRun: true } }));
		const report = succeeded[0].json.search as Record<string, unknown>;
		expect(report.totalAtStart).toBe(before.length);
		expect(report.totalAtEnd).toBe(before.length - 2);
		expect(report.note).toContain(`${before.length} matched`);
	});

	it('fails with "nothing written" when the records keep changing through every listing', async () => {
		emu.faults.set({ listChurn: { resource: 'tickets', afterPages: 1, times: 1000, create: 1 } });
		await expect(runCstarBulk(searchRun())).rejects.toThrow(/Nothing written/);
		expect(bulkCalls(emu)).toEqual([]);
		emu.faults.set({ listChurn: { resource: 'tickets', afterPages: 1, times: 1000, create: 1 } });
		const { succeeded, failed } = await runCstarBulk(
			searchRun({}, { onError: 'continueRegularOutput' }),
		);
		expect(succeeded).toEqual([]);
		expect(
			failed.map((item) => [item.json.id, (item.json.error as { code: string }).code]),
		).toEqual([[null, 'search_unstable']]);
		expect(bulkCalls(emu)).toEqual([]);
	});
});

describe('search mode with the rest of the node', () => {
	it('runs one search per input item, pairs each record to its search, and sends a record found twice once per instruction, the last winning', async () => {
		const all = tickets();
		const fresh = all.filter((t) => t.status === 'new').map((t) => t.id);
		const urgent = all.filter((t) => t.priority === 'urgent').map((t) => t.id);
		const both = fresh.filter((id) => urgent.includes(id));
		expect(both.length).toBeGreaterThan(0);
		const filters = [{ status: 'new' }, { priority: 'urgent' }];
		const data = [{ tags: ['first'] }, { tags: ['second'] }];

		const { succeeded, failed } = await runCstarBulk(
			searchRun(
				{ filters: (i: number) => filters[i], updateFields: (i: number) => data[i] },
				{ items: 2 },
			),
		);

		expect(failed).toEqual([]);
		const byItem = (item: number) =>
			succeeded
				.filter((out) => (out.pairedItem as { item: number }).item === item)
				.map((out) => out.json.id);
		expect(byItem(0).sort()).toEqual([...fresh].sort());
		expect(byItem(1).sort()).toEqual([...urgent].sort());
		for (const id of both) expect(emu.store.get('tickets', id)?.tags).toEqual(['second']);
		for (const id of fresh.filter((id) => !both.includes(id)))
			expect(emu.store.get('tickets', id)?.tags).toEqual(['first']);
	});

	it('the summary output counts the ids and carries each search’s report', async () => {
		const open = openIds();
		const { succeeded } = await runCstarBulk(
			searchRun({ options: { succeededOutput: 'summary' } }),
		);
		expect(succeeded).toHaveLength(1);
		expect(succeeded[0].json).toMatchObject({
			succeeded: open.length,
			searches: [{ itemIndex: 0, matched: open.length, actOn: open.length, listings: 1 }],
		});
	});

	it('a search that matches nothing still says so in the summary', async () => {
		const { succeeded, failed } = await runCstarBulk(
			searchRun({
				filters: { search: 'no ticket has this title' },
				options: { succeededOutput: 'summary' },
			}),
		);
		expect(failed).toEqual([]);
		expect(succeeded.map((item) => item.json)).toEqual([
			expect.objectContaining({
				succeeded: 0,
				searches: [expect.objectContaining({ matched: 0, actOn: 0 })],
			}),
		]);
		expect(bulkCalls(emu)).toEqual([]);
	});

	it('as an AI agent’s tool, a limit left at its default is 100, and the result stays bounded with the search in it', async () => {
		const { succeeded } = await runCstarBulk(
			searchRun({ limitMode: 'first', limit: 1000 }, { asTool: true }),
		);
		expect(succeeded).toHaveLength(1);
		const result = succeeded[0].json;
		expect(result).toMatchObject({ total: 100, succeeded: 100, searches: [{ actOn: 100 }] });
		expect((result.results as unknown[]).length).toBe(100);
		expect(bulkCalls(emu)).toHaveLength(1);
	});

	it('waits out a 429 on a list page with the same retry policy, and still lists everything once', async () => {
		const open = openIds();
		emu.faults.script([
			{ type: 'rateLimit', retryAfter: 1, match: { method: 'GET', pathIncludes: '/tickets' } },
			// Scripted faults take the next matching request: this one page 1's retry, then page 2.
			{ type: 'slow', delayMs: 0, match: { method: 'GET', pathIncludes: '/tickets' } },
			{ type: 'status', status: 503, match: { method: 'GET', pathIncludes: '/tickets' } },
		]);
		const { succeeded, failed } = await runCstarBulk(
			searchRun({ options: { parallelRequests: 4 } }),
		);
		expect(failed).toEqual([]);
		expect(ids(succeeded).sort()).toEqual([...open].sort());
		expect(emu.faults.listChurnDone()).toBeUndefined();
	});

	it('a list call cStar refuses fails that search on Failed, with nothing written', async () => {
		emu.faults.script([
			{
				type: 'status',
				status: 400,
				body: { success: false, error: { code: 'parameter_invalid', message: 'bad filter' } },
				match: { method: 'GET' },
			},
		]);
		const { succeeded, failed } = await runCstarBulk(
			searchRun({}, { onError: 'continueRegularOutput' }),
		);
		expect(succeeded).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({ id: null, error: { code: 'parameter_invalid' } });
		expect(String((failed[0].json.error as { message: string }).message)).toMatch(
			/Could not list the tickets.*nothing was changed/,
		);
		expect(bulkCalls(emu)).toEqual([]);
	});

	it('a cancel while listing writes nothing', async () => {
		const controller = new AbortController();
		// Scripted faults take the next matching request: page 1 answers at once, page 2 is slow.
		emu.faults.script([
			{ type: 'slow', delayMs: 0, match: { method: 'GET' } },
			{ type: 'slow', delayMs: 3000, match: { method: 'GET' } },
		]);
		const run = runCstarBulk(searchRun({}, { signal: controller.signal }));
		// Cancel once page 2 is under way (answered only after 3 s).
		while (emu.log.filter((entry) => entry.method === 'GET').length < 2) await sleep(10);
		controller.abort();
		await expect(run).rejects.toThrow(/cancelled/);
		expect(bulkCalls(emu)).toEqual([]);
	});
});
