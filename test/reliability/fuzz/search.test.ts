import fc from 'fast-check';

import { startEmulator } from '../../../emulator';
import { credentials, returned, runNode, type Emulator } from '../harness';
import { RUNS, fuzzSection } from './support';

const { checkAsync } = fuzzSection('fuzzSearch');

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 21, tickets: 500, customers: 20, articles: 5 });
});
afterAll(async () => await emu.close());

const count = fc.integer({ min: 0, max: 3 });
const churn = fc.record({
	create: count,
	deleteListed: count,
	deleteUnlisted: count,
	moveOutListed: count,
	moveOutUnlisted: count,
	afterPages: fc.integer({ min: 1, max: 3 }),
	times: fc.integer({ min: 0, max: 4 }),
});
const cases = fc.record({
	churn,
	parallel: fc.integer({ min: 1, max: 10 }),
	first: fc.option(fc.integer({ min: 1, max: 250 }), { nil: undefined }),
});

describe('search mode under random churn', () => {
	checkAsync(
		'execute() while records change between list pages',
		'every untouched match acted on exactly once (all of them, or the first N), none that was deleted or left the filter; or the run says "Nothing written" and sent no bulk call',
		RUNS.searchExecute,
		cases,
		async ({ churn: listChurn, parallel, first }) => {
			emu.reset();
			const open = emu.store
				.list('tickets')
				.filter((t) => t.status === 'open')
				.map((t) => t.id);
			emu.faults.set({ listChurn: { resource: 'tickets', ...listChurn } });
			const result = await runNode({
				items: 1,
				parameters: {
					resource: 'ticket',
					operation: 'update',
					source: 'search',
					filters: { status: 'open' },
					dataMode: 'fields',
					updateFields: { status: 'pending' },
					limitMode: first === undefined ? 'none' : 'first',
					limit: first ?? 1000,
					options: { parallelRequests: parallel },
				},
				credentials: credentials(emu),
				onError: 'continueRegularOutput',
			});
			const { succeeded, failed } = returned(result);
			const posts = emu.log.filter((entry) => entry.method === 'POST');
			if (failed.length > 0) {
				expect(failed.map((item) => (item.json.error as { code: string }).code)).toEqual([
					'search_unstable',
				]);
				expect(posts).toEqual([]);
				return;
			}
			const done = emu.faults.listChurnDone() ?? { created: [], deleted: [], movedOut: [] };
			const left = new Set([...done.deleted, ...done.movedOut]);
			const acted = succeeded.map((item) => item.json.id as string);
			const actedSet = new Set(acted);
			expect(actedSet.size).toBe(acted.length);
			expect(acted.filter((id) => left.has(id))).toEqual([]);
			expect(acted.filter((id) => emu.appliedCount('tickets', id) !== 1)).toEqual([]);
			if (first === undefined) {
				expect(open.filter((id) => !left.has(id) && !actedSet.has(id))).toEqual([]);
			} else {
				expect(acted.length).toBeLessThanOrEqual(first);
			}
			expect(emu.counts().idsAppliedTwice).toBe(0);
		},
		120_000,
	);
});
