/**
 * Cstar Bulk as a tool of n8n's own AI Agent, with n8n's OpenAI Chat Model talking to a scripted
 * model (support/scripted-model.js) through its credential's Base URL, against the emulator. It runs
 * examples/agent-bulk-tickets.json on both agent paths: AI Agent 3.1 (the default; the engine runs
 * the tool and the model sees its ai_tool output 0) with OpenAI Chat Model 1.3 (Responses API), and
 * AI Agent 2.2 (n8n-core's mapResult, which keeps only the first output) with 1.2 (Chat Completions).
 */
import { codeReturning, loadExample } from '../../scripts/examples';
import { n8nLog, nodeError, nodeOutputs, runError } from '../../harness';
import { startScriptedModel } from './support/scripted-model';
import { emulatorCredential, emulatorSuite, expectNoKeyIn } from './support/suite';
import { bodyOf, bulkCalls, leakIn, sorted, unknownIds } from './support/workflows';

const EXAMPLE = 'agent-bulk-tickets.json';
const TOOL = 'Update tickets';
const OPENAI = { id: 'openAiCredential', name: 'OpenAI account' };
const CSTAR = { id: 'cstarCredential', name: 'cStar account' };
const CSTAR_PUBLISHABLE = { id: 'cstarPublishable', name: 'cStar publishable' };
const CSTAR_OTHER_TEAM = { id: 'cstarOtherTeam', name: 'cStar other team' };
const MODEL_KEY = 'sk-example-scripted-model-key';

interface AgentPath {
	title: string;
	/** workflow id prefix, at most 17 characters */
	id: string;
	agentVersion: number;
	modelVersion: number;
	api: string;
}

const PATHS: AgentPath[] = [
	{
		title: 'AI Agent 3.1 with OpenAI Chat Model 1.3 (Responses API)',
		id: 'agentV3',
		agentVersion: 3.1,
		modelVersion: 1.3,
		api: '/v1/responses',
	},
	{
		title: 'AI Agent 2.2 with OpenAI Chat Model 1.2 (Chat Completions)',
		id: 'agentV2',
		agentVersion: 2.2,
		modelVersion: 1.2,
		api: '/v1/chat/completions',
	},
];

interface OfferedTool {
	name: string;
	description: string;
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
	results: Array<{ id: string; status: string; code?: string; message?: string }>;
	error?: { code: string; message: string; description: string };
};

/**
 * The example as shipped, with the agent and model versions of a path and a credential, and
 * `options` set on the tool node over its own.
 */
function exampleFor(
	path: AgentPath,
	id: string,
	credential: { id: string; name: string },
	options: Record<string, unknown> = {},
) {
	const workflow = loadExample(EXAMPLE, {
		credential,
		code: { Request: codeReturning([{ chatInput: 'Close the tickets I listed.' }]) },
	});
	for (const node of workflow.nodes) {
		if (node.name === 'AI Agent') Object.assign(node, { typeVersion: path.agentVersion });
		if (node.name === 'OpenAI Chat Model') Object.assign(node, { typeVersion: path.modelVersion });
		if (node.name === TOOL) {
			const parameters = node.parameters as { options: Record<string, unknown> };
			parameters.options = { ...parameters.options, ...options };
		}
	}
	return { ...workflow, id, name: `${workflow.name} (${id})` };
}

