/**
 * Search mode (Records: Matching a Search) through a real n8n against the emulator: records that
 * change between list pages, the safety limit, Act on the First N, dry run, undo back to the exact
 * store, a search without a filter, and n8n's AI Agent giving the filters. Each checks the
 * emulator's store and request log, not only what the node says.
 */
import { codeReturning, loadExample } from '../../scripts/examples';
import {
	importWorkflow,
	n8nLog,
	nodeError,
	nodeOutputs,
	runError,
	versionDifferences,
	type ExecuteResult,
	type OutputItem,
} from '../../harness';
import { startScriptedModel } from './support/scripted-model';
import { emulatorCredential, emulatorSuite, expectNoKeyIn } from './support/suite';
import {
	BULK_NODE,
	bodyOf,
	bulkCalls,
	bulkWorkflow,
	leakIn,
	listCalls,
	listedBeforeWriting,
	pageRange,
	pagesListed,
	pairedIndex,
	searchParameters,
	sorted,
	type CredentialRef,
} from './support/workflows';

const CREDENTIAL: CredentialRef = { id: 'e2eSearchCred', name: 'cStar (emulator)' };
const OPENAI = { id: 'openAiCredential', name: 'OpenAI account' };
const MODEL_KEY = 'sk-example-scripted-model-key';
const AGENT_TOOL = 'Update matching tickets';
/** n8n 1.123.81 has no AI Agent 3.1: there the agent runs as 2.2 with OpenAI Chat Model 1.2. */
const AGENT = versionDifferences.n8n1
	? { agentVersion: 2.2, modelVersion: 1.2, api: '/v1/chat/completions' }
	: { agentVersion: 3.1, modelVersion: 1.3, api: '/v1/responses' };

const CLOSE_OPEN = searchParameters(
	'ticket',
	{ status: 'open' },
	{ dataMode: 'fields', updateFields: { status: 'closed' } },
);
/** Changes three fields whose previous values differ from ticket to ticket. */
const ESCALATE_PENDING = searchParameters(
	'ticket',
	{ status: 'pending' },
	{ dataMode: 'json', jsonData: '{ "status": "open", "priority": "urgent", "assignedTo": null }' },
);

interface OfferedTool {
	name: string;
	parameters: { properties: Record<string, unknown> };
	/** Chat Completions nests the tool here */
	function?: OfferedTool;
}

type Model = Awaited<ReturnType<typeof startScriptedModel>>;
type ToolResult = {
	summary: string;
	total: number;
	succeeded: number;
	failed: number;
	results: Array<{ id: string | null; status: string; code?: string; message?: string }>;
	searches?: Array<{ matched: number; actOn: number }>;
	error?: { code: string; message: string };
};

