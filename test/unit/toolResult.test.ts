import { FatalRunError } from '../../nodes/CstarBulk/bulk/errors';
import { planBatches } from '../../nodes/CstarBulk/bulk/plan';
import type { IdOutcome, ItemInput } from '../../nodes/CstarBulk/bulk/types';
import { toOutputItems } from '../../nodes/CstarBulk/items/toOutputItems';
import {
	LISTED_IDS_LIMIT,
	SUMMARY_IDS_LIMIT,
	toToolResult,
	type ToolRun,
} from '../../nodes/CstarBulk/items/toolResult';

const tkt = (n: number) => `tkt_${n.toString(16).padStart(32, '0')}`;
const MISSING: IdOutcome = {
	status: 'failed',
	code: 'resource_missing',
	message: 'cStar: Ticket not found',
};

interface ToolJson {
	summary: string;
	total: number;
	succeeded: number;
	failed: number;
	dryRun: boolean;
	results: Array<{ id: string | null; status: string; code?: string; message?: string }>;
	listCut?: string;
	error?: Record<string, unknown>;
}

/** One tool call: one input item naming `ids`, answered per id by `outcome`. */
function toolCall(
	ids: string[],
	outcome: (id: string) => IdOutcome | undefined,
	run: Partial<ToolRun> = {},
	extra: ItemInput[] = [],
) {
	const inputs: ItemInput[] = [{ itemIndex: 0, ids, data: { status: 'closed' } }, ...extra];
	const plan = planBatches([inputs[0] as never], { batchSize: 100, deduplicate: true });
	const outcomes = plan.itemSlots[0].map((_, n) => outcome(ids[n]));
	const full: ToolRun = { resource: 'tickets', action: 'update', dryRun: false, ...run };
	const outputs = toOutputItems(inputs, { ...full, plan, outcomes, fatalTo: 'failed' });
	return toToolResult(outputs, full).json as unknown as ToolJson;
}

