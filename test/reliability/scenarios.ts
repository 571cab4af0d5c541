import { NodeApiError, sleep, type INodeExecutionData } from 'n8n-workflow';

import type { BulkAction } from '../../nodes/CstarBulk/bulk/types';
import type { ResourceChoice } from '../../nodes/CstarBulk/description/resourceOperation';
import type { NodeRun, OnError } from '../support/executeContext';
import {
	bulkCalls,
	codeOf,
	credentials,
	idOf,
	messageOf,
	returned,
	runNode,
	threw,
	type Emulator,
	type NodeResult,
} from './harness';
import { acceptedPairs, checkInvariants, type Tally } from './invariants';

/**
 * The fault matrix of issue 6, one entry per scenario. faultMatrix.test.ts runs each with On Error
 * = Continue and checks the invariants; security.test.ts runs each again in the other modes
 * (stop, and Continue using error output) for the canary, and re-checks the invariants there.
 */

const API_NAME = { ticket: 'tickets', customer: 'customers', article: 'articles' } as const;

export interface ScenarioInput {
	resource: ResourceChoice;
	action: BulkAction;
	/** The ids each input item names. */
	ids: string[][];
	data?: Record<string, unknown>;
	/** Data per item, where items ask different things (overrides `data`). */
	dataPerItem?: Array<Record<string, unknown>>;
	options?: Record<string, unknown>;
	credentials?: Record<string, string>;
}

export interface Outcome {
	emu: Emulator;
	input: ScenarioInput;
	mode: OnError;
	result: NodeResult;
	/** ms from the abort to execute() returning, when the scenario aborted the run. */
	abortToReturnMs?: number;
}

export interface Scenario {
	name: string;
	/** What the scenario checks beyond the invariants, for the report. */
	checked: string;
	/** A failure that stops the node (On Error = Stop throws). */
	fatal?: boolean;
	input: (emu: Emulator) => ScenarioInput;
	arrange?: (emu: Emulator) => void;
	/** Runs alongside execute(); `abort` cancels the execution. */
	during?: (emu: Emulator, abort: () => void) => Promise<void>;
	/** Scenario-specific assertions; returns a short note for the report (counts only). */
	verify: (outcome: Outcome) => string | void;
}

const ticketIds = (emu: Emulator, count: number, from = 0) =>
	emu.store.ids('tickets').slice(from, from + count);
const onePerItem = (ids: string[]) => ids.map((id) => [id]);
const codes = (items: INodeExecutionData[]) => items.map(codeOf);
const statuses = (emu: Emulator) =>
	bulkCalls(emu).map((call) => (call.dropped ? 'dropped' : call.status));
const keysOf = (emu: Emulator) =>
	new Set(bulkCalls(emu).map((call) => call.headers['idempotency-key']));

/** Runs one scenario in one On Error mode and checks the invariants. */
export async function runScenario(
	emu: Emulator,
	scenario: Scenario,
	mode: OnError,
): Promise<{ outcome: Outcome; tally: Tally }> {
	emu.reset();
	emu.setErrorsShape('byId');
	emu.setClockSkew(0);
	emu.setRateLimit({});
	const input = scenario.input(emu);
	scenario.arrange?.(emu);
	const controller = new AbortController();
	const run: NodeRun = {
		items: input.ids.map((ids) => ({ json: { ids } as never })),
		parameters: {
			resource: input.resource,
			operation: input.action,
			ids: (item: number) => input.ids[item],
			dataMode: 'fields',
			updateFields: input.dataPerItem
				? (item: number) => input.dataPerItem?.[item]
				: (input.data ?? {}),
			options: input.options ?? {},
		},
		credentials: credentials(emu, input.credentials),
		onError: mode,
		signal: controller.signal,
	};
	let abortedAt: number | undefined;
	let returnedAt = 0;
	const running = runNode(run).then((result) => {
		returnedAt = Date.now();
		return result;
	});
	if (scenario.during) {
		await Promise.all([
			running,
			scenario.during(emu, () => {
				abortedAt = Date.now();
				controller.abort();
			}),
		]);
	}
	const result = await running;
	const tally = checkInvariants(
		emu,
		{
			resource: API_NAME[input.resource],
			action: input.action,
			pairs: acceptedPairs(input.ids),
			dataOf: (item) => input.dataPerItem?.[item] ?? input.data,
			secret: emu.keys.secret,
		},
		result,
	);
	const outcome: Outcome = {
		emu,
		input,
		mode,
		result,
		abortToReturnMs: abortedAt === undefined ? undefined : returnedAt - abortedAt,
	};
	return { outcome, tally };
}

