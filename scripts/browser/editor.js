// @ts-check
/// <reference lib="dom" />
'use strict';

/**
 * What the browser suite and `npm run screenshots` look at: the cStar emulator and a real n8n editor
 * with the packed package installed, a credential that points at the emulator and the examples
 * imported (as `npm run dev` has them), and a logged-in browser page on it.
 */
const { startEmulator } = require('../../emulator');
const { exampleFiles, loadExample, codeReturning } = require('../examples');
const n8n = require('../../harness');

const CREDENTIAL = { id: 'browserCstarCred', name: 'cStar (local emulator)' };
/** The example run from the editor: three customers cStar knows and two it does not. */
const DELETE_EXAMPLE = {
	id: 'cstarDeleteCustomers',
	node: 'Delete customers',
	code: 'Customers to delete',
};
const UNKNOWN_CUSTOMERS = [
	'cus_doesnotexist000000000000000001',
	'cus_doesnotexist000000000000000002',
];
/** A credential whose key cStar does not know: the pickers' lists must say so. */
const WRONG_KEY_CREDENTIAL = { id: 'browserCstarWrongKey', name: 'cStar (wrong key)' };
/** Tickets whose owner and customer a person picks in the editor (the member and customer pickers). */
const PICKER_WORKFLOW = { id: 'browserPickOwner', node: 'Assign tickets', tickets: 3 };
const WRONG_KEY_WORKFLOW = { id: 'browserPickWrongKey', node: 'Assign tickets' };

/**
 * Run now → a Code node giving ticket ids → Cstar Bulk updating those tickets, with the given
 * Update Fields and credential.
 * @param {string} id @param {{ id: string, name: string }} credential
 * @param {Record<string, unknown>} updateFields @param {string[]} ticketIds
 */
function ticketUpdateWorkflow(id, credential, updateFields, ticketIds) {
	const node = (
		/** @type {number} */ n,
		/** @type {string} */ name,
		/** @type {string} */ type,
		/** @type {number} */ typeVersion,
		/** @type {Record<string, unknown>} */ parameters,
	) => ({
		id: `20000000-0000-4000-8000-00000000000${n}`,
		name,
		type,
		typeVersion,
		position: [n * 220, 0],
		parameters,
	});
	return {
		id,
		name: `Browser: ${id}`,
		nodes: [
			node(1, 'Run now', 'n8n-nodes-base.manualTrigger', 1, {}),
			node(2, 'Tickets', 'n8n-nodes-base.code', 2, {
				jsCode: codeReturning(ticketIds.map((ticketId) => ({ id: ticketId }))),
			}),
			{
				...node(3, PICKER_WORKFLOW.node, 'n8n-nodes-cstar.cstarBulk', 1, {
					resource: 'ticket',
					operation: 'update',
					ids: '={{ $json.id }}',
					dataMode: 'fields',
					updateFields,
					options: {},
				}),
				credentials: { cstarApi: credential },
			},
			// A node after Succeeded, so the run shows an item count on the canvas.
			node(4, 'Done', 'n8n-nodes-base.noOp', 1, {}),
		],
		connections: {
			'Run now': { main: [[{ node: 'Tickets', type: 'main', index: 0 }]] },
			Tickets: { main: [[{ node: PICKER_WORKFLOW.node, type: 'main', index: 0 }]] },
			[PICKER_WORKFLOW.node]: { main: [[{ node: 'Done', type: 'main', index: 0 }], []] },
		},
	};
}

/**
 * @typedef {object} EditorStack
 * @property {Awaited<ReturnType<typeof startEmulator>>} emu
 * @property {Awaited<ReturnType<typeof n8n.startN8nServer>>} server
 * @property {{ id: string, name: string }} credential
 * @property {string[]} knownCustomers the ids the delete example names that cStar has
 * @property {string[]} unknownCustomers the ids it names that cStar does not have
 * @property {string[]} pickerTickets the tickets of the picker workflow
 * @property {() => Promise<void>} stop
 */

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<EditorStack>}
 */
