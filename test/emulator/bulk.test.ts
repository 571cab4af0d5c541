import { startEmulator } from '../../emulator';
import { bulk, expectError, type Emulator } from './helpers';

describe('emulator: POST /teams/{teamId}/bulk', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 150, customers: 20, articles: 20 });
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		emu.reset();
		emu.setErrorsShape('byId');
	});

	describe('whole-request validation: 400 invalid_request_error, nothing applied', () => {
		const cases: Array<
			[string, (ids: string[], many: string[]) => unknown, string, string | undefined]
		> = [
			['missing action', (ids) => ({ resource: 'tickets', ids }), 'parameter_missing', 'action'],
			['missing resource', (ids) => ({ action: 'delete', ids }), 'parameter_missing', 'resource'],
			[
				'missing ids',
				() => ({ action: 'delete', resource: 'tickets' }),
				'parameter_missing',
				'ids',
			],
			[
				'update without data',
				(ids) => ({ action: 'update', resource: 'tickets', ids }),
				'parameter_missing',
				'data',
			],
			[
				'null data on update',
				(ids) => ({ action: 'update', resource: 'tickets', ids, data: null }),
				'parameter_missing',
				'data',
			],
			[
				'unknown action',
				(ids) => ({ action: 'archive', resource: 'tickets', ids }),
				'parameter_invalid',
				'action',
			],
			[
				'singular resource',
				(ids) => ({ action: 'delete', resource: 'ticket', ids }),
				'parameter_invalid',
				'resource',
			],
			[
				'unknown resource',
				(ids) => ({ action: 'delete', resource: 'messages', ids }),
				'parameter_invalid',
				'resource',
			],
			[
				'unknown top-level field',
				(ids) => ({ action: 'delete', resource: 'tickets', ids, force: true }),
				'parameter_invalid',
				'force',
			],
			[
				'empty ids',
				() => ({ action: 'delete', resource: 'tickets', ids: [] }),
				'parameter_invalid',
				'ids',
			],
			[
				'ids not an array',
				(ids) => ({ action: 'delete', resource: 'tickets', ids: ids[0] }),
				'parameter_invalid',
				'ids',
			],
			[
				'a non-string id',
				(ids) => ({ action: 'delete', resource: 'tickets', ids: [ids[0], 42] }),
				'parameter_invalid',
				'ids',
			],
			[
				'more than 100 ids',
				(_ids, many) => ({ action: 'delete', resource: 'tickets', ids: many }),
				'parameter_invalid',
				'ids',
			],
			[
				'data not an object',
				(ids) => ({ action: 'update', resource: 'tickets', ids, data: 'closed' }),
				'parameter_invalid',
				'data',
			],
			[
				'empty data',
				(ids) => ({ action: 'update', resource: 'tickets', ids, data: {} }),
				'parameter_invalid',
				'data',
			],
			['a body that is not an object', () => [1, 2], 'parameter_invalid', undefined],
		];
		it.each(cases)('%s', async (_name, makeBody, code, param) => {
			const many = emu.store.ids('tickets').slice(0, 101);
			const before = emu.store.list('tickets');
			expectError(
				await bulk(emu, makeBody(many.slice(0, 3), many)),
				400,
				'invalid_request_error',
				code,
				param,
			);
			expect(emu.store.list('tickets')).toEqual(before);
			expect(emu.counts().idsApplied).toBe(0);
		});

		it('exactly 100 ids is allowed', async () => {
			const response = await bulk(emu, {
				action: 'delete',
				resource: 'tickets',
				ids: emu.store.ids('tickets').slice(0, 100),
			});
			expect(response.status).toBe(200);
			expect(response.data.data).toMatchObject({ total: 100, succeeded: 100, failed: 0 });
		});

		it('a body over maxBodyBytes is a 413', async () => {
			const small = await startEmulator({
				tickets: 1,
				customers: 0,
				articles: 0,
				maxBodyBytes: 64,
			});
			try {
				const response = await bulk(small, {
					action: 'delete',
					resource: 'tickets',
					ids: small.store.ids('tickets'),
					pad: 'x'.repeat(100),
				});
				expectError(response, 413, 'invalid_request_error', 'request_too_large');
				expect(small.store.ids('tickets')).toHaveLength(1);
			} finally {
				await small.close();
			}
		});

		it('invalid JSON is a 400', async () => {
			const response = await bulk(emu, '{"action": "delete",', {});
			expectError(response, 400, 'invalid_request_error', 'invalid_json');
		});
	});

	describe('data is checked against the documented fields and enums of each resource', () => {
		const invalid: Array<[string, Record<string, unknown>, string]> = [
			['tickets', { status: 'done' }, 'data.status'],
			['tickets', { priority: 'critical' }, 'data.priority'],
			['tickets', { tags: 'vip' }, 'data.tags'],
			['tickets', { tags: ['vip', 3] }, 'data.tags'],
			['tickets', { title: '' }, 'data.title'],
			['tickets', { metadata: [] }, 'data.metadata'],
			['tickets', { customerId: 'cus_doesnotexist' }, 'data.customerId'],
			['tickets', { id: 'tkt_x' }, 'data.id'],
			['tickets', { createdAt: '2020-01-01T00:00:00Z' }, 'data.createdAt'],
			['tickets', { sentiment: 'happy' }, 'data.sentiment'],
			['customers', { status: 'blocked' }, 'data.status'],
			['customers', { sentiment: 'ecstatic' }, 'data.sentiment'],
			['customers', { email: 'not-an-email' }, 'data.email'],
			['customers', { customFields: 'x' }, 'data.customFields'],
			['articles', { status: 'deleted' }, 'data.status'],
			['articles', { isPublic: 'yes' }, 'data.isPublic'],
			['articles', { priority: 'high' }, 'data.priority'],
		];
		it.each(invalid)(
			'%s %j fails the whole request with param %s',
			async (resource, data, param) => {
				const ids = emu.store.ids(resource as 'tickets').slice(0, 3);
				const response = await bulk(emu, { action: 'update', resource, ids, data });
				expectError(response, 400, 'invalid_request_error', 'parameter_invalid', param);
				expect(emu.counts().idsApplied).toBe(0);
			},
		);

		const valid: Array<[string, Record<string, unknown>]> = [
			[
				'tickets',
				{
					status: 'closed',
					priority: 'urgent',
					assignedTo: null,
					tags: ['a', 'b'],
					notes: 'n',
					title: 'T',
					metadata: { k: 1 },
				},
			],
			['customers', { sentiment: 'positive' }],
			[
				'customers',
				{
					sentiment: 'frustrated',
					status: 'inactive',
					tags: [],
					notes: null,
					name: 'N',
					customFields: { plan: 'pro' },
				},
			],
			[
				'articles',
				{
					status: 'archived',
					isPublic: false,
					category: 'Billing',
					excerpt: 'e',
					metaDescription: 'm',
					content: '# c',
					tags: ['x'],
				},
			],
		];
		it.each(valid)('%s %j is accepted and applied', async (resource, data) => {
			const ids = emu.store.ids(resource as 'tickets').slice(0, 2);
			const response = await bulk(emu, { action: 'update', resource, ids, data });
			expect(response.status).toBe(200);
			expect(response.data.data).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
			for (const id of ids) expect(emu.store.get(resource as 'tickets', id)).toMatchObject(data);
		});
	});

	it('answers with exactly the documented 200 body, plus meta', async () => {
		const ids = emu.store.ids('tickets').slice(0, 2);
		const response = await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids,
			data: { status: 'closed' },
		});
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			success: true,
			data: {
				object: 'bulk_result',
				action: 'update',
				resource: 'tickets',
				total: 2,
				succeeded: 2,
				failed: 0,
				errors: [],
			},
			meta: {
				requestId: expect.stringMatching(/^req_[A-Za-z0-9]+$/),
				timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			},
		});
		expect(response.headers['x-ratelimit-limit']).toBe('1000');
	});

	it('really updates records: fields change, updatedAt is bumped, nothing else moves', async () => {
		const [a, b, untouched] = emu.store.ids('tickets');
		const before = emu.store.get('tickets', a)!;
		const otherBefore = emu.store.get('tickets', untouched);
		await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids: [a, b],
			data: { status: 'closed', tags: ['bulk'] },
		});
		const after = emu.store.get('tickets', a)!;
		expect(after).toMatchObject({
			status: 'closed',
			tags: ['bulk'],
			title: before.title,
			createdAt: before.createdAt,
		});
		expect(after.updatedAt > before.updatedAt).toBe(true);
		expect(after.closedAt).toEqual(expect.any(String));
		expect(emu.store.get('tickets', b)).toMatchObject({ status: 'closed', tags: ['bulk'] });
		expect(emu.store.get('tickets', untouched)).toEqual(otherBefore);
		expect(emu.appliedCount('tickets', a)).toBe(1);
		expect(emu.appliedCount('tickets', untouched)).toBe(0);
	});

	it('merges metadata, and a key set to null removes it', async () => {
		const [id] = emu.store.ids('customers');
		await bulk(emu, {
			action: 'update',
			resource: 'customers',
			ids: [id],
			data: { metadata: { a: 1, b: 2 } },
		});
		await bulk(emu, {
			action: 'update',
			resource: 'customers',
			ids: [id],
			data: { metadata: { b: null, c: 3 } },
		});
		expect(emu.store.get('customers', id)!.metadata).toEqual({ a: 1, c: 3 });
	});

	it('really deletes records', async () => {
		const ids = emu.store.ids('articles').slice(0, 3);
		const response = await bulk(emu, { action: 'delete', resource: 'articles', ids });
		expect(response.data.data).toEqual({
			object: 'bulk_result',
			action: 'delete',
			resource: 'articles',
			total: 3,
			succeeded: 3,
			failed: 0,
			errors: [],
		});
		for (const id of ids) expect(emu.store.get('articles', id)).toBeUndefined();
		expect(emu.store.ids('articles')).toHaveLength(17);
		const again = await bulk(emu, { action: 'delete', resource: 'articles', ids });
		expect(again.data.data).toMatchObject({ total: 3, succeeded: 0, failed: 3 });
		expect(emu.counts()).toMatchObject({ idsApplied: 3, idsAppliedTwice: 0 });
	});

	it('fails unknown ids and ids of another resource one by one, and applies the rest', async () => {
		const [t1, t2] = emu.store.ids('tickets');
		const [c1] = emu.store.ids('customers');
		const ids = [t1, 'tkt_00000000000000000000000000000000', c1, t2, 'garbage'];
		const response = await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids,
			data: { priority: 'high' },
		});
		expect(response.status).toBe(200);
		expect(response.data.data).toMatchObject({ total: 5, succeeded: 2, failed: 3 });
		expect(response.data.data.errors).toEqual([
			{
				id: 'tkt_00000000000000000000000000000000',
				code: 'resource_missing',
				message: 'Ticket not found',
			},
			{ id: c1, code: 'resource_missing', message: 'Ticket not found' },
			{ id: 'garbage', code: 'resource_missing', message: 'Ticket not found' },
		]);
		expect(emu.store.get('tickets', t1)!.priority).toBe('high');
		expect(emu.store.get('customers', c1)).toEqual(expect.objectContaining({ id: c1 }));
		expect(emu.counts().idsApplied).toBe(2);
	});

	it('processes a duplicate id once and counts it once in total', async () => {
		const [a, b] = emu.store.ids('tickets');
		const response = await bulk(emu, { action: 'delete', resource: 'tickets', ids: [a, b, a, a] });
		expect(response.data.data).toMatchObject({ total: 2, succeeded: 2, failed: 0, errors: [] });
		expect(emu.appliedCount('tickets', a)).toBe(1);
	});

	it('accepts a raw UUID for a prefixed id, as the single-record endpoints do', async () => {
		const [id] = emu.store.ids('tickets');
		const hex = id.slice(4);
		const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
		const response = await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids: [uuid],
			data: { status: 'open' },
		});
		expect(response.data.data).toMatchObject({ succeeded: 1 });
		expect(emu.store.get('tickets', id)!.status).toBe('open');
	});

	it('ignores data on delete', async () => {
		const [id] = emu.store.ids('tickets');
		const response = await bulk(emu, {
			action: 'delete',
			resource: 'tickets',
			ids: [id],
			data: {},
		});
		expect(response.data.data).toMatchObject({ succeeded: 1 });
	});

	it('fails a customer email that another customer has, per id', async () => {
		const [a, b] = emu.store.ids('customers');
		const taken = emu.store.get('customers', b)!.email;
		const response = await bulk(emu, {
			action: 'update',
			resource: 'customers',
			ids: [a, b],
			data: { email: taken },
		});
		expect(response.data.data).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
		expect(response.data.data.errors).toEqual([
			{ id: a, code: 'resource_already_exists', message: expect.any(String) },
		]);
	});

	it('moves a ticket to another customer, with its name', async () => {
		const [ticket] = emu.store.ids('tickets');
		const customer = emu.store.list('customers')[5];
		await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids: [ticket],
			data: { customerId: customer.id },
		});
		expect(emu.store.get('tickets', ticket)).toMatchObject({
			customerId: customer.id,
			customerName: customer.name,
		});
		expect(emu.store.get('customers', customer.id)!.ticketCount).toBe(customer.ticketCount + 1);
	});

	describe('errors shapes', () => {
		const failing = () => {
			const [good] = emu.store.ids('tickets');
			return { action: 'delete', resource: 'tickets', ids: [good, 'tkt_missing1', 'tkt_missing2'] };
		};
		it.each([
			[
				'byId',
				[
					{ id: 'tkt_missing1', code: 'resource_missing', message: 'Ticket not found' },
					{ id: 'tkt_missing2', code: 'resource_missing', message: 'Ticket not found' },
				],
			],
			[
				'byIndex',
				[
					{ index: 1, code: 'resource_missing', message: 'Ticket not found' },
					{ index: 2, code: 'resource_missing', message: 'Ticket not found' },
				],
			],
			['strings', ['tkt_missing1: Ticket not found', 'tkt_missing2: Ticket not found']],
			[
				'prose',
				[
					'tkt_missing1: Ticket not found (see tkt_missing2)',
					'Cannot merge into GOOD: tkt_missing2 ticket not found',
				],
			],
			['countsOnly', []],
			[
				'fromOne',
				[
					{ id: 'tkt_missing1', index: 2, code: 'resource_missing', message: 'Ticket not found' },
					{ index: 3, code: 'resource_missing', message: 'Ticket not found' },
				],
			],
		] as const)('%s', async (shape, errors) => {
			emu.setErrorsShape(shape);
			const call = failing();
			const response = await bulk(emu, call);
			expect(response.data.data).toMatchObject({ total: 3, succeeded: 1, failed: 2 });
			const named = JSON.parse(JSON.stringify(errors).replace(/GOOD/g, call.ids[0]));
			expect(response.data.data.errors).toEqual(named);
		});

		it('can be chosen at start and refuses unknown shapes', async () => {
			const other = await startEmulator({
				tickets: 1,
				customers: 0,
				articles: 0,
				errorsShape: 'strings',
			});
			try {
				const response = await bulk(other, {
					action: 'delete',
					resource: 'tickets',
					ids: ['tkt_nope'],
				});
				expect(response.data.data.errors).toEqual(['tkt_nope: Ticket not found']);
			} finally {
				await other.close();
			}
			expect(() => emu.setErrorsShape('byName' as 'byId')).toThrow(/errorsShape/);
		});
	});

	it('counts bulk calls, ids applied and ids applied twice', async () => {
		const ids = emu.store.ids('tickets').slice(0, 5);
		await bulk(emu, { action: 'update', resource: 'tickets', ids, data: { status: 'open' } });
		await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids: ids.slice(0, 2),
			data: { status: 'pending' },
		});
		await bulk(emu, {
			action: 'update',
			resource: 'tickets',
			ids: ids.slice(0, 1),
			data: { status: 'closed' },
		});
		expect(emu.counts()).toMatchObject({ bulkCalls: 3, idsApplied: 8, idsAppliedTwice: 2 });
		expect(emu.appliedCount('tickets', ids[0])).toBe(3);
	});
});