/** For a non-fatal scenario: every mode returns the same two outputs. */
function outputs(outcome: Outcome) {
	return returned(outcome.result);
}

/** For a fatal scenario: stop mode throws a NodeApiError, the Continue modes report every affected id. */
function stopped(outcome: Outcome, message: RegExp, code: string, succeededBefore: number): string {
	if (outcome.mode === 'stopWorkflow') {
		const { error } = threw(outcome.result);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(new RegExp(`cStar confirmed ${succeededBefore} ids`));
		return `stops with "${error.message}"`;
	}
	const { succeeded, failed } = outputs(outcome);
	const all = outcome.input.ids.flat();
	expect(succeeded.map(idOf)).toEqual(all.slice(0, succeededBefore));
	expect(failed.map(idOf)).toEqual(all.slice(succeededBefore));
	expect(new Set(codes(failed))).toEqual(new Set([code]));
	if (outcome.mode === 'continueErrorOutput') {
		for (const item of failed)
			expect(Object.keys(item.json).sort()).toEqual(['details', 'error', 'message']);
	}
	return `${succeeded.length} confirmed before, ${failed.length} on Failed with ${code}`;
}

function allSucceeded(outcome: Outcome, calls: number): string {
	const { succeeded, failed } = outputs(outcome);
	expect(failed).toEqual([]);
	expect(succeeded.map(idOf)).toEqual(outcome.input.ids.flat());
	expect(bulkCalls(outcome.emu)).toHaveLength(calls);
	expect(keysOf(outcome.emu).size).toBe(1);
	return `${succeeded.length} ids confirmed after ${calls} calls with one Idempotency-Key`;
}

function allFailed(outcome: Outcome, code: string, message: RegExp): INodeExecutionData[] {
	const { succeeded, failed } = outputs(outcome);
	expect(succeeded).toEqual([]);
	expect(failed.map(idOf)).toEqual(outcome.input.ids.flat());
	expect(new Set(codes(failed))).toEqual(new Set([code]));
	for (const item of failed) expect(messageOf(item)).toMatch(message);
	return failed;
}

const closeTickets =
	(count: number, options: Record<string, unknown> = {}) =>
	(emu: Emulator): ScenarioInput => ({
		resource: 'ticket',
		action: 'update',
		ids: onePerItem(ticketIds(emu, count)),
		data: { status: 'closed', priority: 'urgent' },
		options,
	});

const revoked = (code: string, message: string) => ({
	success: false,
	error: { type: 'authentication_error', code, message, request_id: 'req_revoked' },
});

