/**
 * What a person sees of a run besides its items, through a real n8n against the emulator: the hints
 * on the node's output panel (n8n keeps them in the run data, `runData[node][i].hints`) after failed
 * ids, a dry run and a rate-limited run, and the progress lines a long run writes to n8n's log:
 * `n8n execute`'s output, and `n8n start`'s for a production run started by a webhook (a queue-mode
 * worker's log is test/queue/progress.e2e.test.ts).
 *
 * The emulator allows one call per 9 s, so a run of five calls waits about 36 s in total: long
 * enough for a line at 30 s and a last line, short enough for a test. Other runs here make one call.
 */
import { sleep } from 'n8n-workflow';

import {
	activateWorkflow,
	n8nLog,
	nodeHints,
	nodeOutputs,
	requestJson,
	runError,
	startN8nServer,
} from '../../harness';
import { webhookWorkflow } from '../queue/support/webhookWorkflow';
import { emulatorCredential, emulatorSuite, expectNoKeyIn } from './support/suite';
import {
	BULK_NODE,
	bulkCalls,
	bulkWorkflow,
	interleave,
	unknownIds,
	type CredentialRef,
	type Emulator,
} from './support/workflows';

const CREDENTIAL: CredentialRef = { id: 'e2eProgress', name: 'cStar (progress)' };
/** A value that must never reach a log line: the update's data. */
const TITLE_MARKER = 'e2e-progress-title-marker';
const RATE_LIMIT = { limit: 1, windowSeconds: 9 };
const LONG_RUN_CALLS = 5;

const UPDATE = {
	resource: 'ticket',
	operation: 'update',
	dataMode: 'fields',
	updateFields: { title: TITLE_MARKER },
};

/** Adds a No Op node after one of Cstar Bulk's outputs (0 Succeeded, 1 Failed). */
function withNodeAfterOutput(
	workflow: Record<string, unknown>,
	output: number,
): Record<string, unknown> {
	const name = output === 1 ? 'Handle failures' : 'Next step';
	const nodes = [
		...(workflow.nodes as unknown[]),
		{
			id: `e2e00000-0000-4000-8000-00000000001${output}`,
			name,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [660, output * 200],
			parameters: {},
		},
	];
	const main: unknown[][] = [[], []];
	main[output] = [{ node: name, type: 'main', index: 0 }];
	const connections = { ...(workflow.connections as object), [BULK_NODE]: { main } };
	return { ...workflow, nodes, connections };
}

/** The lines of n8n's log that the node's progress reporting wrote. */
function progressLines(log: string): string[] {
	return log.split('\n').filter((line) => line.includes(`Cstar Bulk "${BULK_NODE}" (execution`));
}

/** Progress lines of a server's log, once one matches `last` (a run's last line); gives up after 3 min. */
async function linesUntil(log: () => string, last: RegExp): Promise<string[]> {
	for (let waited = 0; waited < 180_000; waited += 1000) {
		const lines = progressLines(log());
		if (lines.some((line) => last.test(line))) return lines;
		await sleep(1000);
	}
	throw new Error(`no line matching ${last} in the server's log:\n${log().slice(-3000)}`);
}

