import {
	NOBODY,
	customerIdFrom,
	customerLocator,
	memberIdFrom,
	memberLocator,
	pickedValue,
} from '../../nodes/CstarBulk/description/pickers';
import {
	searchToolDescriptionFor,
	toolDescriptionFor,
} from '../../nodes/CstarBulk/description/toolDescription';

type Mode = { name: string; validation?: Array<{ properties: { regex: string } }> };
const idRegex = (modes: Mode[]) =>
	new RegExp(modes.find((m) => m.name === 'id')!.validation![0].properties.regex);

describe('picker builders and their reader', () => {
	it('reads the id from a locator in any mode, and an old plain string as it is', () => {
		expect(pickedValue({ __rl: true, mode: 'list', value: 'mem_a', cachedResultName: 'A' })).toBe(
			'mem_a',
		);
		expect(pickedValue({ mode: 'id', value: 'cus_b' })).toBe('cus_b');
		expect(pickedValue('mem_old')).toBe('mem_old');
		expect(pickedValue(null)).toBeNull();
	});

	it('members: none or null unassigns, an id is trimmed, empty is refused with the fix', () => {
		expect(memberIdFrom({ __rl: true, mode: 'list', value: NOBODY }, 'Assigned To')).toEqual({
			ok: true,
			id: null,
		});
		expect(memberIdFrom({ mode: 'id', value: null }, 'Assigned To')).toEqual({
			ok: true,
			id: null,
		});
		expect(memberIdFrom(' mem_x ', 'Assigned To')).toEqual({ ok: true, id: 'mem_x' });
		const empty = memberIdFrom({ mode: 'list', value: '  ' }, 'Assigned To');
		expect(empty).toEqual({ ok: false, message: expect.stringMatching(/"Assigned To" is empty/) });
	});

	it('customers: a UUID becomes its cus_ id, a cus_ id is kept, empty is refused', () => {
		expect(customerIdFrom('7C9E6679-7425-4DE0-944B-E07FC1F90AE7', 'Customer')).toEqual({
			ok: true,
			id: 'cus_7c9e667974254de0944be07fc1f90ae7',
		});
		expect(customerIdFrom({ mode: 'list', value: 'cus_x9Y8z7W6v5U4' }, 'Customer')).toEqual({
			ok: true,
			id: 'cus_x9Y8z7W6v5U4',
		});
		expect(customerIdFrom(undefined, 'Customer')).toMatchObject({ ok: false });
	});

	it('By ID patterns take what cStar ids look like, and none only where unassigning is allowed', () => {
		const customer = idRegex(
			customerLocator({ name: 'c', displayName: 'C', description: '' }).modes as Mode[],
		);
		expect(customer.test('cus_7c9e667974254de0944be07fc1f90ae7')).toBe(true);
		expect(customer.test('550e8400-e29b-41d4-a716-446655440000')).toBe(true);
		expect(customer.test('Acme Corp')).toBe(false);
		expect(customer.test('mem_a1B2c3D4e5F6')).toBe(false);
		const assign = memberLocator({ name: 'a', displayName: 'A', description: '', unassign: true });
		const filter = memberLocator({ name: 'f', displayName: 'F', description: '' });
		expect(idRegex(assign.modes as Mode[]).test('mem_a1B2c3D4e5F6')).toBe(true);
		expect(idRegex(assign.modes as Mode[]).test(NOBODY)).toBe(true);
		expect(idRegex(filter.modes as Mode[]).test(NOBODY)).toBe(false);
		expect(idRegex(filter.modes as Mode[]).test('Jane Smith')).toBe(false);
		expect(assign.modes![0].typeOptions!.searchListMethod).toBe('searchMembersOrNobody');
		expect(filter.modes![0].typeOptions!.searchListMethod).toBe('searchMembers');
	});

	it('the agent is told to give ids for the picked fields of a ticket update', () => {
		expect(toolDescriptionFor('ticket', 'update')).toMatch(
			/give ids, not names.*mem_.*none to unassign/,
		);
		expect(toolDescriptionFor('customer', 'update')).not.toMatch(/Assigned To/);
		expect(searchToolDescriptionFor('ticket', 'delete')).toMatch(
			/Assigned To and Customer filters take ids, not names/,
		);
	});
});