async function startEditorStack(options = {}) {
	const log = options.log ?? (() => undefined);
	const emu = await startEmulator({ port: 0, seed: 1, tickets: 60, customers: 30, articles: 10 });
	/** @type {string | undefined} */
	let userFolder;
	try {
		userFolder = await n8n.createUserFolder({ log });
		await n8n.importCredentials(userFolder, [
			{
				...CREDENTIAL,
				type: 'cstarApi',
				data: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
			},
			{
				...WRONG_KEY_CREDENTIAL,
				type: 'cstarApi',
				data: { apiKey: `sk_test_${'W'.repeat(32)}`, teamId: emu.teamId, baseUrl: emu.url },
			},
		]);
		const settings = { cstarUrl: emu.url, teamId: emu.teamId };
		const knownCustomers = emu.store.ids('customers').slice(0, 3);
		const rows = [...knownCustomers, ...UNKNOWN_CUSTOMERS].map((customerId) => ({ customerId }));
		const code = { [DELETE_EXAMPLE.code]: codeReturning(rows) };
		const pickerTickets = emu.store.ids('tickets').slice(0, PICKER_WORKFLOW.tickets);
		await n8n.importWorkflow(userFolder, [
			...exampleFiles().map((file) =>
				loadExample(file, {
					credential: CREDENTIAL,
					settings,
					...(file === 'delete-customers.json' ? { code } : {}),
				}),
			),
			ticketUpdateWorkflow(PICKER_WORKFLOW.id, CREDENTIAL, {}, pickerTickets),
			ticketUpdateWorkflow(
				WRONG_KEY_WORKFLOW.id,
				WRONG_KEY_CREDENTIAL,
				{ assignedTo: { __rl: true, mode: 'list', value: '' } },
				pickerTickets,
			),
		]);
		const server = await n8n.startN8nServer(userFolder);
		const folder = userFolder;
		const stop = async () => {
			await server.stop();
			await emu.close();
			n8n.removeUserFolder(folder);
		};
		return {
			emu,
			server,
			credential: CREDENTIAL,
			knownCustomers,
			unknownCustomers: UNKNOWN_CUSTOMERS,
			pickerTickets,
			stop,
		};
	} catch (error) {
		await emu.close();
		if (userFolder) n8n.removeUserFolder(userFolder);
		throw error;
	}
}

/**
 * Opens the editor in a new page and logs in as the owner the way n8n's own Playwright suite does:
 * `POST /rest/login` from the page itself, with the browser id the editor keeps in localStorage.
 * @param {import('puppeteer-core').Browser} browser
 * @param {EditorStack['server']} server
 * @returns {Promise<import('puppeteer-core').Page>}
 */
async function loggedInPage(browser, server) {
	const page = await browser.newPage();
	// Leaving a workflow with unsaved changes asks "leave the page?" (beforeunload): a user says yes.
	page.on('dialog', (dialog) => void dialog.accept());
	await page.goto(`${server.url}/signin`, { waitUntil: 'networkidle2' });
	const status = await page.evaluate(
		async (/** @type {string} */ email, /** @type {string} */ password) => {
			let browserId = localStorage.getItem('n8n-browserId');
			if (!browserId) {
				browserId = crypto.randomUUID();
				localStorage.setItem('n8n-browserId', browserId);
			}
			const response = await fetch('/rest/login', {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': browserId },
				body: JSON.stringify({ emailOrLdapLoginId: email, password }),
			});
			return response.status;
		},
		server.email,
		server.password,
	);
	if (status !== 200) throw new Error(`logging in through /rest/login answered ${status}`);
	return page;
}

module.exports = {
	startEditorStack,
	loggedInPage,
	DELETE_EXAMPLE,
	PICKER_WORKFLOW,
	WRONG_KEY_WORKFLOW,
};
