// @ts-check
'use strict';

/**
 * `npm run screenshots`: the README's pictures, taken in headless Chromium from the real n8n editor
 * (the same set-up as the browser suite) and written to docs/images/:
 *   example-workflow.png  the "close every open ticket" example on the canvas;
 *   node-panel.png        the Cstar Bulk panel of that example (Ticket, Update, fields, options);
 *   finished-run.png      the "delete customers" example after a run, Succeeded and Failed counted;
 *   member-picker.png     Update Fields' Assigned To with the member list open (docs/pickers.md).
 * Only this command writes them; no test does.
 */
const fs = require('node:fs');
const path = require('node:path');
const { launchChromium } = require('./browser/chromium');
const {
	startEditorStack,
	loggedInPage,
	DELETE_EXAMPLE,
	PICKER_WORKFLOW,
} = require('./browser/editor');
const ui = require('./browser/ui');

const IMAGES_DIR = path.resolve(__dirname, '..', 'docs', 'images');
const CLOSE_EXAMPLE = { id: 'cstarCloseTickets', node: 'Close tickets' };

/** @param {string} line */
const progress = (line) => process.stdout.write(`  · ${line}\n`);

/** @param {import('puppeteer-core').Page} page @param {string} name */
async function save(page, name) {
	const file = path.join(IMAGES_DIR, name);
	await page.screenshot({ path: /** @type {`${string}.png`} */ (file) });
	progress(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main() {
	fs.mkdirSync(IMAGES_DIR, { recursive: true });
	const stack = await startEditorStack({ log: progress });
	const browser = await launchChromium({ log: progress });
	try {
		const page = await loggedInPage(browser, stack.server);
		await ui.openWorkflow(page, stack.server.url, CLOSE_EXAMPLE.id);
		await ui.pause(1000);
		await save(page, 'example-workflow.png');
		await ui.openNodePanel(page, CLOSE_EXAMPLE.node);
		await save(page, 'node-panel.png');
		await ui.closeNodePanel(page);
		await ui.openWorkflow(page, stack.server.url, DELETE_EXAMPLE.id);
		await ui.executeWorkflow(page, DELETE_EXAMPLE.node);
		await save(page, 'finished-run.png');
		await ui.openWorkflow(page, stack.server.url, PICKER_WORKFLOW.id);
		await ui.openNodePanel(page, PICKER_WORKFLOW.node);
		await ui.addCollectionField(page, 'Assigned To');
		await ui.openLocatorList(page, 'assignedTo');
		await save(page, 'member-picker.png');
	} finally {
		await browser.close();
		await stack.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`screenshots failed: ${error instanceof Error ? error.stack : error}\n`);
	process.exit(1);
});