describe('Cstar Bulk search mode through real n8n', () => {
	let model: Model;
	beforeAll(async () => {
		model = await startScriptedModel();
	});
	afterAll(async () => {
		if (model) await model.close();
	});

	const workflow = (id: string, parameters: Record<string, unknown>) =>
		bulkWorkflow({ id, credential: CREDENTIAL, rows: [{ search: 1 }], parameters });

	const suite = emulatorSuite({
		emulator: { seed: 41, tickets: 1200, customers: 60, articles: 20 },
		prepare: (emu) => {
			const agent = loadExample('agent-search-tickets.json', { credential: CREDENTIAL });
			for (const node of agent.nodes) {
				if (node.name === 'AI Agent') Object.assign(node, { typeVersion: AGENT.agentVersion });
				if (node.name === 'OpenAI Chat Model')
					Object.assign(node, { typeVersion: AGENT.modelVersion });
			}
			return {
				credentials: [
					emulatorCredential(CREDENTIAL, emu),
					{ ...OPENAI, type: 'openAiApi', data: { apiKey: MODEL_KEY, url: model.url } },
				],
				workflows: [
					workflow('srchClose', CLOSE_OPEN),
					workflow('srchLimit', { ...CLOSE_OPEN, limitMode: 'stop', limit: 50 }),
					workflow('srchFirst', { ...CLOSE_OPEN, limitMode: 'first', limit: 150 }),
					workflow('srchDry', { ...ESCALATE_PENDING, options: { dryRun: true } }),
					workflow('srchEscalate', ESCALATE_PENDING),
					workflow('srchNoFilter', { ...CLOSE_OPEN, filters: {} }),
					workflow('srchBlankFilter', { ...CLOSE_OPEN, filters: { search: '={{ "   " }}' } }),
					agent,
				],
			};
		},
	});
	const { execute } = suite;
	const emu = () => suite.emu;

	const ticketsWith = (status: string) =>
		emu()
			.store.list('tickets')
			.filter((ticket) => ticket.status === status)
			.map((ticket) => String(ticket.id));
	const idsOf = (items: OutputItem[]) => sorted(items.map((item) => String(item.json.id)));
	const expectFinished = (result: ExecuteResult) => {
		expect(runError(result.run)).toBeUndefined();
		expect(nodeError(result.run, BULK_NODE)).toBeUndefined();
		expect(result.exitCode).toBe(0);
	};
	/** The run stopped at the node with `parts` in its message, before anything was written. */
	const expectRefusedBeforeWriting = (result: ExecuteResult, parts: string[]) => {
		const error = nodeError(result.run, BULK_NODE);
		const shown = `${error?.message} ${error?.description}`;
		for (const part of parts) expect(shown).toContain(part);
		expect(result.exitCode).toBe(1);
		expect(bulkCalls(emu())).toEqual([]);
		expect(emu().appliedCounts()).toEqual({});
	};

	describe('records change between list pages', () => {
		test('every record that matched and nobody touched is closed exactly once; deleted and moved-out ones are not; the run says how the count changed', async () => {
			const openAtStart = ticketsWith('open');
			expect(openAtStart.length).toBeGreaterThan(300); // four pages
			// Before each of the next two list calls, someone else creates 3 open tickets, deletes 2
			// already listed and 2 not yet listed, and moves 2 of each out of "open".
			emu().faults.set({
				listChurn: {
					resource: 'tickets',
					afterPages: 1,
					times: 2,
					create: 3,
					deleteListed: 2,
					deleteUnlisted: 2,
					moveOutListed: 2,
					moveOutUnlisted: 2,
				},
			});

			const result = await execute('srchClose');
			expectFinished(result);
			const churn = emu().faults.listChurnDone()!;
			expect(churn.created).toHaveLength(6);
			expect(churn.deleted).toHaveLength(8);
			expect(churn.movedOut).toHaveLength(8);
			const touched = new Set([...churn.deleted, ...churn.movedOut]);
			const untouched = openAtStart.filter((id) => !touched.has(id));

			const [succeeded, failed] = nodeOutputs(result.run, BULK_NODE);
			expect(failed).toEqual([]);
			const acted = idsOf(succeeded);
			expect(new Set(acted).size).toBe(acted.length);
			// Every untouched match, once; nothing that left; new matches at most once.
			expect(untouched.filter((id) => !acted.includes(id))).toEqual([]);
			expect(acted.filter((id) => touched.has(id))).toEqual([]);
			expect(acted.filter((id) => !untouched.includes(id) && !churn.created.includes(id))).toEqual(
				[],
			);
			expect(listedBeforeWriting(emu())).toBe(true);

			// In the store: each untouched ticket closed by exactly one write; the deleted are gone;
			// the moved-out ones keep the status someone else gave them, never written by the node.
			expect(untouched.filter((id) => emu().store.get('tickets', id)?.status !== 'closed')).toEqual(
				[],
			);
			expect(untouched.filter((id) => emu().appliedCount('tickets', id) !== 1)).toEqual([]);
			expect(churn.deleted.filter((id) => emu().store.get('tickets', id))).toEqual([]);
			expect(churn.movedOut.filter((id) => emu().appliedCount('tickets', id) !== 0)).toEqual([]);
			expect(
				churn.movedOut.filter((id) =>
					['open', 'closed'].includes(emu().store.get('tickets', id)?.status),
				),
			).toEqual([]);
			expect(emu().counts().idsAppliedTwice).toBe(0);
			const written = bulkCalls(emu()).flatMap((call) => bodyOf(call).ids);
			expect(sorted(written)).toEqual(acted);

			// The count at the first page and at the last, on every item of the search.
			const atEnd = openAtStart.length - touched.size + churn.created.length;
			for (const item of succeeded) {
				expect(item.json.search).toMatchObject({
					totalAtStart: openAtStart.length,
					totalAtEnd: atEnd,
				});
				expect(item.json.search.listings).toBeGreaterThan(1);
				expect(String(item.json.search.note)).toContain(String(openAtStart.length));
				expect(String(item.json.search.note)).toContain(String(atEnd));
			}
		});

		test('records that never stop changing: the run fails with "Nothing written" once its listings run out', async () => {
			emu().faults.set({
				listChurn: {
					resource: 'tickets',
					afterPages: 1,
					times: 1000,
					create: 1,
					deleteUnlisted: 1,
				},
			});
			const result = await execute('srchClose');
			expectRefusedBeforeWriting(result, [
				'Nothing written',
				'kept changing',
				'Run the workflow again',
			]);
			expect(listCalls(emu()).length).toBeGreaterThan(4);
		});
	});

	describe('the safety limit', () => {
		test('more matches than Max Records: refused with the count, the limit and the fix, after the first list page and before any write', async () => {
			const open = ticketsWith('open');
			const result = await execute('srchLimit');
			expectRefusedBeforeWriting(result, [
				`${open.length} tickets match this search, more than the limit of 50`,
				'Max Records',
				'Act on the First N',
			]);
			const lists = listCalls(emu());
			expect(lists).toHaveLength(1);
			expect(lists[0].query).toMatchObject({ status: 'open', page: '1', pageSize: '100' });
			expect(emu().log.filter((entry) => entry.method !== 'GET')).toEqual([]);
			expect(ticketsWith('open')).toEqual(open);
		});

		test('Act on the First N: the first 150 in cStar’s order, listing only the pages that hold them', async () => {
			const open = ticketsWith('open'); // the store's order is cStar's list order, newest first
			const result = await execute('srchFirst');
			expectFinished(result);
			const [succeeded] = nodeOutputs(result.run, BULK_NODE);
			expect(idsOf(succeeded)).toEqual(sorted(open.slice(0, 150)));
			expect(pagesListed(listCalls(emu()))).toEqual(pageRange(2));
			expect(bulkCalls(emu())).toHaveLength(2);
			expect(sorted(ticketsWith('open'))).toEqual(sorted(open.slice(150)));
			expect(succeeded[0].json.search).toMatchObject({ matched: open.length, actOn: 150 });
			// One input item, one search: every record it found is paired to that item.
			expect(succeeded.every((item) => pairedIndex(item) === 0)).toBe(true);
		});
	});

	describe('dry run', () => {
		test('lists for real, shows each ticket’s values before and the data it would get, and writes nothing', async () => {
			const pending = ticketsWith('pending');
			const storeBefore = emu().store.list('tickets');
			const result = await execute('srchDry');
			expectFinished(result);

			const [planned] = nodeOutputs(result.run, BULK_NODE);
			expect(idsOf(planned)).toEqual(sorted(pending));
			for (const item of planned) {
				const ticket = emu().store.get('tickets', String(item.json.id))!;
				expect(item.json.status).toBe('dryRun');
				expect(item.json.before).toEqual({
					status: 'pending',
					priority: ticket.priority,
					assignedTo: ticket.assignedTo,
				});
				expect(item.json.data).toEqual({ status: 'open', priority: 'urgent', assignedTo: null });
				expect(item.json.search).toMatchObject({ matched: pending.length, actOn: pending.length });
			}
			expect(planned.some((item) => item.json.before.priority !== 'urgent')).toBe(true);
			expect(pagesListed(listCalls(emu()))).toEqual(pageRange(Math.ceil(pending.length / 100)));
			expect(emu().log.filter((entry) => entry.method !== 'GET')).toEqual([]);
			expect(emu().store.list('tickets')).toEqual(storeBefore);
		});
	});

	describe('undo', () => {
		test('the undo example, fed the Succeeded items, puts the store back exactly: only updatedAt, which cStar stamps on every write, differs', async () => {
			const tickets = emu().store.list('tickets');
			const customers = emu().store.list('customers');
			const articles = emu().store.list('articles');
			const pending = ticketsWith('pending');

			const escalated = await execute('srchEscalate');
			expectFinished(escalated);
			const [changed] = nodeOutputs(escalated.run, BULK_NODE);
			expect(idsOf(changed)).toEqual(sorted(pending));
			expect(pending.filter((id) => emu().store.get('tickets', id)?.priority !== 'urgent')).toEqual(
				[],
			);
			const firstUndoCall = bulkCalls(emu()).length;

			await importWorkflow(
				suite.userFolder,
				loadExample('undo-bulk-update.json', {
					credential: CREDENTIAL,
					code: { 'Succeeded items to undo': codeReturning(changed.map((item) => item.json)) },
				}),
			);
			const undone = await execute('cstarUndoBulkUpdate');
			expect(runError(undone.run)).toBeUndefined();
			const [restored, notRestored] = nodeOutputs(undone.run, 'Restore previous values');
			expect(notRestored).toEqual([]);
			expect(idsOf(restored)).toEqual(sorted(pending));

			// Tickets that had the same previous values share calls; different ones never do.
			const groups = new Map<string, string[]>();
			for (const item of changed) {
				const key = JSON.stringify(item.json.before);
				groups.set(key, [...(groups.get(key) ?? []), String(item.json.id)]);
			}
			expect(groups.size).toBeGreaterThan(3);
			const calls = bulkCalls(emu()).slice(firstUndoCall).map(bodyOf);
			expect(calls).toHaveLength(
				[...groups.values()].reduce((sum, ids) => sum + Math.ceil(ids.length / 100), 0),
			);
			for (const call of calls) {
				const ids = groups.get(JSON.stringify(call.data));
				expect(ids).toBeDefined();
				expect(call.ids.filter((id) => !ids!.includes(id))).toEqual([]);
			}

			// Exactly the store before the first run. updatedAt is the one field cStar sets on every
			// write and no client can set back; it moved on exactly the tickets the two runs changed.
			const stampless = (records: Array<Record<string, unknown>>) =>
				records.map((record) => ({ ...record, updatedAt: 'stamped by cStar' }));
			const after = emu().store.list('tickets');
			expect(stampless(after)).toEqual(stampless(tickets));
			const stamped = after.filter((record, n) => record.updatedAt !== tickets[n].updatedAt);
			expect(sorted(stamped.map((record) => String(record.id)))).toEqual(sorted(pending));
			expect(emu().store.list('customers')).toEqual(customers);
			expect(emu().store.list('articles')).toEqual(articles);
			expect(pending.filter((id) => emu().appliedCount('tickets', id) !== 2)).toEqual([]);
		});
	});

	describe('a search without a filter', () => {
		test.each([
			['no filter at all', 'srchNoFilter'],
			['a filter whose expression gives only spaces', 'srchBlankFilter'],
		])('%s is refused before any call, with how to mean "every ticket"', async (_what, id) => {
			const result = await execute(id);
			expectRefusedBeforeWriting(result, [
				'This search has no filter, so it would act on every one of your tickets',
				'Act on Every Record',
			]);
			expect(emu().log).toEqual([]);
		});
	});

	/** Every request the scripted model received, over all tests, for the final leak check. */
	const modelSaw: string[] = [];

	describe(`the AI Agent (${AGENT.agentVersion}) gives the filters`, () => {
		beforeEach(() => model.reset());
		afterEach(() => {
			for (const request of model.requests)
				modelSaw.push(`${JSON.stringify(request.headers)}\n${request.text}`);
		});

		const run = async () => {
			const result = await execute('cstarAgentSearch');
			expect(runError(result.run)).toBeUndefined();
			expect(nodeError(result.run, 'AI Agent')).toBeUndefined();
			expect(model.requests.every((request) => request.path === AGENT.api)).toBe(true);
			return result;
		};
		const received = (): ToolResult[] =>
			model.toolOutputs().map((output) => {
				const parsed = JSON.parse(output) as unknown;
				return (Array.isArray(parsed) ? parsed[0] : parsed) as ToolResult;
			});
		const matching = () =>
			emu()
				.store.list('tickets')
				.filter((ticket) => ticket.status === 'pending' && ticket.priority === 'low')
				.map((ticket) => String(ticket.id));

		test('a dry run, then the change: the matching tickets, each closed once, and nothing else', async () => {
			const match = matching();
			expect(match.length).toBeGreaterThan(5);
			const args = { status: 'pending', priority: 'low', customerId: '', newStatus: 'closed' };
			model.script([
				{ arguments: { ...args, dryRun: true } },
				{ arguments: { ...args, dryRun: false } },
			]);

			await run();

			const offered = (model.requests[0].body.tools as OfferedTool[]).map(
				(tool) => tool.function ?? tool,
			);
			const tool = offered.find((entry) => entry.name === AGENT_TOOL.replace(/ /g, '_'));
			expect(Object.keys(tool?.parameters.properties ?? {}).sort()).toEqual([
				'customerId',
				'dryRun',
				'newStatus',
				'priority',
				'status',
			]);
			const [plan, applied] = received();
			expect(plan.results.every((entry) => entry.status === 'dryRun')).toBe(true);
			expect(sorted(plan.results.map((entry) => String(entry.id)))).toEqual(sorted(match));
			expect(applied).toMatchObject({ total: match.length, succeeded: match.length, failed: 0 });
			expect(applied.searches?.[0]).toMatchObject({ matched: match.length, actOn: match.length });

			const lists = listCalls(emu());
			expect(
				lists.every((entry) => entry.query.status === 'pending' && entry.query.priority === 'low'),
			).toBe(true);
			expect(lists.some((entry) => 'customerId' in entry.query)).toBe(false);
			expect(emu().appliedCounts()).toEqual(
				Object.fromEntries(match.map((id) => [`tickets:${id}`, 1])),
			);
			expect(match.filter((id) => emu().store.get('tickets', id)?.status !== 'closed')).toEqual([]);
		});

		test('as a tool the limit is 100: a search matching more reaches the model as the count and the limit, and nothing is written', async () => {
			const open = ticketsWith('open');
			expect(open.length).toBeGreaterThan(100);
			model.script([
				{
					arguments: {
						status: 'open',
						priority: '',
						customerId: '',
						newStatus: 'closed',
						dryRun: false,
					},
				},
			]);

			await run();

			const [tool] = received();
			expect(tool.summary).toContain(
				`${open.length} tickets match this search, more than the limit of 100`,
			);
			expect(bulkCalls(emu())).toEqual([]);
			expect(listCalls(emu())).toHaveLength(1);
			expect(emu().appliedCounts()).toEqual({});
		});

		test('every filter left empty: the model is told the search has no filter, and nothing is listed or written', async () => {
			model.script([
				{
					arguments: {
						status: '',
						priority: '',
						customerId: '',
						newStatus: 'closed',
						dryRun: false,
					},
				},
			]);

			await run();

			const [tool] = received();
			expect(tool.summary).toContain('This search has no filter');
			expect(emu().log).toEqual([]);
		});
	});

	test('no key in the run data, in n8n’s log, or in anything the model received', () => {
		const { runs } = suite;
		expect(runs.length).toBe(12);
		expect(modelSaw.length).toBeGreaterThanOrEqual(3);
		for (const text of modelSaw) expect(leakIn(text, emu().keys.secret)).toBeUndefined();
		expectNoKeyIn(runs, n8nLog(suite.userFolder), [emu().keys.secret]);
	});
});