describe('Cstar Bulk Tool under n8n’s AI Agent, with a scripted OpenAI model', () => {
	let model: Model;
	/** Every request the scripted model received, headers and body, over all tests. */
	const modelSaw: string[] = [];
	beforeAll(async () => {
		model = await startScriptedModel();
	});
	const suite = emulatorSuite({
		emulator: { seed: 31, tickets: 60, customers: 5, articles: 5 },
		prepare: (emu) => ({
			credentials: [
				{ ...OPENAI, type: 'openAiApi', data: { apiKey: MODEL_KEY, url: model.url } },
				emulatorCredential(CSTAR, emu),
				emulatorCredential(CSTAR_PUBLISHABLE, emu, emu.keys.publishable),
				emulatorCredential(CSTAR_OTHER_TEAM, emu, emu.keys.otherTeam),
			],
			workflows: PATHS.flatMap((path) => [
				exampleFor(path, `${path.id}`, CSTAR),
				exampleFor(path, `${path.id}Pub`, CSTAR_PUBLISHABLE),
				exampleFor(path, `${path.id}Team`, CSTAR_OTHER_TEAM),
				exampleFor(path, `${path.id}Sum`, CSTAR, { succeededOutput: 'summary' }),
			]),
		}),
	});
	beforeEach(() => model.reset());
	afterEach(() => {
		for (const request of model.requests)
			modelSaw.push(`${JSON.stringify(request.headers)}\n${request.text}`);
	});
	afterAll(async () => {
		if (model) await model.close();
	});

	/** Runs a workflow; the run must finish (a tool error is an answer, not a crash). */
	const run = async (id: string) => {
		const result = await suite.execute(id);
		expect(runError(result.run)).toBeUndefined();
		expect(nodeError(result.run, 'AI Agent')).toBeUndefined();
		expect(result.exitCode).toBe(0);
		return result;
	};

	/** The tool results the model received, parsed (n8n sends the tool's items as a JSON list). */
	const received = (): ToolResult[] =>
		model.toolOutputs().map((output) => {
			const parsed = JSON.parse(output) as unknown;
			const list = Array.isArray(parsed) ? parsed : [parsed];
			expect(list).toHaveLength(1);
			return list[0] as ToolResult;
		});

	const tickets = () => suite.emu.store.ids('tickets');
	const changedTickets = () => tickets().filter((id) => suite.emu.appliedCount('tickets', id) > 0);

	describe.each(PATHS)('$title', (path) => {
		test('the model receives every failed id with its code; the store changed exactly the known ids, once each', async () => {
			const known = tickets().slice(0, 3);
			const unknown = unknownIds('tkt', 2, new Set(tickets()));
			const ids = [known[0], unknown[0], known[1], unknown[1], known[2]];
			model.script([{ arguments: { ids: ids.join(', '), status: 'closed', dryRun: false } }]);

			const result = await run(path.id);

			expect(model.requests.length).toBeGreaterThanOrEqual(2);
			expect(model.requests.every((request) => request.path === path.api)).toBe(true);
			// The tool as the model sees it: our description, and the $fromAI parameters.
			const offered = (model.requests[0].body.tools as OfferedTool[]).map(
				(tool) => tool.function ?? tool,
			);
			expect(offered.map((tool) => tool.name)).toContain('Update_tickets');
			const bulkTool = offered.find((tool) => tool.name === 'Update_tickets')!;
			expect(bulkTool.description).toContain('Updates cStar tickets by id');
			expect(bulkTool.description).toContain('tkt_');
			expect(bulkTool.description).toContain('at most 100 ids per call');
			expect(Object.keys(bulkTool.parameters.properties).sort()).toEqual([
				'dryRun',
				'ids',
				'status',
			]);
			const [tool] = received();
			expect(tool.summary).toMatch(/^Updated 3 of 5 tickets\. Failed: /);
			for (const id of unknown) expect(tool.summary).toContain(id);
			expect(tool.summary).toContain('resource_missing');
			expect(tool).toMatchObject({ total: 5, succeeded: 3, failed: 2 });
			expect(sorted(tool.results.map((entry) => `${entry.id}:${entry.status}`))).toEqual(
				sorted([...known.map((id) => `${id}:succeeded`), ...unknown.map((id) => `${id}:failed`)]),
			);
			for (const entry of tool.results.filter((e) => e.status === 'failed')) {
				expect(entry.code).toBe('resource_missing');
				expect(entry.message).toContain('not found');
			}

			// Exactly the known ids, once each, and nothing else of any resource.
			expect(suite.emu.appliedCounts()).toEqual(
				Object.fromEntries(known.map((id) => [`tickets:${id}`, 1])),
			);
			expect(known.filter((id) => suite.emu.store.get('tickets', id)?.status !== 'closed')).toEqual(
				[],
			);
			expect(bulkCalls(suite.emu).map((call) => bodyOf(call).ids)).toEqual([ids]);

			expect(Object.keys(result.run.data.resultData.runData)).toContain(TOOL);
			// The agent answered with what the tool returned.
			const [[answer]] = nodeOutputs(result.run, 'AI Agent');
			expect(String(answer.json.output)).toContain(tool.summary);
		});

		test('when every id fails, the model receives "0 of N" and each failure', async () => {
			const unknown = unknownIds('tkt', 3, new Set(tickets()));
			model.script([{ arguments: { ids: unknown.join(','), status: 'closed', dryRun: false } }]);

			await run(path.id);

			const [tool] = received();
			expect(tool.summary).toMatch(/^Updated 0 of 3 tickets\. Failed: /);
			expect(tool.summary).toContain(`${unknown.join(', ')} (resource_missing:`);
			expect(tool.results.map((entry) => [entry.id, entry.code])).toEqual(
				unknown.map((id) => [id, 'resource_missing']),
			);
			expect(changedTickets()).toEqual([]);
		});

		test('a dry run plans without sending; the call after it applies the change once', async () => {
			const known = tickets().slice(10, 14);
			const args = { ids: known.join(', '), status: 'pending' };
			model.script([
				{ arguments: { ...args, dryRun: true } },
				{ arguments: { ...args, dryRun: false } },
			]);

			await run(path.id);

			const [plan, applied] = received();
			expect(plan.summary).toMatch(
				/^Dry run: nothing was sent to cStar\. 4 of 4 tickets would be updated/,
			);
			expect(plan.results.every((entry) => entry.status === 'dryRun')).toBe(true);
			expect(applied.summary).toBe('Updated 4 of 4 tickets.');
			expect(bulkCalls(suite.emu)).toHaveLength(1);
			expect(sorted(changedTickets())).toEqual(sorted(known));
		});

		test('with Succeeded Output = One Summary Item and ids as JSON text, the model hears the per-id truth', async () => {
			const known = tickets().slice(40, 43);
			const [unknown] = unknownIds('tkt', 1, new Set(tickets()));
			const ids = [known[0], unknown, known[1], known[2]];
			model.script([{ arguments: { ids: JSON.stringify(ids), status: 'closed', dryRun: false } }]);

			await run(`${path.id}Sum`);

			const [tool] = received();
			expect(tool.summary).toMatch(/^Updated 3 of 4 tickets\. Failed: /);
			expect(tool).toMatchObject({ total: 4, succeeded: 3, failed: 1 });
			expect(sorted(tool.results.map((entry) => `${entry.id}:${entry.status}`))).toEqual(
				sorted([...known.map((id) => `${id}:succeeded`), `${unknown}:failed`]),
			);
			// cStar received the ids themselves: no bracket or quote of the JSON text.
			expect(bulkCalls(suite.emu).map((call) => bodyOf(call).ids)).toEqual([ids]);
			expect(sorted(changedTickets())).toEqual(sorted(known));
		});

		test('a publishable key reaches the model as a clear error, and nothing is sent', async () => {
			const known = tickets().slice(20, 22);
			model.script([{ arguments: { ids: known.join(', '), status: 'closed', dryRun: false } }]);

			await run(`${path.id}Pub`);

			const [tool] = received();
			expect(tool.error?.code).toBe('publishable_key_write');
			expect(tool.summary).toMatch(
				/^Error: The credential holds a publishable key, which cannot change data \(publishable_key_write\)\. Publishable keys \(pk_…\) are read-only/,
			);
			expect(tool.summary).toContain('paste a secret key (sk_live_… or sk_test_…)');
			expect(tool.summary).toContain('Updated 0 of 2 tickets.');
			expect(bulkCalls(suite.emu)).toEqual([]);
			expect(changedTickets()).toEqual([]);
		});
	});

	test('AI Agent 3.1: another team’s key reaches the model as team_access_denied with the fix', async () => {
		const known = tickets().slice(30, 32);
		model.script([{ arguments: { ids: known.join(', '), status: 'closed', dryRun: false } }]);

		await run(`${PATHS[0].id}Team`);

		const [tool] = received();
		expect(tool.error?.code).toBe('team_access_denied');
		expect(tool.summary).toContain(`The API key does not belong to team ${suite.emu.teamId}`);
		expect(tool.summary).toContain('Fix "Team ID" in the cStar API credential');
		expect(changedTickets()).toEqual([]);
	});

	test('no cStar key in any request the model received, in the run data or in n8n’s log', () => {
		const { emu, runs } = suite;
		expect(runs).toHaveLength(PATHS.length * 5 + 1);
		const keys = [emu.keys.secret, emu.keys.publishable, emu.keys.otherTeam];
		expect(modelSaw.length).toBeGreaterThanOrEqual(runs.length * 2);
		for (const key of keys) for (const text of modelSaw) expect(leakIn(text, key)).toBeUndefined();
		expectNoKeyIn(runs, n8nLog(suite.userFolder), keys);
	});
});
