import type { INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import type { ListChurn } from '../../emulator/churn';
import { credentials, expectNoSecret, returned, runNode, type Emulator } from './harness';
import { reportSection } from './report';

/**
 * Search mode under churn and faults: the rule of issue 20 ("every record that matched when the
 * search began, and that nobody else changed during the run, is acted on exactly once; one that
 * left the filter or was deleted is not acted on") checked on every row, with On Error = Continue.
 */
const report = reportSection('searchMatrix');
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ seed: 20, tickets: 700, customers: 20, articles: 20 });
});
afterAll(async () => {
	await emu.close();
	report.write();
});

interface SearchScenario {
	name: string;
	checked: string;
	churn?: ListChurn;
	arrange?: (emu: Emulator) => void;
	parallel?: number;
	limit?: { limitMode: string; limit?: number };
	verify?: (emu: Emulator, succeeded: INodeExecutionData[], open: string[]) => string | void;
}

const SCENARIOS: SearchScenario[] = [
	{
		name: 'quiet listing',
		checked: 'one listing, pages + 1 list calls',
		verify: (emu, _, open) => {
			const lists = emu.log.filter((entry) => entry.method === 'GET').length;
			expect(lists).toBe(Math.ceil(open.length / 100) + 1);
			return `${lists} list calls for ${open.length} matches`;
		},
	},
	{
		name: 'created at the front between pages',
		checked: 'new records at the front shift pages back; detected, listed again',
		churn: { create: 3, afterPages: 2 },
	},
	{
		name: 'deleted, already and not yet listed',
		checked: 'records deleted on both sides of the read position',
		churn: { deleteListed: 2, deleteUnlisted: 2, afterPages: 1, times: 2 },
	},
	{
		name: 'moved out of the filter, already and not yet listed',
		checked: 'records changed by someone else so they no longer match',
		churn: { moveOutListed: 2, moveOutUnlisted: 2, afterPages: 2 },
	},
	{
		name: 'created and moved out at once (the count stays put)',
		checked: "cStar's count does not change, the front does: detected by re-reading page 1",
		churn: { create: 2, moveOutListed: 2, afterPages: 1 },
	},
	{
		name: 'churn at Parallel Requests 10',
		checked: 'pages read in parallel under churn',
		churn: { create: 1, deleteUnlisted: 1, moveOutListed: 1, afterPages: 2, times: 2 },
		parallel: 10,
	},
	{
		name: '5xx and 429 on list pages, Parallel Requests 4',
		checked: 'list calls share the retry policy: resent, nothing lost',
		parallel: 4,
		arrange: (emu) =>
			emu.faults.script([
				{ type: 'status', status: 503, match: { method: 'GET' } },
				{ type: 'rateLimit', retryAfter: 1, match: { method: 'GET' } },
				{ type: 'drop', match: { method: 'GET' } },
			]),
	},
	{
		name: 'bulk answer lost after apply, under churn',
		checked: 'the bulk call is resent with its Idempotency-Key: applied once',
		churn: { deleteUnlisted: 1, afterPages: 1 },
		arrange: (emu) => emu.faults.script([{ type: 'dropAfterApply' }]),
	},
	...[1, 4, 10].map(
		(parallel): SearchScenario => ({
			name: `rate limit from the headers, Parallel Requests ${parallel}`,
			checked: 'list and bulk calls share one pacer: zero 429s',
			parallel,
			arrange: (emu) => emu.setRateLimit({ limit: 3, windowSeconds: 1 }),
			verify: (emu) => {
				expect(emu.counts().rateLimited).toBe(0);
				return 'zero 429s';
			},
		}),
	),
	{
		name: 'Act on the First N under churn',
		checked: 'the first 150 of the final listing, each once',
		churn: { create: 2, afterPages: 1 },
		limit: { limitMode: 'first', limit: 150 },
		verify: (_, succeeded) => {
			expect(succeeded.length).toBe(150);
			return '150 acted on';
		},
	},
];

async function runSearch(scenario: SearchScenario) {
	emu.reset();
	emu.setRateLimit({ limit: 1000, windowSeconds: 3600 });
	const open = emu.store
		.list('tickets')
		.filter((t) => t.status === 'open')
		.map((t) => t.id);
	scenario.arrange?.(emu);
	if (scenario.churn) emu.faults.set({ listChurn: { resource: 'tickets', ...scenario.churn } });
	const result = await runNode({
		items: 1,
		parameters: {
			resource: 'ticket',
			operation: 'update',
			source: 'search',
			filters: { status: 'open' },
			dataMode: 'fields',
			updateFields: { status: 'pending' },
			...(scenario.limit ?? { limitMode: 'none' }),
			options: { parallelRequests: scenario.parallel ?? 1 },
		},
		credentials: credentials(emu),
		onError: 'continueRegularOutput',
	});
	expectNoSecret(result, emu.keys.secret);
	return { open, outputs: returned(result) };
}

describe('search mode: exactly once while records change under the node', () => {
	for (const scenario of SCENARIOS) {
		const row = report.row(scenario.name, scenario.checked);
		it(scenario.name, async () => {
			row.start();
			const { open, outputs } = await runSearch(scenario);
			const done = emu.faults.listChurnDone() ?? { created: [], deleted: [], movedOut: [] };
			const changedByOthers = new Set([...done.deleted, ...done.movedOut]);
			const acted = outputs.succeeded.map((item) => item.json.id as string);
			expect(outputs.failed).toEqual([]);
			expect(new Set(acted).size).toBe(acted.length);
			for (const id of acted) expect(emu.appliedCount('tickets', id)).toBe(1);
			for (const id of changedByOthers) expect(acted).not.toContain(id);
			if (scenario.limit === undefined)
				for (const id of open)
					if (!changedByOthers.has(id)) expect(emu.appliedCount('tickets', id)).toBe(1);
			expect(emu.counts().idsAppliedTwice).toBe(0);
			const note = scenario.verify?.(emu, outputs.succeeded, open);
			const listings = (outputs.succeeded[0]?.json.search as { listings: number }).listings;
			row.pass(note || `${acted.length} acted on, ${listings} listing${listings === 1 ? '' : 's'}`);
		});
	}
});
