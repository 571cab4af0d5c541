// @ts-check
'use strict';

/**
 * Runs the cStar emulator in its own process for the bench, so its work never shares a thread with n8n,
 * the floor client or the bench itself. Options come as JSON in argv[2]; once listening it prints one
 * JSON line { url, teamId, key } and then serves until its parent closes stdin or sends SIGTERM. The
 * bench drives it through the emulator's HTTP control API (/__emulator/...).
 */

const { startEmulator } = require('../../emulator');

async function main() {
	/** @type {import('../../emulator').EmulatorOptions} */
	const options = JSON.parse(process.argv[2] ?? '{}');
	const emulator = await startEmulator(options);
	process.stdout.write(
		`${JSON.stringify({ url: emulator.url, teamId: emulator.teamId, key: emulator.keys.secret })}\n`,
	);
	const stop = () => {
		emulator.close().finally(() => process.exit(0));
	};
	process.on('SIGTERM', stop);
	process.stdin.on('end', stop);
	process.stdin.resume();
}

main().catch((error) => {
	process.stderr.write(
		`emulator failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
	);
	process.exit(1);
});
