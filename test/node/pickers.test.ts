import { startEmulator } from '../../emulator';
import { bulkCalls, type Emulator } from '../support/common';
import { runCstarBulk, type NodeRun } from '../support/executeContext';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 7, tickets: 30, customers: 10, articles: 1 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

const JANE = 'mem_g7H8i9J0k1L2';

function ticketUpdate(ticketIds: string[], updateFields: Record<string, unknown>): NodeRun {
	return {
		items: ticketIds.map((id) => ({ json: { id } })),
		parameters: {
			resource: 'ticket',
			operation: 'update',
			ids: (i: number) => ticketIds[i],
			dataMode: 'fields',
			updateFields,
			options: {},
		},
		credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
	};
}

const sentData = () => bulkCalls(emu).map((call) => (call.body as { data: unknown }).data);

describe('member and customer pickers in Update Fields', () => {
	it('a workflow saved before the pickers (plain strings) runs unchanged and sends the same ids', async () => {
		const tickets = emu.store.ids('tickets').slice(0, 3);
		const customer = emu.store.ids('customers')[4];
		const old = await runCstarBulk(
			ticketUpdate(tickets, { assignedTo: JANE, customerId: customer }),
		);
		expect(old.failed).toEqual([]);
		expect(old.succeeded).toHaveLength(3);
		const oldData = sentData();
		expect(oldData).toEqual([{ assignedTo: JANE, customerId: customer }]);

		emu.reset();
		const picked = await runCstarBulk(
			ticketUpdate(tickets, {
				assignedTo: { __rl: true, mode: 'list', value: JANE, cachedResultName: 'Jane Smith' },
				customerId: { __rl: true, mode: 'id', value: customer },
			}),
		);
		expect(picked.failed).toEqual([]);
		expect(sentData()).toEqual(oldData);
		for (const id of tickets) {
			expect(emu.store.get('tickets', id)).toMatchObject({
				assignedTo: JANE,
				customerId: customer,
			});
		}
	});

	it('"Nobody" (none), or null from an expression, unassigns: assignedTo null', async () => {
		const [first, second] = emu.store
			.list('tickets')
			.filter((t) => t.assignedTo !== null)
			.map((t) => t.id);
		await runCstarBulk(
			ticketUpdate([first], { assignedTo: { __rl: true, mode: 'list', value: 'none' } }),
		);
		await runCstarBulk(
			ticketUpdate([second], { assignedTo: { __rl: true, mode: 'id', value: null } }),
		);
		expect(sentData()).toEqual([{ assignedTo: null }, { assignedTo: null }]);
		expect(emu.store.get('tickets', first)!.assignedTo).toBeNull();
		expect(emu.store.get('tickets', second)!.assignedTo).toBeNull();
	});

	it('a customer given as a bare UUID is sent as the cus_ id it stands for', async () => {
		const customer = emu.store.ids('customers')[2];
		const hex = customer.slice(4);
		const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
		const [ticket] = emu.store.ids('tickets');
		const { succeeded } = await runCstarBulk(
			ticketUpdate([ticket], { customerId: { __rl: true, mode: 'id', value: uuid.toUpperCase() } }),
		);
		expect(succeeded).toHaveLength(1);
		expect(sentData()).toEqual([{ customerId: customer }]);
		expect(emu.store.get('tickets', ticket)!.customerId).toBe(customer);
	});

	it.each([
		['a picker left empty', { __rl: true, mode: 'list', value: '' }],
		['an old empty string', ''],
	])('%s sends nothing and says how to fill it', async (_what, assignedTo) => {
		const [ticket] = emu.store.ids('tickets');
		const before = emu.store.get('tickets', ticket);
		const { succeeded, failed } = await runCstarBulk({
			...ticketUpdate([ticket], { assignedTo, status: 'closed' }),
			onError: 'continueRegularOutput',
		});
		expect(succeeded).toEqual([]);
		expect(failed[0].json).toMatchObject({
			id: ticket,
			status: 'failed',
			error: { code: 'missing_value' },
		});
		expect(String((failed[0].json.error as { message: string }).message)).toMatch(
			/"Assigned To" is empty.*Pick a team member from the list.*none to unassign/,
		);
		expect(bulkCalls(emu)).toEqual([]);
		expect(emu.store.get('tickets', ticket)).toEqual(before);
	});
});

describe('member and customer pickers as search filters', () => {
	function searchRun(filters: Record<string, unknown>): NodeRun {
		return {
			items: 1,
			parameters: {
				resource: 'ticket',
				operation: 'update',
				source: 'search',
				filters,
				dataMode: 'fields',
				updateFields: { priority: 'urgent' },
				limitMode: 'none',
				options: {},
			},
			credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
		};
	}
	const listQueries = () =>
		emu.log.filter((entry) => entry.method === 'GET' && entry.path.endsWith('/tickets'));

	it.each([
		['a picked member (locator)', { __rl: true, mode: 'list', value: JANE }],
		['a plain string saved before the pickers', JANE],
	])('%s filters by the member id', async (_what, assignedTo) => {
		const janes = emu.store
			.list('tickets')
			.filter((t) => t.assignedTo === JANE)
			.map((t) => t.id);
		expect(janes.length).toBeGreaterThan(0);
		const { succeeded, failed } = await runCstarBulk(searchRun({ assignedTo }));
		expect(failed).toEqual([]);
		expect(succeeded.map((item) => item.json.id).sort()).toEqual([...janes].sort());
		expect(listQueries()[0].query).toMatchObject({ assignedTo: JANE });
	});

	it('a picked customer filters by its id; an empty picker is no filter at all', async () => {
		const [ticket] = emu.store.list('tickets');
		const customer = ticket.customerId as string;
		const theirs = emu.store
			.list('tickets')
			.filter((t) => t.customerId === customer)
			.map((t) => t.id);
		const { succeeded } = await runCstarBulk(
			searchRun({
				customerId: { __rl: true, mode: 'id', value: customer },
				assignedTo: { __rl: true, mode: 'list', value: '' },
			}),
		);
		expect(succeeded.map((item) => item.json.id).sort()).toEqual([...theirs].sort());
		expect(listQueries()[0].query).toMatchObject({ customerId: customer });
		expect(listQueries()[0].query).not.toHaveProperty('assignedTo');
	});
});
