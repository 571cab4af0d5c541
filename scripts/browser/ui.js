// @ts-check
/// <reference lib="dom" />
'use strict';

/**
 * What a person does in the n8n 2.x editor, as puppeteer steps: open a workflow, open a node's panel,
 * pick a value in a dropdown, read the labels and dropdown entries that are on screen, run the
 * workflow, read the item counts on the canvas. Selectors are n8n's own `data-test-id`s.
 */

/** @typedef {import('puppeteer-core').Page} Page */

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {Page} page @param {string} url @param {string} workflowId */
async function openWorkflow(page, url, workflowId) {
	await page.goto(`${url}/workflow/${workflowId}`, { waitUntil: 'networkidle2' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { visible: true });
}

/** @param {Page} page @param {string} nodeName */
async function openNodePanel(page, nodeName) {
	const node = await page.waitForSelector(
		`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`,
		{ visible: true },
	);
	await node?.click({ count: 2 });
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', {
		visible: true,
	});
	await pause(500);
}

/** @param {Page} page */
async function closeNodePanel(page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { hidden: true });
}

/**
 * The texts of the visible elements that match `selector`.
 * @param {Page} page @param {string} selector @returns {Promise<string[]>}
 */
function visibleTexts(page, selector) {
	return page.$$eval(selector, (elements) =>
		elements
			.filter((element) => element instanceof HTMLElement && element.checkVisibility())
			.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()),
	);
}

/** @param {Page} page @returns {Promise<string[]>} the parameter labels the panel shows */
function parameterLabels(page) {
	return visibleTexts(page, '[data-test-id="node-parameters"] [data-test-id="input-label"]');
}

/**
 * Opens a dropdown and answers the entries it lists (their first line, the name).
 * @param {Page} page @param {string} trigger a selector of the dropdown
 * @param {string} itemSelector the selector of its entries
 * @returns {Promise<string[]>}
 */
async function dropdownEntries(page, trigger, itemSelector) {
	await page.click(trigger);
	await pause(500);
	return page.$$eval(itemSelector, (elements) =>
		elements
			.filter((element) => element instanceof HTMLElement && element.checkVisibility())
			.map((element) => {
				const name = element.querySelector('[class*="name"], span') ?? element;
				return (name.textContent ?? '').replace(/\s+/g, ' ').trim();
			}),
	);
}

/**
 * Picks the entry whose text starts with `label` in a parameter's dropdown.
 * @param {Page} page @param {string} parameter e.g. 'operation' @param {string} label e.g. 'Update'
 */
async function chooseOption(page, parameter, label) {
	await page.click(
		`[data-test-id="node-parameters"] [data-test-id="parameter-input-${parameter}"]`,
	);
	await pause(300);
	const handles = await page.$$('[data-test-id="parameter-input-item"]');
	for (const handle of handles) {
		const text = await handle.evaluate((element) =>
			element instanceof HTMLElement && element.checkVisibility() ? element.textContent : null,
		);
		if (text && text.trim().startsWith(label)) {
			await handle.click();
			await pause(500);
			return;
		}
	}
	throw new Error(`the ${parameter} dropdown has no entry "${label}"`);
}

/**
 * Adds a field to the first collection of the panel (Update Fields) by its label.
 * @param {Page} page @param {string} label e.g. 'Assigned To'
 */
async function addCollectionField(page, label) {
	await page.click('[data-test-id="node-parameters"] [data-test-id="collection-parameter-add"]');
	await pause(500);
	const options = await page.$$('[data-test-id="collection-parameter-option"]');
	for (const option of options) {
		const text = await option.evaluate((element) =>
			element instanceof HTMLElement && element.checkVisibility() ? element.textContent : null,
		);
		if (text && text.trim() === label) {
			await option.click();
			await pause(500);
			return;
		}
	}
	throw new Error(`Update Fields offers no field "${label}"`);
}

/**
 * Opens a resource locator's "From List" dropdown and waits until it shows entries or an error.
 * @param {Page} page @param {string} parameter e.g. 'assignedTo'
 */
async function openLocatorList(page, parameter) {
	await page.click(
		`[data-test-id="node-parameters"] [data-test-id="resource-locator-${parameter}"] [data-test-id="rlc-input"]`,
	);
	await page.waitForFunction(
		() =>
			Array.from(
				document.querySelectorAll(
					'[data-test-id="rlc-item"], [data-test-id="rlc-error-container"]',
				),
			).some((element) => element instanceof HTMLElement && element.checkVisibility()),
		{ timeout: 60000 },
	);
	await pause(300);
}

