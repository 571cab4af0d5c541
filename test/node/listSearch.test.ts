import { NodeApiError, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import { CstarBulk } from '../../nodes/CstarBulk/CstarBulk.node';
import { LIST_METHODS, NOBODY } from '../../nodes/CstarBulk/description/pickers';
import type { Emulator } from '../support/common';
import { loadOptionsContext } from '../support/loadOptionsContext';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 7, tickets: 10, customers: 130, articles: 1 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

const credentials = (overrides: Record<string, string> = {}) => ({
	apiKey: emu.keys.secret,
	teamId: emu.teamId,
	baseUrl: emu.url,
	...overrides,
});
const listSearch = new CstarBulk().methods.listSearch;

async function list(
	method: keyof typeof listSearch,
	options: { credentials?: ICredentialDataDecryptedObject; filter?: string; token?: string } = {},
) {
	const context = loadOptionsContext(
		'credentials' in options ? options.credentials : credentials(),
	);
	return await listSearch[method].call(context, options.filter, options.token);
}

async function failure(
	method: keyof typeof listSearch,
	creds: ICredentialDataDecryptedObject | undefined,
): Promise<NodeApiError> {
	try {
		await list(method, { credentials: creds });
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('the list loaded');
}

const memberPages = () => emu.log.filter((entry) => entry.path.includes('/members'));

describe('the pickers list cStar members and customers', () => {
	it('registers the list methods the pickers name', () => {
		expect(Object.keys(listSearch).sort()).toEqual(Object.values(LIST_METHODS).sort());
	});

	it('lists every member of every page, each as name (email, role), sorted by name', async () => {
		emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
		const members = emu.store.members();
		expect(members.length).toBeGreaterThan(20);
		const { results, paginationToken } = await list('searchMembers');
		expect(paginationToken).toBeUndefined();
		expect(results.map((item) => item.value).sort()).toEqual(members.map((m) => m.id).sort());
		const jane = members.find((m) => m.id === 'mem_g7H8i9J0k1L2')!;
		expect(results).toContainEqual({
			name: `Jane Smith (${jane.email}, ${jane.role})`,
			value: jane.id,
		});
		const names = results.map((item) => item.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		// Two members named alike read differently.
		const janes = results.filter((item) => item.name.startsWith('Jane Smith'));
		expect(janes).toHaveLength(2);
		expect(janes[0].name).not.toBe(janes[1].name);
	});

	it('walks the pages until cStar says there are no more (45 members, pages of 100 → 1 call; 250 → 3)', async () => {
		await list('searchMembers');
		expect(memberPages()).toHaveLength(1);
		const big = await startEmulator({
			seed: 7,
			tickets: 1,
			customers: 1,
			articles: 1,
			members: 250,
		});
		try {
			const context = loadOptionsContext({
				apiKey: big.keys.secret,
				teamId: big.teamId,
				baseUrl: big.url,
			});
			const { results } = await listSearch.searchMembers.call(context);
			expect(results).toHaveLength(250);
			expect(new Set(results.map((item) => item.value))).toEqual(
				new Set(big.store.members().map((m) => m.id)),
			);
			expect(big.log.map((entry) => [entry.query.page, entry.query.pageSize])).toEqual([
				['1', '100'],
				['2', '100'],
				['3', '100'],
			]);
		} finally {
			await big.close();
		}
	});

	it('filters members by name, email or role as the user types', async () => {
		const { results } = await list('searchMembers', { filter: 'JANE' });
		expect(results.map((item) => item.value).sort()).toEqual(
			['mem_a1B2c3D4e5F6', 'mem_g7H8i9J0k1L2'].sort(),
		);
		const byEmail = await list('searchMembers', { filter: 'marcus.chen@' });
		expect(byEmail.results.map((item) => item.value)).toEqual(['mem_m3N4o5P6q7R8']);
	});

	it('offers "Nobody" first for Assigned To, which unassigns', async () => {
		const { results } = await list('searchMembersOrNobody');
		expect(results[0]).toEqual({ name: 'Nobody (Unassign)', value: NOBODY });
		expect(results).toHaveLength(emu.store.members().length + 1);
		const filtered = await list('searchMembersOrNobody', { filter: 'marcus' });
		expect(filtered.results.map((item) => item.value)).toEqual(['mem_m3N4o5P6q7R8']);
	});

	it('finds the team from the key (whoami) when Team ID is empty, as a run does', async () => {
		const { results } = await list('searchMembers', { credentials: credentials({ teamId: '' }) });
		expect(results.length).toBe(emu.store.members().length);
		expect(emu.log[0].path).toBe('/api/v1/auth/whoami');
	});

	it('lets cStar search customers (name or email) and pages with the token as the user scrolls', async () => {
		const customers = emu.store.list('customers');
		const first = await list('searchCustomers');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('2');
		expect(first.results[0]).toEqual({
			name: `${customers[0].name} (${customers[0].email})`,
			value: customers[0].id,
		});
		const second = await list('searchCustomers', { token: first.paginationToken });
		const third = await list('searchCustomers', { token: second.paginationToken });
		expect(third.paginationToken).toBeUndefined();
		expect([...first.results, ...second.results, ...third.results].map((r) => r.value)).toEqual(
			customers.map((c) => c.id),
		);

		const target = customers[42];
		const part = target.name.split(' ')[1].slice(0, 4).toLowerCase();
		const found = await list('searchCustomers', { filter: ` ${part} ` });
		const searched = emu.log.filter((entry) => entry.path.endsWith('/customers'));
		expect(searched[searched.length - 1].query).toMatchObject({ search: part, page: '1' });
		expect(found.results.map((r) => r.value)).toContain(target.id);
		expect(found.results.length).toBe(
			customers.filter(
				(c) =>
					String(c.name).toLowerCase().includes(part) ||
					String(c.email).toLowerCase().includes(part),
			).length,
		);
	});

	describe('when a list cannot load, it says why and how to fix it, in the node’s own words', () => {
		it.each([['searchMembers'], ['searchCustomers']] as const)(
			'%s: no credential yet',
			async (method) => {
				const error = await failure(method, undefined);
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toMatch(/No cStar API credential is selected yet/);
				expect(error.description).toMatch(/Choose or create a cStar API credential/);
				expect(emu.counts().requests).toBe(0);
			},
		);

		it('a publishable key: refused before anything is sent', async () => {
			const error = await failure('searchMembers', credentials({ apiKey: emu.keys.publishable }));
			expect(error.message).toBe(
				'The credential holds a publishable key, which cannot change data',
			);
			expect(error.description).toMatch(/paste a secret key/);
			expect(emu.counts().requests).toBe(0);
		});

		it('a wrong key: cStar’s 401, and the key is never echoed', async () => {
			const badKey = 'sk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
			const error = await failure('searchCustomers', credentials({ apiKey: badKey }));
			expect(error.message).toMatch(/cStar did not accept the API key/);
			expect(error.description).toMatch(/paste a valid secret key/);
			expect(error.httpCode).toBe('401');
			expect(JSON.stringify(error)).not.toContain(badKey);
		});

		it('a wrong key with Team ID empty: the lookup keeps the key’s own message', async () => {
			const error = await failure(
				'searchMembers',
				credentials({ apiKey: 'sk_test_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', teamId: '' }),
			);
			expect(error.message).toMatch(/cStar did not accept the API key/);
		});

		it('a wrong Base URL: nothing listens, or not the API', async () => {
			const unreachable = await failure(
				'searchMembers',
				credentials({ baseUrl: 'http://127.0.0.1:9' }),
			);
			expect(unreachable.message).toBe('Could not reach cStar at http://127.0.0.1:9');
			expect(unreachable.description).toMatch(/Check "Base URL"/);
			const notApi = await failure(
				'searchCustomers',
				credentials({ baseUrl: `${emu.url}/nothing-here` }),
			);
			expect(notApi.message).toMatch(/^Nothing answers at .*\/nothing-here\/api\/v1/);
			expect(notApi.description).toMatch(/Set "Base URL"/);
			const notUrl = await failure('searchMembers', credentials({ baseUrl: 'not a url' }));
			expect(notUrl.message).toMatch(/is not a web address/);
		});

		it('a key of another team: the Team ID fix', async () => {
			const error = await failure('searchMembers', credentials({ apiKey: emu.keys.otherTeam }));
			expect(error.message).toMatch(/does not belong to team/);
			expect(error.description).toMatch(/Fix "Team ID"/);
		});

		it('a rate limit longer than a picker waits: says so, and offers By ID', async () => {
			emu.faults.script([{ type: 'rateLimit', retryAfter: 600, match: { method: 'GET' } }]);
			const error = await failure('searchCustomers', credentials());
			expect(error.message).toBe(
				"Could not load the list from cStar: cStar's rate limit for this API key is used up",
			);
			expect(error.description).toMatch(/after the limit resets, or type the ID under "By ID"/);
			expect(error.httpCode).toBe('429');
			expect(emu.counts().requests).toBe(1);
		});

		it('a short rate limit is waited out and the list loads', async () => {
			emu.faults.script([{ type: 'rateLimit', retryAfter: 1, match: { method: 'GET' } }]);
			const { results } = await list('searchMembers');
			expect(results).toHaveLength(emu.store.members().length);
			expect(emu.counts().rateLimited).toBe(1);
		});

		it('cStar failing twice (5xx): says what cStar answered', async () => {
			emu.faults.script([
				{ type: 'status', status: 503, match: { method: 'GET' } },
				{ type: 'status', status: 503, match: { method: 'GET' } },
			]);
			const error = await failure('searchMembers', credentials());
			expect(error.message).toBe(
				'Could not load the list from cStar: cStar kept failing (HTTP 503)',
			);
			expect(error.description).toMatch(/Open the list again in a minute/);
		});
	});
});
