// @ts-check
/// <reference lib="dom" />
'use strict';

/**
 * The node as a user meets it: the real n8n editor (the packed package, the emulator credential and
 * the examples, as `npm run dev` has them) in headless Chromium. What is expected comes from the
 * built node and credential, so a new option or field is expected on screen without editing this.
 */
const path = require('node:path');
const { launchChromium } = require('../../scripts/browser/chromium');
const {
	startEditorStack,
	loggedInPage,
	DELETE_EXAMPLE,
	PICKER_WORKFLOW,
	WRONG_KEY_WORKFLOW,
} = require('../../scripts/browser/editor');
const ui = require('../../scripts/browser/ui');

const DIST = path.resolve(__dirname, '..', '..', 'dist');
const { CstarBulk } = require(path.join(DIST, 'nodes/CstarBulk/CstarBulk.node.js'));
const { CstarApi } = require(path.join(DIST, 'credentials/CstarApi.credentials.js'));

/** @type {import('n8n-workflow').INodeProperties[]} */
const properties = new CstarBulk().description.properties;
/** @param {string} name @param {string} [resource] */
const displayNamesOf = (name, resource) =>
	(
		properties.find(
			(p) => p.name === name && (!resource || p.displayOptions?.show?.resource?.includes(resource)),
		)?.options ?? []
	).map((option) => ('displayName' in option ? option.displayName : option.name));
const RESOURCES = displayNamesOf('resource');
const PUBLISHABLE_MESSAGE = new CstarApi().test.rules.find(
	(/** @type {any} */ rule) => rule.properties?.value === 'publishable',
).properties.message;

/** @type {Awaited<ReturnType<typeof startEditorStack>>} */
let stack;
/** @type {import('puppeteer-core').Browser} */
let browser;
/** @type {import('puppeteer-core').Page} */
let page;
/** @type {string[]} */
const problems = [];