describe('hints and progress through real n8n against the emulator', () => {
	let emu: Emulator;
	let known: string[];
	let unknown: string[];

	const suite = emulatorSuite({
		emulator: { seed: 52, tickets: 600, customers: 10, articles: 10, rateLimit: RATE_LIMIT },
		prepare: (started) => {
			emu = started;
			known = emu.store.ids('tickets');
			unknown = unknownIds('tkt', 7, new Set(known));
			const mixed = interleave(known.slice(0, 93), unknown).map((id) => ({ id }));
			const define = (
				id: string,
				rows: Array<Record<string, unknown>>,
				parameters: Record<string, unknown>,
			) => bulkWorkflow({ id, credential: CREDENTIAL, rows, parameters });
			const workflows = [
				withNodeAfterOutput(define('hintFailedOpen', mixed, UPDATE), 0),
				withNodeAfterOutput(define('hintFailedWired', mixed, UPDATE), 1),
				define(
					'hintDryRun',
					known.slice(0, 250).map((id) => ({ id })),
					{ ...UPDATE, options: { dryRun: true } },
				),
				define(
					'progressLong',
					known.slice(0, LONG_RUN_CALLS * 100).map((id) => ({ id })),
					UPDATE,
				),
				webhookWorkflow({ id: 'progressServer', credential: CREDENTIAL, parameters: UPDATE }),
			];
			return { credentials: [emulatorCredential(CREDENTIAL, emu)], workflows };
		},
	});
	const { execute } = suite;

	test('failed ids, nothing after the Failed output: a warning with the count, the code and "connect the Failed output"', async () => {
		const result = await execute('hintFailedOpen');
		expect(runError(result.run)).toBeUndefined();
		const [, failed] = nodeOutputs(result.run, BULK_NODE);
		expect(failed).toHaveLength(unknown.length);

		expect(nodeHints(result.run, BULK_NODE)).toEqual([
			{
				message: `${unknown.length} ids failed with resource_missing; nothing is connected to the Failed output, so connect the Failed output to handle them.`,
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});

	test('failed ids with a node after the Failed output: the warning points at it instead', async () => {
		const result = await execute('hintFailedWired');
		expect(nodeHints(result.run, BULK_NODE)).toEqual([
			{
				message: `${unknown.length} ids failed with resource_missing; the Failed output lists each id with its error.`,
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});

	test('a dry run: nothing was sent, 250 tickets would be updated in 3 calls', async () => {
		const result = await execute('hintDryRun');
		expect(runError(result.run)).toBeUndefined();
		expect(emu.counts().requests).toBe(0);
		expect(nodeHints(result.run, BULK_NODE)).toEqual([
			{
				message:
					'Dry run: nothing was sent to cStar, and 250 tickets would be updated in 3 calls; turn off Dry Run under Options to apply it.',
				type: 'info',
				location: 'outputPane',
			},
		]);
		// A run this short writes no progress line.
		expect(progressLines(result.log)).toEqual([]);
	});

	test('a rate-limited run of about 36 s: progress lines in n8n’s log with no key, id or data, and a hint with the total wait', async () => {
		const result = await execute('progressLong');
		expect(runError(result.run)).toBeUndefined();
		const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
		expect(succeeded).toHaveLength(LONG_RUN_CALLS * 100);
		expect(failed).toEqual([]);
		expect(bulkCalls(emu).filter((entry) => entry.status === 200)).toHaveLength(LONG_RUN_CALLS);

		const lines = progressLines(result.log);
		const during = lines.slice(0, -1);
		const wait =
			"; waiting for cStar's rate limit until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(\\d+ s left\\)";
		const counts = `\\d of ${LONG_RUN_CALLS} calls done, \\d+ ids confirmed, 0 failed, after \\d+ s`;
		expect(during.length).toBeGreaterThanOrEqual(1);
		for (const line of during) expect(line).toMatch(new RegExp(`: sending, ${counts}(${wait})?$`));
		// The run waits nearly all the time, so the line at 30 s falls in a wait and names it.
		expect(during.some((line) => new RegExp(`${wait}$`).test(line))).toBe(true);
		expect(lines[lines.length - 1]).toMatch(
			new RegExp(
				`: finished, ${LONG_RUN_CALLS} of ${LONG_RUN_CALLS} calls done, ${LONG_RUN_CALLS * 100} ids confirmed, 0 failed, after \\d+ s$`,
			),
		);
		for (const line of lines) {
			expect(line).not.toMatch(/tkt_/);
			expect(line).not.toContain(TITLE_MARKER);
			expect(line).not.toContain(emu.keys.secret);
			expect(line).not.toContain(emu.teamId);
		}

		const hints = nodeHints(result.run, BULK_NODE);
		expect(hints).toHaveLength(1);
		expect(hints[0]).toMatchObject({ type: 'info', location: 'outputPane' });
		expect(hints[0].message).toMatch(
			/^cStar's rate limit made this run wait \d+ s in total \(cStar allows 1,000 calls an hour per key\), and the run resumed by itself; nothing needs fixing, but a run this size takes at least as long again\.$/,
		);
		const waitedSeconds = Number(/wait (\d+) s/.exec(hints[0].message)?.[1]);
		// Four waits for a 9 s window each: the hint counts the wait, not the whole run.
		expect(waitedSeconds).toBeGreaterThanOrEqual(4 * (RATE_LIMIT.windowSeconds - 1));
		expect(waitedSeconds * 1000).toBeLessThan(result.durationMs);
	});

	test('in `n8n start`’s output: a production run started by a webhook writes the same lines', async () => {
		await activateWorkflow(suite.userFolder, 'progressServer');
		const server = await startN8nServer(suite.userFolder);
		try {
			const ids = known.slice(0, LONG_RUN_CALLS * 100);
			const answer = await callWebhookOnceRegistered(`${server.url}/webhook/progressServer`, {
				ids,
			});
			expect(answer.status).toBe(200);
			const finished = new RegExp(
				`: finished, ${LONG_RUN_CALLS} of ${LONG_RUN_CALLS} calls done, ${LONG_RUN_CALLS * 100} ids confirmed, 0 failed, after \\d+ s$`,
			);
			const lines = await linesUntil(server.log, finished);
			expect(lines.length).toBeGreaterThanOrEqual(2);
			for (const line of lines) {
				expect(line).not.toMatch(/tkt_/);
				expect(line).not.toContain(TITLE_MARKER);
			}
		} finally {
			await server.stop();
		}
	});

	test('no key in any run or in n8n’s log', () => {
		expectNoKeyIn(suite.runs, n8nLog(suite.userFolder), [emu.keys.secret]);
	});
});

/**
 * n8n answers its REST API before it has registered an active workflow's webhooks (more so on a
 * busy machine), so a 404 is asked again for a while; any other answer is returned as it is.
 */
async function callWebhookOnceRegistered(url: string, body: unknown) {
	for (let attempt = 1; ; attempt++) {
		const answer = await requestJson(url, { method: 'POST', body });
		if (answer.status !== 404 || attempt === 30) return answer;
		await sleep(1000);
	}
}