/** @param {Page} page @returns {Promise<string[]>} the entries of the open resource locator list */
function locatorEntries(page) {
	return visibleTexts(page, '[data-test-id="rlc-item"]');
}

/**
 * Types into the open list's search box and waits until the entries show that search's answer.
 * @param {Page} page @param {string} text @param {string} expected an entry the search must show
 */
async function searchLocatorList(page, text, expected) {
	// The test id sits on the input itself in some n8n versions, on its wrapper in others.
	const search = await page.waitForSelector(
		'input[data-test-id="rlc-search"], [data-test-id="rlc-search"] input',
		{ visible: true },
	);
	await search?.type(text, { delay: 50 });
	await page.waitForFunction(
		(entry) =>
			Array.from(document.querySelectorAll('[data-test-id="rlc-item"]')).some(
				(element) =>
					element instanceof HTMLElement &&
					element.checkVisibility() &&
					(element.textContent ?? '').replace(/\s+/g, ' ').trim() === entry,
			),
		{ timeout: 60000 },
		expected,
	);
}

/**
 * Clicks the entry of the open resource locator list that reads `label`.
 * @param {Page} page @param {string} label
 */
async function pickLocatorEntry(page, label) {
	const items = await page.$$('[data-test-id="rlc-item"]');
	for (const item of items) {
		const text = await item.evaluate((element) =>
			element instanceof HTMLElement && element.checkVisibility()
				? (element.textContent ?? '').replace(/\s+/g, ' ').trim()
				: null,
		);
		if (text === label) {
			await item.click();
			await pause(500);
			return;
		}
	}
	throw new Error(`the list has no entry "${label}"`);
}

/** @param {Page} page @returns {Promise<string>} the text of the open list's "could not load" box */
async function locatorError(page) {
	const texts = await visibleTexts(page, '[data-test-id="rlc-error-container"]');
	return texts.join(' ');
}

/** @param {Page} page */
async function pressEscape(page) {
	await page.keyboard.press('Escape');
	await pause(300);
}

/**
 * Clicks Execute workflow and waits until the node has run (its success or error icon).
 * @param {Page} page @param {string} nodeName
 */
async function executeWorkflow(page, nodeName) {
	await page.click('[data-test-id="execute-workflow-button"]');
	await page.waitForFunction(
		(name) => {
			const labels = document.querySelectorAll(
				`[data-test-id="edge-label"][data-source-node-name="${name}"]`,
			);
			return labels.length > 0 && !document.querySelector('[data-test-id="stop-execution-button"]');
		},
		{ timeout: 120000 },
		nodeName,
	);
	await pause(1000);
}

/**
 * The text at each output of a node, by output index ("Succeeded", "Failed", ...), followed by the
 * item count n8n prints beside an output with data (its run-data label, "3 items").
 * @param {Page} page @param {string} nodeName @returns {Promise<string[]>}
 */
function outputHandleTexts(page, nodeName) {
	return page.$$eval(
		`[data-test-id="canvas-node"][data-node-name="${nodeName}"] [data-test-id="canvas-node-output-handle"]`,
		(handles) =>
			handles.map((handle) => {
				const text = (/** @type {Element | null} */ element) =>
					(element?.textContent ?? '').replace(/\s+/g, ' ').trim();
				const label = handle.querySelector('[class*="_runDataLabel_"]');
				const own = text(handle.querySelector('[class*="_outputLabel_"]')) || text(handle);
				return label ? `${own} ${text(label)}` : own;
			}),
	);
}

/**
 * The item count on the connection from one node to another ("2 items"), or '' when there is none.
 * @param {Page} page @param {string} source @param {string} target @returns {Promise<string>}
 */
function edgeLabel(page, source, target) {
	return page
		.$$eval(
			`[data-test-id="edge-label"][data-source-node-name="${source}"][data-target-node-name="${target}"]`,
			(labels) => labels.map((label) => (label.textContent ?? '').trim()),
		)
		.then((labels) => labels.join(' '));
}

/** @param {Page} page @returns {Promise<string[]>} the texts of the error toasts on screen */
function errorToasts(page) {
	return visibleTexts(
		page,
		'.el-notification--error, [data-test-id="toast"].error, .el-message--error',
	);
}

module.exports = {
	pause,
	openWorkflow,
	openNodePanel,
	closeNodePanel,
	visibleTexts,
	parameterLabels,
	dropdownEntries,
	chooseOption,
	addCollectionField,
	openLocatorList,
	locatorEntries,
	searchLocatorList,
	pickLocatorEntry,
	locatorError,
	pressEscape,
	executeWorkflow,
	outputHandleTexts,
	edgeLabel,
	errorToasts,
};
