import fc from 'fast-check';

import { startEmulator } from '../../../emulator';
import { canonicalJson } from '../../../nodes/CstarBulk/bulk/plan';
import { credentials, returned, runNode, type Emulator } from '../harness';
import { SEED, fuzzSection } from './support';

const { checkAsync } = fuzzSection('fuzzLastInstruction');

/** Instructions that conflict on status, priority and notes (two Dates, so `{}` would merge them). */
const INSTRUCTIONS: Array<Record<string, unknown>> = [
	{ status: 'closed' },
	{ status: 'open' },
	{ status: 'pending', priority: 'low' },
	{ priority: 'high' },
	{ notes: new Date('2026-03-01T00:00:00.000Z') },
	{ notes: new Date('2026-04-01T00:00:00.000Z'), status: 'closed' },
];
/** Faults that make an earlier call land after a later one, were the node to start both. */
const REORDERING_FAULTS = [
	{ type: 'drop' },
	{ type: 'status', status: 503 },
	{ type: 'slow', delayMs: 20 },
	{ type: 'slow', delayMs: 0 },
];
const MAX_RETRIES = 2;

interface ConflictCase {
	items: Array<{ ids: number[]; raw: boolean[]; instruction: number }>;
	parallelRequests: number;
	batchSize: number;
	deduplicate: boolean;
	faults: number[];
}

describe('the last instruction for an id wins', () => {
	let emu: Emulator;
	let tickets: string[];
	beforeAll(async () => {
		emu = await startEmulator({ seed: 23, tickets: 40, customers: 0, articles: 0 });
		tickets = emu.store.ids('tickets').slice(0, 8);
	});
	afterAll(async () => await emu.close());

	const conflictCase: fc.Arbitrary<ConflictCase> = fc.record({
		items: fc.array(
			fc.record({
				ids: fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 4 }),
				// cStar also takes a record's raw UUID: the same ticket under another name.
				raw: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
				instruction: fc.nat(INSTRUCTIONS.length - 1),
			}),
			{ minLength: 2, maxLength: 12 },
		),
		parallelRequests: fc.integer({ min: 1, max: 4 }),
		batchSize: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(100)),
		deduplicate: fc.boolean(),
		// At most MAX_RETRIES faults, so every call is answered in the end and every id confirmed.
		faults: fc.array(fc.nat(REORDERING_FAULTS.length - 1), { maxLength: MAX_RETRIES }),
	});

	const idsOf = (item: ConflictCase['items'][number]) =>
		item.ids.map((index, k) => (item.raw[k] ? rawUuid(tickets[index]) : tickets[index]));

	/** Each id's expected fields: every instruction for it applied in input order. */
	function expectedState(c: ConflictCase): Map<string, Record<string, unknown>> {
		const state = new Map<string, Record<string, unknown>>();
		for (const item of c.items) {
			const wire = JSON.parse(JSON.stringify(INSTRUCTIONS[item.instruction])) as object;
			for (const index of item.ids)
				state.set(tickets[index], { ...state.get(tickets[index]), ...wire });
		}
		return state;
	}

	checkAsync(
		'execute(): one id, conflicting data from several items',
		'2-12 items (40 cases), each naming 1-4 of 8 tickets (by prefixed id or raw UUID) with one of 6 conflicting instructions (status, priority, notes as two different Dates); Parallel Requests 1-4, Batch Size 1-3 or 100, Deduplicate on or off; up to 2 faults (a reset before cStar applied, a 503, a slow answer) retried: every id on Succeeded, and the store holds, field by field, the last instruction for each id in input order',
		40,
		conflictCase,
		async (c) => {
			emu.reset();
			emu.faults.script(c.faults.map((index) => REORDERING_FAULTS[index]) as never);
			const result = returned(
				await runNode({
					items: c.items.map((item) => ({ json: { ids: idsOf(item) } })),
					parameters: {
						resource: 'ticket',
						operation: 'update',
						ids: (i: number) => idsOf(c.items[i]),
						dataMode: 'json',
						jsonData: (i: number) => INSTRUCTIONS[c.items[i].instruction],
						options: {
							batchSize: c.batchSize,
							deduplicate: c.deduplicate,
							parallelRequests: c.parallelRequests,
							maxRetries: MAX_RETRIES,
						},
					},
					credentials: credentials(emu),
					onError: 'continueErrorOutput',
					executionId: `last-${SEED}`,
				}),
			);
			expect(result.failed.map((output) => output.json)).toEqual([]);
			for (const [id, fields] of expectedState(c)) {
				const stored = emu.store.get('tickets', id) ?? {};
				for (const [field, value] of Object.entries(fields))
					expect(`${id} ${field} ${canonicalJson(stored[field])}`).toBe(
						`${id} ${field} ${canonicalJson(value)}`,
					);
			}
		},
		120_000,
	);
});

/** tkt_550e8400e29b41d4a716446655440000 → 550e8400-e29b-41d4-a716-446655440000 */
function rawUuid(id: string): string {
	const hex = id.slice(4);
	return [
		hex.slice(0, 8),
		hex.slice(8, 12),
		hex.slice(12, 16),
		hex.slice(16, 20),
		hex.slice(20),
	].join('-');
}
