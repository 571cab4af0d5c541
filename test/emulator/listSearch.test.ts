import axios from 'axios';

import { startEmulator } from '../../emulator';
import { parseCliArgs } from '../../emulator/cli';
import { spawnCli } from '../support/emulatorCli';
import { client, teamPath, type Emulator } from './helpers';

type Row = Record<string, unknown> & { id: string };

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 5, tickets: 260, customers: 120, articles: 80 });
});
afterAll(async () => await emu.close());
beforeEach(() => {
	emu.reset();
	emu.setPaginationPlacement('both');
});

/** Every page of a list, following the pagination wherever this placement puts it. */
async function listAll(resource: string, params: Record<string, string>): Promise<Row[]> {
	const rows: Row[] = [];
	for (let page = 1; ; page++) {
		const response = await client(emu).get(teamPath(emu, `/${resource}`), {
			params: { ...params, page, pageSize: 100 },
		});
		expect(response.status).toBe(200);
		rows.push(...(response.data.data as Row[]));
		const pagination = response.data.pagination ?? response.data.meta.pagination;
		if (!pagination.hasMore) return rows;
	}
}

const idsOf = (rows: Row[]) => rows.map((row) => row.id);
const stored = (resource: 'tickets' | 'customers' | 'articles') =>
	emu.store.list(resource) as unknown as Row[];

describe('emulator: every documented list filter', () => {
	const firstTicket = () => stored('tickets').find((t) => t.assignedTo !== null) as Row;
	const firstArticle = () => stored('articles')[0];
	const cases: Array<
		[
			string,
			'tickets' | 'customers' | 'articles',
			() => Record<string, string>,
			(row: Row) => boolean,
		]
	> = [
		['tickets by status', 'tickets', () => ({ status: 'open' }), (t) => t.status === 'open'],
		['tickets by priority', 'tickets', () => ({ priority: 'high' }), (t) => t.priority === 'high'],
		[
			'tickets by assignedTo',
			'tickets',
			() => ({ assignedTo: String(firstTicket().assignedTo) }),
			(t) => t.assignedTo === firstTicket().assignedTo,
		],
		[
			'tickets by customerId',
			'tickets',
			() => ({ customerId: String(firstTicket().customerId) }),
			(t) => t.customerId === firstTicket().customerId,
		],
		[
			'tickets by search over the customer name',
			'tickets',
			() => ({ search: String(firstTicket().customerName).split(' ')[0].toUpperCase() }),
			(t) =>
				[t.title, t.customerName].some((text) =>
					String(text)
						.toLowerCase()
						.includes(String(firstTicket().customerName).split(' ')[0].toLowerCase()),
				),
		],
		[
			'customers by status',
			'customers',
			() => ({ status: 'inactive' }),
			(c) => c.status === 'inactive',
		],
		[
			'customers by sentiment',
			'customers',
			() => ({ sentiment: 'neutral' }),
			(c) => c.sentiment === 'neutral',
		],
		[
			'customers by search over the email',
			'customers',
			() => ({ search: String(stored('customers')[0].email).split('@')[0] }),
			(c) =>
				[c.name, c.email].some((text) =>
					String(text)
						.toLowerCase()
						.includes(String(stored('customers')[0].email).split('@')[0].toLowerCase()),
				),
		],
		[
			'customers by tag',
			'customers',
			() => ({
				tag: String(
					(stored('customers').find((c) => (c.tags as string[]).length > 0)?.tags as string[])[0],
				),
			}),
			(c) =>
				(c.tags as string[]).includes(
					(stored('customers').find((x) => (x.tags as string[]).length > 0)?.tags as string[])[0],
				),
		],
		[
			'articles by status archived',
			'articles',
			() => ({ status: 'archived' }),
			(a) => a.status === 'archived',
		],
		[
			'articles by category UUID',
			'articles',
			() => ({ category: String(firstArticle().categoryId) }),
			(a) => a.categoryId === firstArticle().categoryId,
		],
		[
			'articles by isPublic',
			'articles',
			() => ({ isPublic: 'false' }),
			(a) => a.isPublic === false,
		],
		[
			'articles by search',
			'articles',
			() => ({ search: String(firstArticle().title).split(' ')[0] }),
			(a) =>
				String(a.title)
					.toLowerCase()
					.includes(String(firstArticle().title).split(' ')[0].toLowerCase()),
		],
		[
			'articles by tag',
			'articles',
			() => ({
				tag: String(
					(stored('articles').find((a) => (a.tags as string[]).length > 0)?.tags as string[])[0],
				),
			}),
			(a) =>
				(a.tags as string[]).includes(
					(stored('articles').find((x) => (x.tags as string[]).length > 0)?.tags as string[])[0],
				),
		],
	];

	describe.each(['both', 'top', 'meta'] as const)('pagination placed %s', (placement) => {
		it.each(cases)('%s', async (_, resource, params, matches) => {
			emu.setPaginationPlacement(placement);
			const expected = stored(resource).filter(matches);
			expect(expected.length).toBeGreaterThan(0);
			expect(idsOf(await listAll(resource, params()))).toEqual(idsOf(expected));
		});
	});

	it('places pagination only where it is told to', async () => {
		const get = async () => (await client(emu).get(teamPath(emu, '/tickets'))).data;
		emu.setPaginationPlacement('top');
		expect(await get()).toMatchObject({ pagination: { total: 260 } });
		expect((await get()).meta.pagination).toBeUndefined();
		emu.setPaginationPlacement('meta');
		expect((await get()).pagination).toBeUndefined();
		expect((await get()).meta.pagination).toMatchObject({ total: 260, totalPages: 13 });
	});

	it('a category name matches nothing: the filter takes the UUID only', async () => {
		const name = String(stored('articles')[0].category);
		expect(await listAll('articles', { category: name })).toEqual([]);
	});
});

