/**
 * The pickers' lists through the real n8n server, as the editor asks for them
 * (POST /rest/dynamic-node-parameters/resource-locator-results), against the emulator. The browser
 * suite clicks through them on n8n 2.x; this runs on every version the e2e suites run on, 1.x too.
 */
import { startEmulator } from '../../emulator';
import {
	createUserFolder,
	importCredentials,
	removeUserFolder,
	startN8nServer,
	type N8nServer,
} from '../../harness';
import type { Emulator } from '../support/common';

const NODE_TYPE = 'n8n-nodes-cstar.cstarBulk';
const GOOD = { id: 'pickerCred', name: 'cStar (emulator)' };
const WRONG = { id: 'pickerWrongCred', name: 'cStar (wrong key)' };
const WRONG_KEY = `sk_test_${'Q'.repeat(32)}`;

let emu: Emulator;
let userFolder: string;
let server: N8nServer | undefined;

beforeAll(async () => {
	emu = await startEmulator({ tickets: 5, customers: 70, articles: 1 });
	userFolder = await createUserFolder();
	const data = (apiKey: string) => ({ apiKey, teamId: '', baseUrl: emu.url });
	await importCredentials(userFolder, [
		{ ...GOOD, type: 'cstarApi', data: data(emu.keys.secret) },
		{ ...WRONG, type: 'cstarApi', data: data(WRONG_KEY) },
	]);
	server = await startN8nServer(userFolder);
});

afterAll(async () => {
	if (server) await server.stop();
	if (userFolder) removeUserFolder(userFolder);
	if (emu) await emu.close();
});

async function listResults(
	methodName: string,
	credential: { id: string; name: string },
	extra: { filter?: string; paginationToken?: string } = {},
) {
	return await server!.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
		nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
		path: 'parameters.updateFields.assignedTo',
		methodName,
		currentNodeParameters: {
			resource: 'ticket',
			operation: 'update',
			dataMode: 'fields',
			updateFields: {},
		},
		credentials: { cstarApi: credential },
		...extra,
	});
}

type ListBody = {
	data: { results: Array<{ name: string; value: string }>; paginationToken?: string };
};

test('the member list: Nobody first, then every member of every page, the team read from the key', async () => {
	const response = await listResults('searchMembersOrNobody', GOOD);
	expect(response.status).toBe(200);
	const { results } = (response.body as ListBody).data;
	expect(results[0]).toEqual({ name: 'Nobody (Unassign)', value: 'none' });
	expect(
		results
			.slice(1)
			.map((r) => r.value)
			.sort(),
	).toEqual(
		emu.store
			.members()
			.map((m) => m.id)
			.sort(),
	);
	expect(emu.log.some((entry) => entry.path === '/api/v1/auth/whoami')).toBe(true);
});

test('the customer list: cStar searches, and the token gives the next page', async () => {
	const first = (await listResults('searchCustomers', GOOD)).body as ListBody;
	expect(first.data.results).toHaveLength(50);
	expect(first.data.paginationToken).toBe('2');
	const second = (await listResults('searchCustomers', GOOD, { paginationToken: '2' }))
		.body as ListBody;
	expect(second.data.results).toHaveLength(20);
	const target = emu.store.list('customers')[33];
	const found = (await listResults('searchCustomers', GOOD, { filter: String(target.email) }))
		.body as ListBody;
	expect(found.data.results).toEqual([
		{ name: `${target.name} (${target.email})`, value: target.id },
	]);
});

test('with a wrong key the answer carries the node’s message and fix, never the key', async () => {
	const response = await listResults('searchMembers', WRONG);
	expect(response.status).toBeGreaterThanOrEqual(400);
	const text = JSON.stringify(response.body);
	expect(text).toMatch(/cStar did not accept the API key/);
	expect(text).toMatch(/paste a valid secret key/);
	expect(text).not.toContain(WRONG_KEY);
});