export const SCENARIOS: Scenario[] = [
	{
		name: '429 once, then success',
		checked: 'waits Retry-After (1 s) and resends with the same Idempotency-Key; all confirmed',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'rateLimit', retryAfter: 1 }]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([429, 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: '429 storm beyond maxRateLimitWait',
		checked:
			'every call gets 429 (Retry-After 1 s, Max Rate Limit Wait 2 s): gives up with rate_limited, "Not sent", nothing applied',
		input: closeTickets(3, { maxRateLimitWait: 2 }),
		arrange: (emu) => emu.faults.set({ rateLimitStorm: { forMs: 120_000, retryAfter: 1 } }),
		verify: (outcome) => {
			allFailed(outcome, 'rate_limited', /^Not sent: .*Max Rate Limit Wait/);
			expect(statuses(outcome.emu).every((status) => status === 429)).toBe(true);
			expect(outcome.emu.counts().idsApplied).toBe(0);
			return `${outcome.input.ids.length} ids on Failed, every call answered 429`;
		},
	},
	{
		name: '429 with Retry-After as an HTTP date',
		checked:
			'Retry-After is an HTTP date 2 s ahead, no retryAfter in the body; Max Rate Limit Wait 10 s, so the 60 s default would fail: all confirmed',
		input: closeTickets(3, { maxRateLimitWait: 10 }),
		arrange: (emu) =>
			emu.faults.script([
				{
					type: 'rateLimit',
					retryAfter: 2,
					retryAfterFormat: 'http-date',
					bodyRetryAfter: false,
					message: 'Rate limit exceeded.',
				},
			]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([429, 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: '429 with no header, only the message',
		checked:
			'a 429 with no headers at all (no Retry-After, no X-RateLimit-*) and no retryAfter, only "Try again in 1 seconds."; Max Rate Limit Wait 10 s (the 60 s default would fail): all confirmed',
		input: closeTickets(3, { maxRateLimitWait: 10 }),
		arrange: (emu) =>
			emu.faults.script([
				{
					type: 'status',
					status: 429,
					body: {
						success: false,
						error: {
							type: 'rate_limit_error',
							code: 'rate_limit_exceeded',
							message: 'Rate limit exceeded. Try again in 1 seconds.',
						},
					},
				},
			]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([429, 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: '500 once',
		checked: 'backs off and resends with the same Idempotency-Key; all confirmed',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'status', status: 500 }]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([500, 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: '502 with an HTML body from a proxy',
		checked: 'the nginx HTML page is not read as an answer; resent, all confirmed',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'status', status: 502 }]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([502, 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: '503, then success',
		checked: 'resent once, all confirmed',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'status', status: 503 }]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([503, 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: '5xx on every try',
		checked: 'Max Retries 2: 3 tries, then outcome_unknown ("may or may not"), never Succeeded',
		input: closeTickets(3, { maxRetries: 2 }),
		arrange: (emu) => emu.faults.set({ rate5xx: 1, status: 503 }),
		verify: (outcome) => {
			allFailed(outcome, 'outcome_unknown', /may or may not/);
			expect(statuses(outcome.emu)).toEqual([503, 503, 503]);
			return '3 ids on Failed with outcome_unknown after 3 tries';
		},
	},
	{
		name: 'connection reset before the request is processed',
		checked: 'the socket is destroyed before processing; resent, all confirmed, applied once',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'drop' }]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual(['dropped', 200]);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: 'connection reset after the change is applied (idempotency)',
		checked:
			'applied, then the socket is destroyed unanswered; the resend is answered from the idempotency cache: all confirmed, applied exactly once',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'dropAfterApply' }]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual(['dropped', 200]);
			expect(bulkCalls(outcome.emu)[1].replayed).toBe(true);
			expect(outcome.emu.counts().idsApplied).toBe(3);
			return allSucceeded(outcome, 2);
		},
	},
	{
		name: 'a response slower than timeout',
		checked:
			'applied but answered after 1.5 s with Timeout 1 s; resent until the stored answer is replayed: all confirmed, applied once',
		input: closeTickets(3, { timeout: 1000 }),
		arrange: (emu) => emu.faults.script([{ type: 'slow', delayMs: 1500 }]),
		verify: (outcome) => {
			const calls = bulkCalls(outcome.emu);
			expect(calls.length).toBeGreaterThanOrEqual(2);
			expect(calls[calls.length - 1].replayed).toBe(true);
			expect(outcome.emu.counts().idsApplied).toBe(3);
			allSucceeded(outcome, calls.length);
			return '3 ids confirmed with one Idempotency-Key, applied once';
		},
	},
	{
		name: 'a 200 with invalid JSON',
		checked: 'not read as an answer; resent, all confirmed',
		input: closeTickets(3),
		arrange: (emu) =>
			emu.faults.script([
				{ type: 'status', status: 200, body: '{"success":true,"data":{"succeeded":3' },
			]),
		verify: (outcome) => allSucceeded(outcome, 2),
	},
	{
		name: 'a 200 with an empty body',
		checked: 'not read as an answer; resent, all confirmed',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'status', status: 200 }]),
		verify: (outcome) => allSucceeded(outcome, 2),
	},
	{
		name: 'a 200 with success:false',
		checked: "every id on Failed with cStar's code (lower-cased); not resent; nothing applied",
		input: closeTickets(3),
		arrange: (emu) =>
			emu.faults.script([
				{
					type: 'status',
					status: 200,
					body: {
						success: false,
						error: { code: 'BULK_FAILED', message: 'Bulk operation failed' },
					},
				},
			]),
		verify: (outcome) => {
			allFailed(outcome, 'bulk_failed', /Bulk operation failed/);
			expect(bulkCalls(outcome.emu)).toHaveLength(1);
			return '3 ids on Failed with bulk_failed';
		},
	},
	{
		name: 'a 200 whose counts are unreadable, after applying',
		checked:
			'succeeded: null in the answer, replayed the same on the resend: invalid_response ("may or may not"), never Succeeded; applied once',
		input: closeTickets(3, { maxRetries: 1 }),
		arrange: (emu) => emu.faults.script([{ type: 'bulkResult', patch: { succeeded: null } }]),
		verify: (outcome) => {
			allFailed(outcome, 'invalid_response', /may or may not/);
			expect(outcome.emu.counts().idsApplied).toBe(3);
			return '3 applied ids on Failed with invalid_response';
		},
	},
	...(['byId', 'byIndex', 'strings'] as const).map(
		(shape): Scenario => ({
			name: `errors entries ${shape === 'byId' ? 'by id' : shape === 'byIndex' ? 'by index' : 'as bare strings'}`,
			checked: `errorsShape ${shape}; 3 known and 2 unknown ids: the known confirmed, the unknown on Failed`,
			input: (emu) => {
				const [a, b, c] = ticketIds(emu, 3);
				return {
					resource: 'ticket',
					action: 'delete',
					ids: [[a], ['tkt_unknown_1'], [b], ['tkt_unknown_2'], [c]],
				};
			},
			arrange: (emu) => emu.setErrorsShape(shape),
			verify: (outcome) => {
				const { succeeded, failed } = outputs(outcome);
				const all = outcome.input.ids.flat();
				expect(succeeded.map(idOf)).toEqual([all[0], all[2], all[4]]);
				expect(failed.map(idOf)).toEqual([all[1], all[3]]);
				expect(codes(failed)).toEqual(
					shape === 'strings'
						? ['cstar_reported_failure', 'cstar_reported_failure']
						: ['resource_missing', 'resource_missing'],
				);
				return '3 confirmed, 2 on Failed';
			},
		}),
	),
	{
		name: 'errors as bare strings, naming an id that contains another id of the call',
		checked:
			'ids X and "X:copy" (unknown) in one call; "X:copy: Ticket not found" must fail X:copy, not X',
		input: (emu) => {
			const [a, b] = ticketIds(emu, 2);
			return { resource: 'ticket', action: 'delete', ids: [[a], [`${a}:copy`], [b]] };
		},
		arrange: (emu) => emu.setErrorsShape('strings'),
		verify: (outcome) => {
			const { succeeded, failed } = outputs(outcome);
			const all = outcome.input.ids.flat();
			expect(succeeded.map(idOf)).toEqual([all[0], all[2]]);
			expect(failed.map(idOf)).toEqual([all[1]]);
			return '2 confirmed, X:copy on Failed';
		},
	},
	{
		name: 'errors missing while failed > 0',
		checked:
			'errorsShape countsOnly with 1 unknown id: the failure cannot be attributed, so every id of the call is outcome_unknown',
		input: (emu) => {
			const [a, b, c] = ticketIds(emu, 3);
			return { resource: 'ticket', action: 'delete', ids: [[a], ['tkt_unknown_1'], [b], [c]] };
		},
		arrange: (emu) => emu.setErrorsShape('countsOnly'),
		verify: (outcome) => {
			allFailed(outcome, 'outcome_unknown', /does not say which ids failed/);
			return '4 ids on Failed with outcome_unknown';
		},
	},
	{
		name: 'succeeded + failed not equal to the ids sent',
		checked:
			'the answer says succeeded 2 of 3 ids with no failures: outcome_unknown for all 3, none Succeeded',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'bulkResult', patch: { succeeded: 2 } }]),
		verify: (outcome) => {
			allFailed(outcome, 'outcome_unknown', /may or may not/);
			return '3 ids on Failed with outcome_unknown';
		},
	},
	{
		name: '401 halfway (key revoked during the run)',
		checked:
			'the key is revoked while the first of 3 calls is processed: 100 confirmed; the other 150 on Failed with invalid_api_key (Continue), or a NodeApiError saying 100 were confirmed (Stop)',
		fatal: true,
		input: closeTickets(250),
		arrange: (emu) =>
			emu.faults.script([
				{
					type: 'bulkResult',
					mutate: (data) => {
						emu.revokeKey(emu.keys.secret);
						return data;
					},
				},
			]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([200, 401]);
			return stopped(outcome, /did not accept the API key/, 'invalid_api_key', 100);
		},
	},
	{
		name: '403 halfway',
		checked:
			'1st call applied, 2nd answered 403 insufficient_permissions: 100 confirmed, 150 on Failed with that code (Continue), or a NodeApiError (Stop)',
		fatal: true,
		input: closeTickets(250),
		arrange: (emu) =>
			emu.faults.script([
				{ type: 'slow', delayMs: 0 },
				{
					type: 'status',
					status: 403,
					body: revoked('insufficient_permissions', 'Secret key required for this endpoint'),
				},
			]),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([200, 403]);
			return stopped(outcome, /not allowed to make bulk changes/, 'insufficient_permissions', 100);
		},
	},
	{
		name: 'applied, answer lost, then a 429 beyond maxRateLimitWait',
		checked:
			'the ids may have changed on the first try, so the rate_limited failure must say "Not confirmed", not "Not sent"; applied once',
		input: closeTickets(3, { maxRateLimitWait: 5 }),
		arrange: (emu) =>
			emu.faults.script([{ type: 'dropAfterApply' }, { type: 'rateLimit', retryAfter: 600 }]),
		verify: (outcome) => {
			allFailed(outcome, 'rate_limited', /^Not confirmed: /);
			expect(outcome.emu.counts().idsApplied).toBe(3);
			return '3 applied ids on Failed with rate_limited, "Not confirmed"';
		},
	},
	{
		name: 'the execution cancelled during a long rate-limit wait',
		checked:
			'429 with Retry-After 600 s; cancelled 300 ms into the wait: execute() returns within 1 s of the abort, all 150 ids on Failed with cancelled, "Not sent"',
		input: closeTickets(150, { maxRateLimitWait: 900 }),
		arrange: (emu) => emu.faults.script([{ type: 'rateLimit', retryAfter: 600 }]),
		during: async (emu, abort) => {
			for (let waited = 0; emu.counts().rateLimited === 0; waited += 20) {
				if (waited > 10_000) throw new Error('the node never reached the rate limit');
				await sleep(20);
			}
			await sleep(300);
			abort();
		},
		verify: (outcome) => {
			expect(outcome.abortToReturnMs).toBeDefined();
			expect(outcome.abortToReturnMs).toBeLessThan(1000);
			allFailed(outcome, 'cancelled', /^Not sent: /);
			expect(bulkCalls(outcome.emu)).toHaveLength(1);
			return '150 ids on Failed with cancelled; returned within 1 s of the abort';
		},
	},
	{
		name: 'lost, then refused on the resend (400)',
		checked:
			'applied, the answer lost, then the resend answered 400: the ids are outcome_unknown ("may or may not"), never "Nothing in it was changed" or "Not sent"; applied once',
		input: closeTickets(3),
		arrange: (emu) =>
			emu.faults.script([
				{ type: 'dropAfterApply' },
				{ type: 'status', status: 400, body: revoked('parameter_invalid', 'bad') },
			]),
		verify: (outcome) => {
			const failed = allFailed(outcome, 'outcome_unknown', /may or may not have changed/);
			for (const item of failed) expect(messageOf(item)).not.toMatch(/Nothing in it|Not sent/);
			expect(outcome.emu.counts().idsApplied).toBe(3);
			return '3 applied ids on Failed with outcome_unknown';
		},
	},
	{
		name: 'team lookup fails (whoami 503 on every try)',
		checked:
			'Team ID empty and whoami answers 503 until the retries are spent: no bulk call; every id "not sent" with team_lookup_failed, naming the lookup and the fix (set Team ID)',
		fatal: true,
		input: (emu) => ({ ...closeTickets(3, { maxRetries: 1 })(emu), credentials: { teamId: '' } }),
		arrange: (emu) =>
			emu.faults.set({ rate5xx: 1, status: 503, match: { pathIncludes: '/auth/whoami' } }),
		verify: (outcome) => {
			expect(bulkCalls(outcome.emu)).toEqual([]);
			if (outcome.mode === 'stopWorkflow') {
				expect(threw(outcome.result).error.description).toMatch(/Set "Team ID"/);
				return 'stops before any bulk call';
			}
			const { failed } = outputs(outcome);
			expect(new Set(codes(failed))).toEqual(new Set(['team_lookup_failed']));
			return `${failed.length} ids on Failed with team_lookup_failed, no bulk call`;
		},
	},
	{
		name: '413 above 2 ids: the batch is halved down to what cStar takes',
		checked:
			'every bulk call naming more than 2 ids is answered 413 unprocessed; the node halves the batch until cStar takes it: all 7 confirmed, applied once',
		input: closeTickets(7),
		arrange: (emu) => emu.faults.set({ maxBulkIds: 2 }),
		verify: (outcome) => {
			const { succeeded, failed } = outputs(outcome);
			expect(failed).toEqual([]);
			expect(succeeded).toHaveLength(7);
			expect(outcome.emu.counts().idsApplied).toBe(7);
			return `7 ids confirmed in ${bulkCalls(outcome.emu).filter((c) => c.status === 200).length} accepted calls`;
		},
	},
	...[
		['a lost answer', { type: 'drop' as const }],
		['a 503', { type: 'status' as const, status: 503 }],
	].map(
		([what, first]): Scenario => ({
			name: `413 on the resend after ${what}: still halved`,
			checked: `bulk calls naming more than 2 ids get 413; the first try gets ${what} instead: the 413 on the resend proves the first try was too large too, so the batch is halved as usual: all 7 confirmed, applied once, none "may have changed"`,
			input: closeTickets(7),
			arrange: (emu) => {
				emu.faults.set({ maxBulkIds: 2 });
				emu.faults.script([first as never]);
			},
			verify: (outcome) => {
				const { succeeded, failed } = outputs(outcome);
				expect(failed).toEqual([]);
				expect(succeeded).toHaveLength(7);
				expect(outcome.emu.counts().idsApplied).toBe(7);
				return '7 ids confirmed after the 413 on the resend';
			},
		}),
	),
	{
		name: 'errors indexes counted from 1',
		checked:
			'errorsShape fromOne (1-based indexes; the first entry also names its id, the second only its index), 2 unknown ids among 5: the named one fails with its code, the index-only one is not guessed, so every other id is outcome_unknown, none Succeeded',
		input: (emu) => {
			const [a, b, c] = ticketIds(emu, 3);
			return {
				resource: 'ticket',
				action: 'delete',
				ids: [[a], ['tkt_unknown_1'], [b], ['tkt_unknown_2'], [c]],
			};
		},
		arrange: (emu) => emu.setErrorsShape('fromOne'),
		verify: (outcome) => {
			const { succeeded, failed } = outputs(outcome);
			expect(succeeded).toEqual([]);
			const codeById = Object.fromEntries(failed.map((item) => [idOf(item), codeOf(item)]));
			expect(codeById.tkt_unknown_1).toBe('resource_missing');
			for (const id of outcome.input.ids.flat().filter((id) => id !== 'tkt_unknown_1'))
				expect(codeById[id]).toBe('outcome_unknown');
			return '1 id failed with its code, 4 outcome_unknown, none Succeeded';
		},
	},
	...[
		['ahead of ours', 400_000],
		['behind ours', -400_000],
	].map(
		([how, skewMs]): Scenario => ({
			name: `cStar's clock 400 s ${how}`,
			checked: `cStar's clock runs 400 s ${how} (Date header and X-RateLimit-Reset on its clock), 2 calls per 2 s window, 5 calls, Max Rate Limit Wait 10 s: the pacer reads the reset against cStar's Date, waits for the true end of each window: all confirmed, no 429`,
			input: closeTickets(5, { batchSize: 1, maxRateLimitWait: 10 }),
			arrange: (emu) => {
				emu.setRateLimit({ limit: 2, windowSeconds: 2 });
				emu.setClockSkew(skewMs as number);
			},
			verify: (outcome) => {
				const { succeeded, failed } = outputs(outcome);
				expect(failed).toEqual([]);
				expect(succeeded).toHaveLength(5);
				expect(outcome.emu.counts().rateLimited).toBe(0);
				return '5 ids confirmed, no 429';
			},
		}),
	),
	{
		name: 'the pacer would wait past Max Rate Limit Wait',
		checked:
			'2 calls per 60 s window, 4 calls, Max Rate Limit Wait 5 s: 2 confirmed; the other 2 fail rate_limited saying what the headers said (0 remaining, reset at …), "Not sent", without httpStatus 429, since no 429 came',
		input: closeTickets(4, { batchSize: 1, maxRateLimitWait: 5 }),
		arrange: (emu) => emu.setRateLimit({ limit: 2, windowSeconds: 60 }),
		verify: (outcome) => {
			const { succeeded, failed } = outputs(outcome);
			expect(succeeded).toHaveLength(2);
			expect(failed).toHaveLength(2);
			for (const item of failed) {
				expect(codeOf(item)).toBe('rate_limited');
				expect(messageOf(item)).toMatch(
					/^Not sent: cStar's rate-limit headers said 0 requests remain/,
				);
				expect((item.json.error as { httpStatus?: number }).httpStatus).toBeUndefined();
			}
			expect(outcome.emu.counts().rateLimited).toBe(0);
			return '2 confirmed, 2 on Failed with rate_limited and no httpStatus; no 429';
		},
	},
	{
		name: 'an odd 2xx (202 Accepted)',
		checked: 'a 202 does not say the change was made: outcome_unknown, not resent, never Succeeded',
		input: closeTickets(3),
		arrange: (emu) => emu.faults.script([{ type: 'status', status: 202, body: {} }]),
		verify: (outcome) => {
			allFailed(outcome, 'outcome_unknown', /HTTP 202/);
			expect(bulkCalls(outcome.emu)).toHaveLength(1);
			return '3 ids on Failed with outcome_unknown after 1 call';
		},
	},
	{
		name: 'transient 4xx (408, 423, 425)',
		checked:
			'408, then 423, then 425, then success: each resent like a 5xx with one Idempotency-Key; all confirmed',
		input: closeTickets(3),
		arrange: (emu) =>
			emu.faults.script([408, 423, 425].map((status) => ({ type: 'status' as const, status }))),
		verify: (outcome) => {
			expect(statuses(outcome.emu)).toEqual([408, 423, 425, 200]);
			return allSucceeded(outcome, 4);
		},
	},
	{
		name: 'X-RateLimit-Reset in epoch milliseconds',
		checked:
			'2 calls per 1 s window, the reset sent in epoch ms, 5 calls: the pacer waits for the reset instead of failing rate_limited; all confirmed, no 429',
		input: closeTickets(5, { batchSize: 1 }),
		arrange: (emu) => {
			emu.setRateLimit({ limit: 2, windowSeconds: 1 });
			emu.faults.set({ resetUnit: 'epochMs' });
		},
		verify: (outcome) => {
			const { succeeded, failed } = outputs(outcome);
			expect(failed).toEqual([]);
			expect(succeeded).toHaveLength(5);
			expect(outcome.emu.counts().rateLimited).toBe(0);
			return '5 ids confirmed, no 429';
		},
	},
	{
		name: 'conflicting data for one id at Parallel Requests 4',
		checked:
			'items [a→closed, a→open, b→open, a→closed, b→closed], batch size 1, Parallel Requests 4: the store ends as the last item asked for each id',
		input: (emu) => {
			const [a, b] = ticketIds(emu, 2);
			return {
				resource: 'ticket',
				action: 'update',
				ids: [[a], [a], [b], [a], [b]],
				dataPerItem: ['closed', 'open', 'open', 'closed', 'closed'].map((status) => ({ status })),
				options: { parallelRequests: 4, batchSize: 1 },
			};
		},
		verify: (outcome) => {
			const [a, b] = outcome.input.ids.map(([id]) => id);
			expect(outcome.emu.store.get('tickets', a)?.status).toBe('closed');
			expect(outcome.emu.store.get('tickets', b)?.status).toBe('closed');
			return 'both ids end as the last instruction';
		},
	},
];