describe('emulator: list churn between pages', () => {
	const openTickets = () => stored('tickets').filter((t) => t.status === 'open');

	it('creates, deletes and moves out records already listed and not yet listed', async () => {
		const open = openTickets();
		emu.faults.set({
			listChurn: {
				resource: 'tickets',
				create: 1,
				deleteListed: 1,
				deleteUnlisted: 1,
				moveOutListed: 1,
				moveOutUnlisted: 1,
			},
		});
		const page1 = await client(emu).get(teamPath(emu, '/tickets'), {
			params: { status: 'open', pageSize: 10 },
		});
		const listed = idsOf(page1.data.data);
		expect(emu.faults.listChurnDone()).toEqual({ created: [], deleted: [], movedOut: [] });
		await client(emu).get(teamPath(emu, '/tickets'), {
			params: { status: 'open', pageSize: 10, page: 2 },
		});

		const done = emu.faults.listChurnDone();
		if (!done) throw new Error('no churn');
		expect(done.created).toHaveLength(1);
		expect(listed).toContain(done.deleted[0]);
		expect(listed).not.toContain(done.deleted[1]);
		expect(listed).toContain(done.movedOut[0]);
		expect(listed).not.toContain(done.movedOut[1]);
		const now = openTickets();
		expect(now[0].id).toBe(done.created[0]);
		expect(now).toHaveLength(open.length + 1 - 4);
		for (const id of done.movedOut) expect(emu.store.get('tickets', id)?.status).not.toBe('open');
		for (const id of done.deleted) expect(emu.store.get('tickets', id)).toBeUndefined();
	});

	it('moves a record out of every filter the list used', async () => {
		emu.faults.set({ listChurn: { resource: 'articles', moveOutUnlisted: 1 } });
		const params = { status: 'published', isPublic: 'true', pageSize: 5 };
		await client(emu).get(teamPath(emu, '/articles'), { params });
		await client(emu).get(teamPath(emu, '/articles'), { params: { ...params, page: 2 } });
		const [moved] = emu.faults.listChurnDone()?.movedOut ?? [];
		const record = emu.store.get('articles', moved);
		expect(record?.status === 'published' && record?.isPublic === true).toBe(false);
	});

	it('runs `times` steps, one every `afterPages` list requests, then stops', async () => {
		emu.faults.set({ listChurn: { resource: 'tickets', afterPages: 2, times: 2, create: 1 } });
		for (let i = 0; i < 8; i++) await client(emu).get(teamPath(emu, '/tickets'));
		expect(emu.faults.listChurnDone()?.created).toHaveLength(2);
		emu.reset();
		expect(emu.faults.listChurnDone()).toBeUndefined();
	});

	it('is set through the control API, and refuses unknown settings', async () => {
		const control = axios.create({ baseURL: `${emu.url}/__emulator`, validateStatus: () => true });
		const set = await control.post('/faults', { set: { listChurn: { deleteUnlisted: 1 } } });
		expect(set.status).toBe(200);
		await client(emu).get(teamPath(emu, '/tickets'));
		await client(emu).get(teamPath(emu, '/tickets'), { params: { page: 2 } });
		expect((await control.get('/state')).data.emulator.listChurn.deleted).toHaveLength(1);
		const bad = await control.post('/faults', { set: { listChurn: { explode: 1 } } });
		expect(bad.status).toBe(400);
		expect(bad.data.error).toContain('explode');
		const placement = await control.post('/pagination', { placement: 'meta' });
		expect(placement.data).toEqual({ ok: true, placement: 'meta' });
	});

	it('is set by CLI flags, next to the existing ones', async () => {
		expect(
			parseCliArgs([
				'--list-churn',
				'create=2,moveOutListed=1,resource=tickets',
				'--pagination',
				'top',
			]),
		).toMatchObject({
			listChurn: { create: 2, moveOutListed: 1, resource: 'tickets' },
			paginationPlacement: 'top',
		});
		expect(() => parseCliArgs(['--list-churn', 'create=x'])).toThrow(/--list-churn/);
		expect(() => parseCliArgs(['--pagination', 'side'])).toThrow(/--pagination/);

		const cli = await spawnCli([
			'--port',
			'0',
			'--tickets',
			'30',
			'--list-churn',
			'deleteUnlisted=1',
			'--pagination',
			'meta',
		]);
		try {
			const teamId = /Team ID:\s+([0-9a-f-]{36})/.exec(cli.output)?.[1];
			const key = /Secret test key:\s+(sk_test_\S+)/.exec(cli.output)?.[1];
			const api = axios.create({ baseURL: cli.url, headers: { Authorization: `Bearer ${key}` } });
			const first = await api.get(`/api/v1/teams/${teamId}/tickets`, { params: { pageSize: 10 } });
			const second = await api.get(`/api/v1/teams/${teamId}/tickets`, {
				params: { pageSize: 10, page: 2 },
			});
			expect(first.data.pagination).toBeUndefined();
			expect(first.data.meta.pagination.total).toBe(30);
			expect(second.data.meta.pagination.total).toBe(29);
		} finally {
			await cli.stop();
		}
	});
});