describe('toToolResult: what an AI agent gets back', () => {
	it('names every failed id with its code and message in the summary and in results', () => {
		const ids = [tkt(1), tkt(2), tkt(3), tkt(4), tkt(5)];
		const unknown = new Set([tkt(2), tkt(5)]);
		const result = toolCall(ids, (id) => (unknown.has(id) ? MISSING : { status: 'succeeded' }));

		expect(result.summary).toBe(
			`Updated 3 of 5 tickets. Failed: ${tkt(2)}, ${tkt(5)} (resource_missing: Ticket not found).`,
		);
		expect(result).toMatchObject({ total: 5, succeeded: 3, failed: 2, dryRun: false });
		// Failed first, then succeeded, each in input order.
		expect(result.results).toEqual([
			{
				id: tkt(2),
				status: 'failed',
				code: 'resource_missing',
				message: 'cStar: Ticket not found',
			},
			{
				id: tkt(5),
				status: 'failed',
				code: 'resource_missing',
				message: 'cStar: Ticket not found',
			},
			{ id: tkt(1), status: 'succeeded' },
			{ id: tkt(3), status: 'succeeded' },
			{ id: tkt(4), status: 'succeeded' },
		]);
		expect(result.listCut).toBeUndefined();
		expect(result.error).toBeUndefined();
	});

	it('all succeeded: "N of N", every id listed, no failures', () => {
		const ids = [tkt(1), tkt(2), tkt(3)];
		const result = toolCall(ids, () => ({ status: 'succeeded', requestId: 'req_1' }), {
			action: 'delete',
		});
		expect(result.summary).toBe('Deleted 3 of 3 tickets.');
		expect(result.results.map((entry) => entry.id)).toEqual(ids);
		expect(result.failed).toBe(0);
	});

	it('all failed: "0 of N" and every failure, never a plain success', () => {
		const ids = [tkt(1), tkt(2)];
		const result = toolCall(ids, () => MISSING);
		expect(result.summary).toMatch(/^Updated 0 of 2 tickets\. Failed: /);
		expect(result.summary).toContain(`${tkt(1)}, ${tkt(2)} (resource_missing: Ticket not found)`);
		expect(result.results.every((entry) => entry.status === 'failed')).toBe(true);
	});

	it('keeps different reasons apart and counts invalid input as failed', () => {
		const result = toolCall([tkt(1)], () => ({ status: 'succeeded' }), {}, [
			{ itemIndex: 1, rejected: [{ id: null, code: 'missing_id', message: 'No id.' }] },
		]);
		expect(result.summary).toBe('Updated 1 of 2 tickets. Failed: (no id) (missing_id: No id.).');
	});

	it('a dry run says nothing was sent, and what would be changed', () => {
		const ids = [tkt(1), tkt(2)];
		const result = toolCall(ids, () => ({ status: 'planned', batch: 0 }), { dryRun: true });
		expect(result.summary).toBe(
			'Dry run: nothing was sent to cStar. 2 of 2 tickets would be updated; ids cStar does not know are only found by a real run.',
		);
		expect(result.results).toEqual([
			{ id: tkt(1), status: 'dryRun' },
			{ id: tkt(2), status: 'dryRun' },
		]);
		expect(result.dryRun).toBe(true);
	});

	it('caps a large run: complete counts, failed ids up to the limit first, and says the list was cut', () => {
		const ids = Array.from({ length: 350 }, (_, n) => tkt(n));
		const fails = (id: string) => ids.indexOf(id) % 2 === 1; // 175 failed
		const result = toolCall(ids, (id) => (fails(id) ? MISSING : { status: 'succeeded' }));

		expect(result).toMatchObject({ total: 350, succeeded: 175, failed: 175 });
		expect(result.results).toHaveLength(LISTED_IDS_LIMIT);
		expect(result.results.map((entry) => entry.id)).toEqual(
			ids.filter(fails).slice(0, LISTED_IDS_LIMIT),
		);
		expect(result.listCut).toBe(
			'List cut: more than 100 ids, so results holds only the first 100 of the 175 failed ids and none of the 175 that succeeded. The counts are complete.',
		);
		const named = ids.filter(fails).slice(0, SUMMARY_IDS_LIMIT);
		expect(result.summary).toBe(
			`Updated 175 of 350 tickets. Failed: ${named.join(', ')} (resource_missing: Ticket not found); and ${LISTED_IDS_LIMIT - SUMMARY_IDS_LIMIT} more (see results); and ${175 - LISTED_IDS_LIMIT} more failed ids not listed here or in results (the counts are complete). To see every failed id, run again with fewer ids, or run the workflow without the agent and read the Failed output.`,
		);
	});

	it('a large run without failures lists nothing and says so', () => {
		const ids = Array.from({ length: LISTED_IDS_LIMIT + 1 }, (_, n) => tkt(n));
		const result = toolCall(ids, () => ({ status: 'succeeded' }));
		expect(result.results).toEqual([]);
		expect(result.summary).toBe('Updated 101 of 101 tickets.');
		expect(result.listCut).toContain('no failed ids (none failed)');
	});

	it('exactly the limit is listed in full', () => {
		const ids = Array.from({ length: LISTED_IDS_LIMIT }, (_, n) => tkt(n));
		const result = toolCall(ids, () => ({ status: 'succeeded' }));
		expect(result.results).toHaveLength(LISTED_IDS_LIMIT);
		expect(result.listCut).toBeUndefined();
	});

	it('a fatal error leads the summary with what to fix, once, and counts what was confirmed', () => {
		const fatal = new FatalRunError(
			'publishable_key_write',
			'The credential holds a publishable key, which cannot change data',
			'Publishable keys (pk_…) are read-only. Paste a secret key.',
		);
		const ids = [tkt(1), tkt(2), tkt(3)];
		const result = toolCall(ids, (id) => (id === tkt(1) ? { status: 'succeeded' } : undefined), {
			fatal,
		});
		expect(result.summary).toBe(
			'Error: The credential holds a publishable key, which cannot change data (publishable_key_write). Publishable keys (pk_…) are read-only. Paste a secret key. The call stopped here; tell the user what this says to do. ' +
				`Updated 1 of 3 tickets. Failed: ${tkt(2)}, ${tkt(3)} (publishable_key_write).`,
		);
		expect(result.error).toEqual({
			code: 'publishable_key_write',
			message: fatal.message,
			description: fatal.description,
		});
		expect(result.results[0]).toEqual({
			id: tkt(2),
			status: 'failed',
			code: 'publishable_key_write',
		});
	});

	it('is one item, paired to the tool call', () => {
		const inputs: ItemInput[] = [{ itemIndex: 0, ids: [tkt(1)] }];
		const plan = planBatches([inputs[0] as never], { batchSize: 100, deduplicate: true });
		const run: ToolRun = { resource: 'customers', action: 'delete', dryRun: false };
		const outputs = toOutputItems(inputs, {
			...run,
			plan,
			outcomes: [{ status: 'succeeded' }],
			fatalTo: 'failed',
		});
		const item = toToolResult(outputs, run);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.summary).toBe('Deleted 1 of 1 customer.');
	});
});