beforeAll(async () => {
	stack = await startEditorStack();
	browser = await launchChromium();
	page = await loggedInPage(browser, stack.server);
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console: ${message.text()}`);
	});
	page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
	page.on('response', (response) => {
		if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
	});
});

afterAll(async () => {
	await browser?.close();
	await stack?.stop();
});

afterEach(async () => {
	if (page) expect(await ui.errorToasts(page)).toEqual([]);
});

/** @param {string} label e.g. 'IDs' @returns {Promise<boolean>} */
const shown = async (label) =>
	(await ui.parameterLabels(page)).some((text) => text === label || text.startsWith(`${label} `));

test('the node is in the nodes panel under its name', async () => {
	await page.goto(`${stack.server.url}/workflow/new`, { waitUntil: 'networkidle2' });
	await page.click('[data-test-id="node-creator-plus-button"]');
	await ui.pause(800);
	await page.keyboard.type('cstar');
	await ui.pause(1500);
	const entries = await ui.visibleTexts(page, '[data-test-id="node-creator-item-name"]');
	expect(entries[0]).toMatch(/^Cstar Bulk\b/);
	await ui.pressEscape(page);
});

test('its panel shows Resource, Operation and IDs, and Data Mode and Update Fields only for Update', async () => {
	// The panel tests change the reprioritise example (IDs from input items; the close-tickets example
	// searches, so it shows no IDs), so the example run below is the shipped one.
	await ui.openWorkflow(page, stack.server.url, 'cstarReprioritise');
	await ui.openNodePanel(page, 'Set priorities');
	await ui.chooseOption(page, 'operation', 'Delete');
	for (const label of ['Resource', 'Operation', 'IDs', 'Options'])
		expect(await shown(label)).toBe(true);
	expect(await shown('Data Mode')).toBe(false);
	expect(await shown('Update Fields')).toBe(false);
	await ui.chooseOption(page, 'operation', 'Update');
	expect(await shown('Data Mode')).toBe(true);
	expect(await shown('Update Fields')).toBe(true);
	await ui.chooseOption(page, 'operation', 'Delete');
	expect(await shown('Data Mode')).toBe(false);
	expect(await shown('Update Fields')).toBe(false);
});

test.each(RESOURCES)('the %s resource offers its own update fields', async (resource) => {
	await ui.chooseOption(page, 'resource', resource);
	await ui.chooseOption(page, 'operation', 'Update');
	const fields = await ui.dropdownEntries(
		page,
		'[data-test-id="node-parameters"] [data-test-id="parameter-input-updateFields"] [data-test-id="collection-parameter-add"], [data-test-id="node-parameters"] [data-test-id="collection-parameter-add"]',
		'[data-test-id="collection-parameter-option"]',
	);
	await ui.pressEscape(page);
	expect(fields).toEqual(displayNamesOf('updateFields', resource.toLowerCase()));
});

test('the Options list is complete', async () => {
	await ui.chooseOption(page, 'operation', 'Delete');
	const options = await ui.dropdownEntries(
		page,
		'[data-test-id="node-parameters"] [data-test-id="collection-parameter-add"]',
		'[data-test-id="collection-parameter-option"]',
	);
	await ui.pressEscape(page);
	expect(options).toEqual(displayNamesOf('options'));
	await ui.closeNodePanel(page);
});

test("executing an example shows each output's item count on the canvas", async () => {
	await ui.openWorkflow(page, stack.server.url, DELETE_EXAMPLE.id);
	await ui.executeWorkflow(page, DELETE_EXAMPLE.node);
	// The count beside an unconnected output renders a moment after the edge labels.
	await page
		.waitForFunction(
			(name) =>
				/items?$/.test(
					document
						.querySelector(
							`[data-test-id="canvas-node"][data-node-name="${name}"] [data-test-id="canvas-node-output-handle"]`,
						)
						?.textContent?.trim() ?? '',
				),
			{ timeout: 30000 },
			DELETE_EXAMPLE.node,
		)
		.catch(() => undefined);
	const [succeeded, failed] = await ui.outputHandleTexts(page, DELETE_EXAMPLE.node);
	expect(succeeded).toBe(`Succeeded ${stack.knownCustomers.length} items`);
	expect(failed).toMatch(/^Failed/);
	expect(await ui.edgeLabel(page, DELETE_EXAMPLE.node, 'Not deleted')).toBe(
		`${stack.unknownCustomers.length} items`,
	);
	const left = stack.emu.store.ids('customers');
	for (const id of stack.knownCustomers) expect(left).not.toContain(id);
});

// Before the credential test below, which saves a publishable key into the credential.
test('a person picks the owner from the member list and finds the customer by part of the name', async () => {
	const member = stack.emu.store.members().find((m) => m.id === 'mem_g7H8i9J0k1L2');
	const customer = stack.emu.store.list('customers')[5];
	if (!member || !customer) throw new Error('the emulator has no such member or customer');
	await ui.openWorkflow(page, stack.server.url, PICKER_WORKFLOW.id);
	await ui.openNodePanel(page, PICKER_WORKFLOW.node);

	await ui.addCollectionField(page, 'Assigned To');
	await ui.openLocatorList(page, 'assignedTo');
	expect(await ui.locatorError(page)).toBe('');
	const entries = await ui.locatorEntries(page);
	expect(entries[0]).toBe('Nobody (Unassign)');
	// Every member, not the first page of 20; the two Jane Smiths told apart by email and role.
	expect(entries).toHaveLength(stack.emu.store.members().length + 1);
	const memberEntry = `${member.name} (${member.email}, ${member.role})`;
	expect(entries.filter((entry) => entry.startsWith('Jane Smith ('))).toHaveLength(2);
	await ui.pickLocatorEntry(page, memberEntry);

	await ui.addCollectionField(page, 'Customer');
	await ui.openLocatorList(page, 'customerId');
	const part = String(customer.name).split(' ')[1].slice(0, 5).toLowerCase();
	const customerEntry = `${customer.name} (${customer.email})`;
	await ui.searchLocatorList(page, part, customerEntry);
	const searches = stack.emu.log.filter((entry) => entry.path.endsWith('/customers'));
	expect(searches.some((entry) => entry.query.search === part)).toBe(true);
	await ui.pickLocatorEntry(page, customerEntry);
	await ui.closeNodePanel(page);

	await ui.executeWorkflow(page, PICKER_WORKFLOW.node);
	for (const id of stack.pickerTickets) {
		expect(stack.emu.store.get('tickets', id)).toMatchObject({
			assignedTo: member.id,
			customerId: customer.id,
		});
	}
});

test('with a wrong key the member list says cStar refused the key and how to fix it', async () => {
	await ui.openWorkflow(page, stack.server.url, WRONG_KEY_WORKFLOW.id);
	await ui.openNodePanel(page, WRONG_KEY_WORKFLOW.node);
	await ui.openLocatorList(page, 'assignedTo');
	const message = await ui.locatorError(page);
	expect(message).toMatch(/cStar did not accept the API key/);
	expect(message).toMatch(/paste a valid secret key/);
	expect(message).not.toContain('W'.repeat(32));
	await ui.pressEscape(page);
	await ui.closeNodePanel(page);
});

test("the credential dialog's test succeeds with the secret key and explains a publishable key", async () => {
	await page.goto(`${stack.server.url}/home/credentials`, { waitUntil: 'networkidle2' });
	await page.click(`[data-test-id="resources-list-item"] ::-p-text(${stack.credential.name})`);
	await page.waitForSelector('[data-test-id="credential-edit-dialog"]', { visible: true });
	await page.waitForSelector('[data-test-id="credentials-config-container-test-success"]', {
		visible: true,
	});
	await page.click('[data-test-id="credentials-config-container-test-success"] button');
	await page.waitForSelector('[data-test-id="credentials-config-container-test-success"]', {
		visible: true,
	});
	const keyInput = await page.waitForSelector(
		'[data-test-id="credential-connection-parameter"] input',
		{ visible: true },
	);
	// Replace the saved (masked) key outright, so no character of the old key can survive.
	await keyInput?.evaluate((input, key) => {
		const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
		setValue?.call(input, key);
		input.dispatchEvent(new Event('input', { bubbles: true }));
	}, stack.emu.keys.publishable);
	expect(await keyInput?.evaluate((input) => input.value)).toBe(stack.emu.keys.publishable);
	await page.click('[data-test-id="credential-save-button"]');
	// n8n's failed-test banner shows our message only after "More details" is clicked.
	const moreDetails = await page.waitForSelector(
		'[data-test-id="credential-edit-dialog"] ::-p-text(More details)',
		{ visible: true, timeout: 60000 },
	);
	await moreDetails?.click();
	await page.waitForFunction(
		(message) =>
			document
				.querySelector('[data-test-id="credential-edit-dialog"]')
				?.textContent?.includes(message),
		{ timeout: 60000 },
		PUBLISHABLE_MESSAGE,
	);
});

test('no console errors, failed requests or page errors come from our node', () => {
	const ours = problems.filter((problem) => /cstar/i.test(problem));
	expect(ours).toEqual([]);
});
