import { NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

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
