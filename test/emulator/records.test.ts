import { startEmulator } from '../../emulator';
import { client, expectError, teamPath, type Emulator } from './helpers';

describe('emulator: list, get, PATCH and DELETE', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 45, customers: 30, articles: 12 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	describe('list', () => {
		it('pages with the documented defaults, pagination top-level and in meta', async () => {
			const response = await client(emu).get(teamPath(emu, '/tickets'));
			expect(response.status).toBe(200);
			const pagination = { page: 1, pageSize: 20, total: 45, totalPages: 3, hasMore: true };
			expect(response.data.pagination).toEqual(pagination);
			expect(response.data.meta).toEqual({
				requestId: expect.stringMatching(/^req_/),
				timestamp: expect.any(String),
				pagination,
			});
			expect(response.data.data).toHaveLength(20);
			expect(response.data.data.map((t: { id: string }) => t.id)).toEqual(
				emu.store.ids('tickets').slice(0, 20),
			);
		});

		it('walks every page until hasMore is false', async () => {
			const seen: string[] = [];
			for (let page = 1; ; page++) {
				const response = await client(emu).get(teamPath(emu, '/customers'), {
					params: { page, pageSize: 7 },
				});
				seen.push(...response.data.data.map((c: { id: string }) => c.id));
				if (!response.data.pagination.hasMore) break;
			}
			expect(seen).toEqual(emu.store.ids('customers'));
		});

		it('returns an empty page past the end', async () => {
			const response = await client(emu).get(teamPath(emu, '/articles'), {
				params: { page: 5, pageSize: 10 },
			});
			expect(response.data.data).toEqual([]);
			expect(response.data.pagination).toMatchObject({ total: 12, totalPages: 2, hasMore: false });
		});

		it.each([
			['pageSize', '101'],
			['pageSize', '0'],
			['pageSize', 'ten'],
			['page', '0'],
			['page', '-1'],
			['status', 'done'],
		])('rejects %s=%s with 400 parameter_invalid', async (param, value) => {
			const response = await client(emu).get(teamPath(emu, '/tickets'), {
				params: { [param]: value },
			});
			expectError(response, 400, 'invalid_request_error', 'parameter_invalid', param);
		});

		it('filters by status (and the other documented filters)', async () => {
			const open = await client(emu).get(teamPath(emu, '/tickets'), {
				params: { status: 'open', pageSize: 100 },
			});
			const expected = emu.store.list('tickets').filter((t) => t.status === 'open');
			expect(expected.length).toBeGreaterThan(0);
			expect(open.data.data.map((t: { id: string }) => t.id)).toEqual(expected.map((t) => t.id));
			expect(open.data.pagination.total).toBe(expected.length);

			const inactive = await client(emu).get(teamPath(emu, '/customers'), {
				params: { status: 'inactive', pageSize: 100 },
			});
			expect(inactive.data.data.every((c: { status: string }) => c.status === 'inactive')).toBe(
				true,
			);
			const published = await client(emu).get(teamPath(emu, '/articles'), {
				params: { status: 'published', isPublic: 'true' },
			});
			expect(
				published.data.data.every(
					(a: { status: string; isPublic: boolean }) => a.status === 'published' && a.isPublic,
				),
			).toBe(true);
			const urgent = await client(emu).get(teamPath(emu, '/tickets'), {
				params: { priority: 'urgent', pageSize: 100 },
			});
			expect(urgent.data.pagination.total).toBe(
				emu.store.list('tickets').filter((t) => t.priority === 'urgent').length,
			);
		});

		it('is a read: publishable keys may list', async () => {
			const response = await client(emu, emu.keys.publishable).get(teamPath(emu, '/tickets'), {
				params: { pageSize: 1 },
			});
			expect(response.status).toBe(200);
			expect(response.data.data).toHaveLength(1);
		});
	});

	describe('get', () => {
		it('returns the record in the envelope, by prefixed id or raw UUID', async () => {
			const record = emu.store.list('tickets')[3];
			const response = await client(emu).get(teamPath(emu, `/tickets/${record.id}`));
			expect(response.data).toEqual({
				success: true,
				data: record,
				meta: { requestId: expect.any(String), timestamp: expect.any(String) },
			});
			expect(record).toMatchObject({
				object: 'ticket',
				id: expect.stringMatching(/^tkt_[0-9a-f]{32}$/),
			});
			const hex = record.id.slice(4);
			const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
			expect((await client(emu).get(teamPath(emu, `/tickets/${uuid}`))).data.data.id).toBe(
				record.id,
			);
		});

		it('404 resource_missing for an unknown id, with the resource named', async () => {
			const ticket = await client(emu).get(teamPath(emu, '/tickets/tkt_nope'));
			expectError(ticket, 404, 'not_found_error', 'resource_missing');
			expect(ticket.data.error.message).toBe('Ticket not found');
			const customer = await client(emu).get(
				teamPath(emu, `/customers/${emu.store.ids('tickets')[0]}`),
			);
			expect(customer.data.error.message).toBe('Customer not found');
		});
	});

	describe('PATCH', () => {
		it('validates like bulk and applies', async () => {
			const [id] = emu.store.ids('tickets');
			const before = emu.store.get('tickets', id)!;
			const response = await client(emu).patch(teamPath(emu, `/tickets/${id}`), {
				status: 'resolved',
				assignedTo: 'mem_x',
			});
			expect(response.status).toBe(200);
			expect(response.data.data).toMatchObject({
				id,
				status: 'resolved',
				assignedTo: 'mem_x',
				resolvedAt: expect.any(String),
			});
			expect(response.data.data.updatedAt > before.updatedAt).toBe(true);
			expect(emu.store.get('tickets', id)).toEqual(response.data.data);
			expect(emu.appliedCount('tickets', id)).toBe(1);
		});

		it('400 with the field as param for a bad value or unknown field, and leaves the record', async () => {
			const [id] = emu.store.ids('articles');
			const before = emu.store.get('articles', id);
			expectError(
				await client(emu).patch(teamPath(emu, `/articles/${id}`), { status: 'gone' }),
				400,
				'invalid_request_error',
				'parameter_invalid',
				'status',
			);
			expectError(
				await client(emu).patch(teamPath(emu, `/articles/${id}`), { views: 3 }),
				400,
				'invalid_request_error',
				'parameter_invalid',
				'views',
			);
			expectError(
				await client(emu).patch(teamPath(emu, `/articles/${id}`), {}),
				400,
				'invalid_request_error',
				'parameter_invalid',
			);
			expect(emu.store.get('articles', id)).toEqual(before);
		});

		it('publishing an article sets publishedAt', async () => {
			const draft = emu.store.list('articles').find((a) => a.status === 'draft');
			expect(draft).toBeDefined();
			const response = await client(emu).patch(teamPath(emu, `/articles/${draft!.id}`), {
				status: 'published',
			});
			expect(response.data.data.publishedAt).toEqual(expect.any(String));
		});

		it('404 for an unknown id and 409 for a taken customer email', async () => {
			expectError(
				await client(emu).patch(teamPath(emu, '/tickets/tkt_nope'), { status: 'open' }),
				404,
				'not_found_error',
				'resource_missing',
			);
			const [a, b] = emu.store.list('customers');
			const conflict = await client(emu).patch(teamPath(emu, `/customers/${a.id}`), {
				email: b.email,
			});
			expectError(conflict, 409, 'invalid_request_error', 'resource_already_exists');
		});
	});

	describe('DELETE', () => {
		it('removes the record and answers { deleted: true, id }', async () => {
			const [id] = emu.store.ids('customers');
			const response = await client(emu).delete(teamPath(emu, `/customers/${id}`));
			expect(response.status).toBe(200);
			expect(response.data).toEqual({
				success: true,
				data: { deleted: true, id },
				meta: expect.any(Object),
			});
			expect(emu.store.get('customers', id)).toBeUndefined();
			expectError(
				await client(emu).delete(teamPath(emu, `/customers/${id}`)),
				404,
				'not_found_error',
				'resource_missing',
			);
			expect(emu.counts()).toMatchObject({ idsApplied: 1, idsAppliedTwice: 0 });
		});
	});

	describe('seeded data', () => {
		it('is deterministic for a seed, differs across seeds, and has the documented fields', async () => {
			const same = await startEmulator({ seed: 1, tickets: 45, customers: 30, articles: 12 });
			const other = await startEmulator({ seed: 2, tickets: 45, customers: 30, articles: 12 });
			try {
				expect(same.teamId).toBe(emu.teamId);
				expect(same.keys).toEqual(emu.keys);
				expect(same.store.list('tickets')).toEqual(emu.store.list('tickets'));
				expect(other.teamId).not.toBe(emu.teamId);
				expect(other.store.ids('tickets')).not.toEqual(emu.store.ids('tickets'));
			} finally {
				await Promise.all([same.close(), other.close()]);
			}
			const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
			for (const ticket of emu.store.list('tickets')) {
				expect(ticket).toMatchObject({
					id: expect.stringMatching(/^tkt_[0-9a-f]{32}$/),
					object: 'ticket',
					title: expect.any(String),
					status: expect.stringMatching(/^(new|open|pending|resolved|closed)$/),
					priority: expect.stringMatching(/^(low|normal|high|urgent)$/),
					customerId: expect.stringMatching(/^cus_/),
					tags: expect.any(Array),
					metadata: {},
					createdAt: expect.stringMatching(iso),
					updatedAt: expect.stringMatching(iso),
				});
				expect(emu.store.get('customers', ticket.customerId)!.name).toBe(ticket.customerName);
			}
			for (const customer of emu.store.list('customers')) {
				expect(customer).toMatchObject({
					id: expect.stringMatching(/^cus_[0-9a-f]{32}$/),
					object: 'customer',
					email: expect.stringMatching(/@/),
				});
			}
			const emails = emu.store.list('customers').map((c) => c.email);
			expect(new Set(emails).size).toBe(emails.length);
			for (const article of emu.store.list('articles')) {
				expect(article).toMatchObject({
					id: expect.stringMatching(/^art_[0-9a-f]{32}$/),
					object: 'article',
					isPublic: expect.any(Boolean),
				});
			}
		});

		it('store accessors return copies', () => {
			const [id] = emu.store.ids('tickets');
			emu.store.get('tickets', id)!.status = 'tampered';
			expect(emu.store.get('tickets', id)!.status).not.toBe('tampered');
		});
	});
});
