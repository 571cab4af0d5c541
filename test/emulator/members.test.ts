import { startEmulator } from '../../emulator';
import { client, expectError, teamPath, type Emulator } from './helpers';

describe('emulator: team members and the customer search', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ tickets: 20, customers: 30, articles: 2 });
	});
	afterAll(() => emu.close());

	it('lists members 20 per page by default, pagination top-level and in meta', async () => {
		const response = await client(emu).get(teamPath(emu, '/members'));
		expect(response.status).toBe(200);
		const pagination = { page: 1, pageSize: 20, total: 45, totalPages: 3, hasMore: true };
		expect(response.data.pagination).toEqual(pagination);
		expect(response.data.meta.pagination).toEqual(pagination);
		expect(response.data.data.map((m: { id: string }) => m.id)).toEqual(
			emu.store
				.members()
				.slice(0, 20)
				.map((m) => m.id),
		);
	});

	it('walks every page to the end, and has the documented fields', async () => {
		const seen: Array<Record<string, unknown>> = [];
		for (let page = 1; ; page++) {
			const response = await client(emu).get(teamPath(emu, '/members'), {
				params: { page, pageSize: 15 },
			});
			seen.push(...response.data.data);
			if (!response.data.pagination.hasMore) break;
		}
		expect(seen).toEqual(emu.store.members());
		for (const member of seen) {
			expect(member).toMatchObject({
				id: expect.stringMatching(/^mem_[A-Za-z0-9]+$/),
				userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
				name: expect.any(String),
				email: expect.stringMatching(/@/),
				role: expect.stringMatching(/^(owner|admin|manager|librarian|agent|spectator)$/),
				roleDisplayName: expect.any(String),
				permissions: expect.any(Array),
				level: expect.any(Number),
				xp: expect.any(Number),
				joinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			});
		}
		expect(new Set(seen.map((m) => m.id)).size).toBe(45);
	});

	it('holds every member a seeded ticket is assigned to, and two members named alike', () => {
		const memberIds = new Set(emu.store.members().map((m) => m.id));
		const assigned = emu.store
			.list('tickets')
			.map((t) => t.assignedTo)
			.filter((id) => id !== null);
		expect(assigned.length).toBeGreaterThan(0);
		for (const id of assigned) expect(memberIds.has(id)).toBe(true);
		const janes = emu.store.members().filter((m) => m.name === 'Jane Smith');
		expect(janes).toHaveLength(2);
		expect(janes[0].email).not.toBe(janes[1].email);
	});

	it('filters by role', async () => {
		const response = await client(emu).get(teamPath(emu, '/members'), {
			params: { role: 'agent', pageSize: 100 },
		});
		const agents = emu.store.members().filter((m) => m.role === 'agent');
		expect(agents.length).toBeGreaterThan(1);
		expect(response.data.data.map((m: { id: string }) => m.id)).toEqual(agents.map((m) => m.id));
		expect(response.data.pagination.total).toBe(agents.length);
	});

	it.each([
		['role', 'hero'],
		['pageSize', '101'],
		['page', '0'],
	])('rejects %s=%s with 400 parameter_invalid', async (param, value) => {
		const response = await client(emu).get(teamPath(emu, '/members'), {
			params: { [param]: value },
		});
		expectError(response, 400, 'invalid_request_error', 'parameter_invalid', param);
	});

	it('is a read that needs a key of the team: publishable may list, another team may not', async () => {
		const publishable = await client(emu, emu.keys.publishable).get(teamPath(emu, '/members'));
		expect(publishable.status).toBe(200);
		const other = await client(emu, emu.keys.otherTeam).get(teamPath(emu, '/members'));
		expectError(other, 403, 'authentication_error', 'team_access_denied');
		const none = await client(emu, null).get(teamPath(emu, '/members'));
		expect(none.status).toBe(401);
		const write = await client(emu).post(teamPath(emu, '/members'), {});
		expect(write.status).toBe(404);
	});

	it('keeps members stable across seeds of data: same seed, same members', async () => {
		const same = await startEmulator({ tickets: 1, customers: 1, articles: 1 });
		try {
			expect(same.store.members()).toEqual(emu.store.members());
		} finally {
			await same.close();
		}
	});

	it('searches customers by part of the name or of the email, case-insensitively', async () => {
		const target = emu.store.list('customers')[7];
		const byName = await client(emu).get(teamPath(emu, '/customers'), {
			params: { search: target.name.split(' ')[1].slice(0, 5).toUpperCase(), pageSize: 100 },
		});
		expect(byName.data.data.map((c: { id: string }) => c.id)).toContain(target.id);
		const local = String(target.email).split('@')[0];
		const byEmail = await client(emu).get(teamPath(emu, '/customers'), {
			params: { search: local },
		});
		expect(byEmail.data.data.map((c: { id: string }) => c.id)).toEqual([target.id]);
		const nobody = await client(emu).get(teamPath(emu, '/customers'), {
			params: { search: 'zz-no-such-customer' },
		});
		expect(nobody.data.data).toEqual([]);
	});
});
