// @ts-check
'use strict';

/**
 * `npm run demo`: the main job, end to end. Starts the cStar emulator with seeded data, prepares a
 * real n8n with this package installed from its npm tarball, runs examples/close-open-tickets.json
 * (Cstar Bulk finds the open tickets itself: search mode) through `n8n execute`, and prints what
 * happened, checked against the emulator's store.
 */
const { startEmulator } = require('../emulator');
const { withStep, writeLine } = require('../harness/status');
const { installDevDependencies } = require('./ensure-installed');
const { loadExample } = require('./examples');
const n8n = require('../harness');

const CREDENTIAL = { id: 'demoCstarCred', name: 'cStar (local emulator)' };
const BULK_NODE = 'Close tickets';

/** @param {string} text */
const say = (text) => writeLine(process.stdout, text);
/** @param {string} line */
const progress = (line) => writeLine(process.stdout, `  · ${line}`);

/** @typedef {import('../emulator').Emulator} Emulator */
/** @typedef {import('../harness').ExecuteResult} ExecuteResult */

/**
 * Steps 2 and 3: a user folder with the package installed, the credential and the example imported.
 * @param {Emulator} emu
 * @param {(userFolder: string) => void} created told the folder as soon as it exists, to remove it
 * @returns {Promise<{ userFolder: string, workflowId: string }>}
 */
