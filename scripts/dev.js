// @ts-check
'use strict';

/**
 * `npm run dev`: the cStar emulator and an n8n editor on localhost, with this package installed
 * from its tarball, a cStar credential that points at the emulator, and the examples imported.
 * Open the printed URL, log in, and try the node by hand. Ctrl-C stops both.
 */
const { startEmulator } = require('../emulator');
const { exampleFiles, loadExample } = require('./examples');
const n8n = require('../harness');

const CREDENTIAL = { id: 'devCstarCred', name: 'cStar (local emulator)' };

/** @param {string} line */
const progress = (line) => process.stdout.write(`  · ${line}\n`);

async function main() {
	const emulatorPort = Number(process.env.CSTAR_EMULATOR_PORT ?? 8787);
	const n8nPort = Number(process.env.N8N_PORT ?? 5678);
	const emu = await startEmulator({
		port: emulatorPort,
		seed: 1,
		tickets: 500,
		customers: 200,
		articles: 50,
	});
	progress(`cStar emulator on ${emu.url} (team ${emu.teamId})`);
	await n8n.prepareRuntime({ log: progress });
	const userFolder = await n8n.createUserFolder({ log: progress });
	await n8n.importCredentials(userFolder, [
		{
			...CREDENTIAL,
			type: 'cstarApi',
			data: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
		},
	]);
	const settings = { cstarUrl: emu.url, teamId: emu.teamId };
	await n8n.importWorkflow(
		userFolder,
		exampleFiles().map((file) => loadExample(file, { credential: CREDENTIAL, settings })),
	);
	progress('imported the credential "cStar (local emulator)" and the example workflows');
	const server = await n8n.startN8nServer(userFolder, { port: n8nPort });

	process.stdout.write(`
n8n editor:  ${server.url}
  log in as  ${server.email} / ${server.password}
cStar emulator: ${emu.url}   secret key ${emu.keys.secret}   team ${emu.teamId}
Try the "cStar:" workflows, or add a Cstar Bulk node to a new one. Ctrl-C stops everything.
`);

	const stop = async () => {
		await server.stop();
		await emu.close();
		n8n.removeUserFolder(userFolder);
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`dev failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
