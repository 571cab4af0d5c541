/**
 * The setup every emulator-backed e2e file shares: an emulator, one user folder with the package
 * installed and the file's credentials and workflows imported once, `emu.reset()` between tests,
 * and everything removed after the file. Call `emulatorSuite()` inside the file's `describe`.
 */
import type { EmulatorOptions } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import {
	createUserFolder,
	executeAndParseRun,
	importCredentials,
	importWorkflow,
	removeUserFolder,
	requestJson,
	startN8nServer,
	type CredentialImport,
	type ExecuteResult,
	type N8nServer,
} from '../../../harness';
import { leakIn, type CredentialRef, type Emulator } from './workflows';

export interface Imports {
	credentials: CredentialImport[];
	workflows: Array<Record<string, unknown>>;
}

export interface SuiteSetup {
	emulator: EmulatorOptions;
	/**
	 * Called with the started emulator before the user folder is made; returns what to import once.
	 */
	prepare?: (emu: Emulator) => Imports | void;
	/** Also start `n8n start` on the user folder (for the editor's credential test). */
	server?: boolean;
}

export interface Suite {
	emu: Emulator;
	userFolder: string;
	server: N8nServer | undefined;
	/** Every run `execute` made, for the final check that no key leaked. */
	runs: ExecuteResult[];
	/** Runs an imported workflow and records the run; throws when n8n printed none. */
	execute: (id: string) => Promise<ExecuteResult>;
}

/** A cstarApi credential for the emulator's team, with its secret key unless another is given. */
export function emulatorCredential(
	ref: CredentialRef,
	emu: Emulator,
	apiKey = emu.keys.secret,
): CredentialImport {
	return { ...ref, type: 'cstarApi', data: { apiKey, teamId: emu.teamId, baseUrl: emu.url } };
}

export function emulatorSuite(setup: SuiteSetup): Suite {
	const suite: Suite = {
		emu: undefined as unknown as Emulator,
		userFolder: '',
		server: undefined,
		runs: [],
		execute: async (id) => {
			const result = await executeAndParseRun(suite.userFolder, id);
			suite.runs.push(result);
			if (!result.run)
				throw new Error(
					`n8n printed no run (exit ${result.exitCode}):\n${result.log.slice(-3000)}`,
				);
			return result;
		},
	};

	beforeAll(async () => {
		suite.emu = await startEmulator(setup.emulator);
		const imports = setup.prepare?.(suite.emu);
		suite.userFolder = await createUserFolder();
		if (imports) {
			await importCredentials(suite.userFolder, imports.credentials);
			await importWorkflow(suite.userFolder, imports.workflows);
		}
		if (setup.server) suite.server = await startN8nServer(suite.userFolder);
	});

	beforeEach(() => suite.emu.reset());

	afterAll(async () => {
		if (suite.server) await suite.server.stop();
		if (suite.userFolder) removeUserFolder(suite.userFolder);
		if (suite.emu) await suite.emu.close();
	});

	return suite;
}

/** No key appears in any run's data or in n8n's log, which holds the `n8n execute` commands. */
export function expectNoKeyIn(runs: ExecuteResult[], log: string, keys: string[]): void {
	for (const result of runs) {
		const text = JSON.stringify(result.run);
		for (const key of keys) expect(leakIn(text, key)).toBeUndefined();
	}
	expect(log).toContain('$ n8n execute');
	for (const key of keys) expect(leakIn(log, key)).toBeUndefined();
}

/**
 * Changes one record through cStar's own API (PATCH), as someone else working in cStar would: the
 * emulator stamps its timestamps as it does for any write. Counts as an applied change.
 */
export async function patchRecord(
	emu: Emulator,
	resource: 'tickets' | 'customers' | 'articles',
	id: string,
	changes: Record<string, unknown>,
): Promise<void> {
	const answer = await requestJson(`${emu.url}/api/v1/teams/${emu.teamId}/${resource}/${id}`, {
		method: 'PATCH',
		body: changes,
		headers: { authorization: `Bearer ${emu.keys.secret}` },
	});
	if (answer.status !== 200)
		throw new Error(`PATCH ${resource}/${id}: ${answer.status} ${answer.text.slice(0, 300)}`);
}