async function prepareN8n(emu, created) {
	say(
		'2. Preparing n8n (the first time this installs the dev dependencies, and n8n with Node 24, side by side: a few minutes)',
	);
	// The package is built as soon as the dev dependencies are in, while n8n may still be installing.
	const [runtime, packed] = await Promise.all([
		n8n.prepareRuntime({ log: progress }),
		installDevDependencies(progress).then(() =>
			withStep('building and packing the package', () => n8n.packPackage({ log: progress })),
		),
	]);
	progress(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}`);
	const userFolder = await withStep('installing the package into a new n8n user folder', () =>
		n8n.createUserFolder({ log: progress, packed }),
	);
	created(userFolder);
	progress(
		'package built, packed with npm pack and installed into .n8n/nodes, as users install it',
	);

	say('3. Importing the credential and examples/close-open-tickets.json');
	await withStep('n8n import:credentials', () =>
		n8n.importCredentials(userFolder, [
			{
				...CREDENTIAL,
				type: 'cstarApi',
				data: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
			},
		]),
	);
	const workflow = loadExample('close-open-tickets.json', { credential: CREDENTIAL });
	await withStep('n8n import:workflow', () => n8n.importWorkflow(userFolder, workflow));
	return { userFolder, workflowId: workflow.id };
}

/** An ordinary bad day for an API: one server hiccup and one rate-limit answer. @param {Emulator} emu */
function scriptFaults(emu) {
	emu.faults.script([
		{ type: 'status', status: 503 },
		{ type: 'rateLimit', retryAfter: 1 },
	]);
	progress(
		'cStar will answer one call with 503 and one with 429 (Retry-After: 1); run with --no-faults to skip',
	);
}

/**
 * Prints the report, checked against the emulator's store.
 * @param {Emulator} emu
 * @param {string[]} openBefore the ids of the tickets that were open
 * @param {ExecuteResult} result
 * @param {number} startedAt
 * @returns {boolean} whether everything matched
 */
function report(emu, openBefore, result, startedAt) {
	const [succeeded, failed] = n8n.nodeOutputs(result.run, BULK_NODE);
	const taskData = result.run.data.resultData.runData[BULK_NODE][0];
	const closedNow = openBefore.filter((id) => emu.store.get('tickets', id)?.status === 'closed');
	const log = emu.log;
	const bulk = log.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/bulk'));
	const lists = log.filter((entry) => entry.method === 'GET' && entry.path.endsWith('/tickets'));
	const counts = emu.counts();
	const reasons = new Map();
	for (const item of failed) {
		const key = `${item.json.error?.code}: ${item.json.error?.message}`;
		reasons.set(key, (reasons.get(key) ?? 0) + 1);
	}
	const outputIds = [...succeeded, ...failed].map((item) => item.json.id);
	const open = new Set(openBefore);
	const everyIdOnce =
		outputIds.length === openBefore.length &&
		new Set(outputIds).size === openBefore.length &&
		outputIds.every((id) => open.has(id));
	const appliedOnce = openBefore.filter((id) => emu.appliedCount('tickets', id) === 1).length;
	const otherChanges = Object.keys(emu.appliedCounts()).length - appliedOnce;
	const stillOpen = emu.store.list('tickets').filter((ticket) => ticket.status === 'open').length;
	const beforeShown = succeeded.filter((item) => item.json.before?.status === 'open').length;
	const listedFirst = lists.every((entry) => entry.seq < (bulk[0]?.seq ?? Infinity));

	say('\nReport');
	say(
		`  Tickets found by Cstar Bulk's search (status = open): ${openBefore.length}, in ${lists.length} list calls of 100, all before the first change: ${listedFirst ? 'yes' : 'NO'}`,
	);
	say(
		`  Succeeded: ${succeeded.length}   (cStar confirmed each one; ${beforeShown} carry their status before, for undo)`,
	);
	say(`  Failed:    ${failed.length}`);
	for (const [reason, count] of reasons) say(`    ${count} × ${reason}`);
	say(
		`  Bulk calls to cStar: ${bulk.length} for ${openBefore.length} ids (the minimum is ${Math.ceil(openBefore.length / 100)})`,
	);
	say(
		`    answers: ${Object.entries(counts.byStatus)
			.map(([status, n]) => `${n}× ${status}`)
			.join(', ')}; 429s waited out: ${counts.rateLimited}`,
	);
	say(
		`  Checked in the emulator's store: ${closedNow.length} of ${openBefore.length} open tickets are now closed, ${appliedOnce} changed exactly once; open tickets left: ${stillOpen}; other records changed: ${otherChanges}; changes applied twice: ${counts.idsAppliedTwice}`,
	);
	say(`  Every id on exactly one output: ${everyIdOnce ? 'yes' : 'NO'}`);
	say(
		`  Time: Cstar Bulk node ${(taskData.executionTime / 1000).toFixed(2)} s, n8n execute ${(result.durationMs / 1000).toFixed(1)} s, whole demo ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
	);
	return (
		everyIdOnce &&
		listedFirst &&
		failed.length === 0 &&
		closedNow.length === openBefore.length &&
		appliedOnce === openBefore.length &&
		stillOpen === 0 &&
		otherChanges === 0 &&
		beforeShown === succeeded.length &&
		counts.idsAppliedTwice === 0
	);
}

async function main() {
	const faults = !process.argv.includes('--no-faults');
	const tickets = Number(argValue('--tickets') ?? 2500);
	const startedAt = Date.now();

	say(
		'cStar bulk demo: close every open ticket, through real n8n, against the local cStar emulator\n',
	);
	say('1. Starting the cStar emulator');
	const emu = await startEmulator({ seed: 1, tickets, customers: 50, articles: 20 });
	const openBefore = emu.store
		.list('tickets')
		.filter((ticket) => ticket.status === 'open')
		.map((ticket) => String(ticket.id));
	progress(
		`${emu.url}, team ${emu.teamId}, ${tickets} tickets of which ${openBefore.length} are open`,
	);

	let userFolder = '';
	try {
		const prepared = await prepareN8n(emu, (folder) => (userFolder = folder));
		if (faults) scriptFaults(emu);

		say('4. Running the workflow with n8n execute');
		const result = await withStep('n8n execute', () =>
			n8n.executeAndParseRun(userFolder, prepared.workflowId),
		);
		if (!result.run)
			throw new Error(`n8n printed no run (exit ${result.exitCode}):\n${result.log.slice(-3000)}`);
		const ok = report(emu, openBefore, result, startedAt);
		say(ok ? '\nDemo passed.' : '\nDemo found a mismatch (see above).');
		if (!ok) process.exitCode = 1;
	} finally {
		if (userFolder) n8n.removeUserFolder(userFolder);
		await emu.close();
	}
}

/** @param {string} name */
function argValue(name) {
	const index = process.argv.indexOf(name);
	return index === -1 ? undefined : process.argv[index + 1];
}

main().catch((error) => {
	process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
