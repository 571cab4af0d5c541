import fc from 'fast-check';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startEmulator } from '../../../emulator';
import type { ResourceChoice } from '../../../nodes/CstarBulk/description/resourceOperation';
import type { NodeRun, OnError } from '../../support/executeContext';
import { codeOf, credentials, runNode, type Emulator } from '../harness';
import { modelIds, pairCount, sendable } from '../idModel';
import { checkInvariants, type ExpectedPair } from '../invariants';
import { RUNS, SEED, fuzzSection, anyToken, separator } from './support';

const { checkAsync, report } = fuzzSection('fuzzExecute');

// execute() against the emulator

const API = { ticket: 'tickets', customer: 'customers', article: 'articles' } as const;
const OTHER = { ticket: 'customers', customer: 'articles', article: 'tickets' } as const;
/** Data an n8n expression can hand the node that is not plain JSON: what goes on the wire differs. */
class LuxonLike {
	constructor(private readonly iso: string) {}
	toJSON(): string {
		return this.iso;
	}
}
const cyclic: Record<string, unknown> = { note: 'x' };
cyclic.self = cyclic;
/** Entries the node must refuse as invalid_json: JSON cannot carry them. */
const NOT_JSON = [{ notes: cyclic }, { notes: () => 'x' }, { notes: BigInt(7) }];
/** Entries whose wire form differs from the value: two Dates that `{}` would confuse, toJSON, undefined. */
const NON_PLAIN = [
	{ notes: new Date('2026-03-01T00:00:00.000Z') },
	{ notes: new Date('2026-04-01T00:00:00.000Z') },
	{ notes: new LuxonLike('2026-05-01T09:30:00.000+02:00') },
	{ notes: 'kept', title: undefined },
	...NOT_JSON,
];
const DATA: Record<ResourceChoice, Array<Record<string, unknown>>> = {
	ticket: [
		{ status: 'closed' },
		{ status: 'open' },
		{ priority: 'high' },
		{ status: 'pending', priority: 'low' },
		{ priority: 'low', status: 'pending' },
		{ status: 'bogus' },
		{},
		...NON_PLAIN,
	],
	customer: [
		{ status: 'inactive' },
		{ sentiment: 'happy' },
		{ status: 'active', sentiment: 'negative' },
		{ sentiment: 'negative', status: 'active' },
		{ sentiment: 'meh' },
		{},
		...NON_PLAIN,
	],
	article: [
		{ status: 'published' },
		{ isPublic: false },
		{ status: 'draft', isPublic: true },
		{ isPublic: true, status: 'draft' },
		{ isPublic: 'yes' },
		{},
		...NON_PLAIN,
	],
};
/** What JSON puts on the wire for an entry the node may send. */
const wireOf = (data: Record<string, unknown>) =>
	JSON.parse(JSON.stringify(data)) as Record<string, unknown>;

type TokenSpec =
	| { kind: 'known' | 'uuid' | 'other'; index: number }
	| { kind: 'text'; text: string }
	| { kind: 'number'; value: number }
	| { kind: 'bad'; value: unknown }
	| { kind: 'control'; index: number; code: number };
type IdsSpec =
	| { form: 'single' | 'list' | 'text'; tokens: TokenSpec[]; separator: string }
	| { form: 'huge'; from: number; count: number; separator: string };
interface ItemSpec {
	ids: IdsSpec;
	data: number;
	dataMode: 'fields' | 'json';
	json: 'string' | 'object' | 'broken';
}
interface ExecuteCase {
	resource: ResourceChoice;
	action: 'update' | 'delete';
	items: ItemSpec[];
	batchSize: number;
	deduplicate: boolean;
	parallelRequests: number;
	maxRetries: number;
	mode: OnError;
	shape: 'byId' | 'byIndex' | 'strings' | 'prose' | 'countsOnly' | 'fromOne';
	faults: unknown[];
}

describe('execute() against the emulator', () => {
	let emu: Emulator;
	const known: Record<string, string[]> = {};
	beforeAll(async () => {
		emu = await startEmulator({ seed: 17, tickets: 400, customers: 120, articles: 60 });
		for (const resource of ['tickets', 'customers', 'articles'] as const)
			known[resource] = emu.store.ids(resource);
	});
	afterAll(async () => await emu.close());

	const token: fc.Arbitrary<TokenSpec> = fc.oneof(
		{ arbitrary: fc.nat(59).map((index): TokenSpec => ({ kind: 'known', index })), weight: 8 },
		fc.nat(59).map((index): TokenSpec => ({ kind: 'uuid', index })),
		fc.nat(59).map((index): TokenSpec => ({ kind: 'other', index })),
		{ arbitrary: anyToken.map((text): TokenSpec => ({ kind: 'text', text })), weight: 2 },
		fc
			.oneof(fc.integer({ min: -5, max: 99999 }), fc.double())
			.map((value): TokenSpec => ({ kind: 'number', value })),
		fc
			.constantFrom(true, null, { id: 'tkt_1' }, ['a', 'b'])
			.map((value): TokenSpec => ({ kind: 'bad', value })),
		fc
			.record({ index: fc.nat(59), code: fc.constantFrom(0, 1, 8, 0x1b, 0x1f, 0x7f, 0x85, 0x9f) })
			.map((c): TokenSpec => ({ kind: 'control', ...c })),
	);
	const ids: fc.Arbitrary<IdsSpec> = fc.oneof(
		{
			arbitrary: fc
				.record({
					form: fc.constantFrom('single', 'list', 'text'),
					tokens: fc.array(token, { maxLength: 8 }),
					separator,
				})
				.map(
					(s): IdsSpec => ({
						form: s.form as 'single' | 'list' | 'text',
						tokens: s.tokens,
						separator: s.separator,
					}),
				),
			weight: 20,
		},
		fc
			.record({ from: fc.nat(59), count: fc.integer({ min: 101, max: 260 }), separator })
			.map((s): IdsSpec => ({ form: 'huge', ...s })),
	);
	const item: fc.Arbitrary<ItemSpec> = fc.record({
		ids,
		data: fc.oneof({ arbitrary: fc.nat(3), weight: 6 }, { arbitrary: fc.nat(14), weight: 3 }),
		dataMode: fc.constantFrom('fields', 'json'),
		json: fc.oneof(
			{ arbitrary: fc.constantFrom('string', 'object'), weight: 9 },
			fc.constant('broken'),
		),
	}) as fc.Arbitrary<ItemSpec>;
	const fault = fc.oneof(
		fc.constantFrom(500, 502, 503).map((status) => ({ type: 'status', status })),
		fc.constant({
			type: 'status',
			status: 400,
			body: {
				success: false,
				error: { type: 'invalid_request_error', code: 'parameter_invalid', message: 'Refused' },
			},
		}),
		fc.constant({ type: 'status', status: 422 }),
		fc.constant({
			type: 'status',
			status: 409,
			body: { success: false, error: { code: 'idempotency_key_in_use', message: 'busy' } },
		}),
		fc
			.constantFrom(
				'{"success":tru',
				'',
				{ success: false, error: { code: 'bulk_failed', message: 'no' } },
				{ success: true, data: { succeeded: 'all' } },
			)
			.map((body) => ({ type: 'status', status: 200, body })),
		fc.constantFrom({ type: 'drop' }, { type: 'dropAfterApply' }),
		fc.integer({ min: 0, max: 15 }).map((delayMs) => ({ type: 'slow', delayMs })),
		fc
			.record({
				retryAfter: fc.integer({ min: 1, max: 900 }),
				retryAfterFormat: fc.constantFrom('seconds', 'http-date', 'none'),
			})
			.map((r) => ({ type: 'rateLimit', ...r })),
		fc
			.record(
				{
					succeeded: fc.integer({ min: 0, max: 101 }),
					failed: fc.integer({ min: 0, max: 101 }),
					total: fc.integer({ min: 0, max: 101 }),
					errors: fc.array(
						fc.oneof(
							fc.record({ index: fc.integer({ min: -1, max: 100 }), code: fc.constant('x') }),
							fc.string({ maxLength: 8 }),
						),
						{ maxLength: 3 },
					),
				},
				{ requiredKeys: [] },
			)
			.map((patch) => ({ type: 'bulkResult', patch })),
		{
			arbitrary: fc.constantFrom(401, 403).map((status) => ({
				type: 'status',
				status,
				body: {
					success: false,
					error: {
						code: status === 401 ? 'invalid_api_key' : 'insufficient_permissions',
						message: 'no',
					},
				},
			})),
			weight: 1,
		},
	);
	const executeCase: fc.Arbitrary<ExecuteCase> = fc.record({
		resource: fc.constantFrom('ticket', 'customer', 'article'),
		action: fc.constantFrom('update', 'delete'),
		items: fc.array(item, { maxLength: 10 }),
		batchSize: fc.oneof(
			{ arbitrary: fc.constant(100), weight: 2 },
			fc.integer({ min: 1, max: 100 }),
		),
		deduplicate: fc.boolean(),
		parallelRequests: fc.integer({ min: 1, max: 4 }),
		maxRetries: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.constant(1)),
		mode: fc.constantFrom('stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'),
		shape: fc.constantFrom('byId', 'byIndex', 'strings', 'prose', 'countsOnly', 'fromOne'),
		faults: fc.array(fault, { maxLength: 3 }),
	}) as fc.Arbitrary<ExecuteCase>;

	function tokenValue(spec: TokenSpec, resource: ResourceChoice): unknown {
		const own = known[API[resource]];
		switch (spec.kind) {
			case 'known':
				return own[spec.index % own.length];
			case 'uuid': {
				const hexBody = own[spec.index % own.length].slice(4);
				return `${hexBody.slice(0, 8)}-${hexBody.slice(8, 12)}-${hexBody.slice(12, 16)}-${hexBody.slice(16, 20)}-${hexBody.slice(20)}`;
			}
			case 'other': {
				const other = known[OTHER[resource]];
				return other[spec.index % other.length];
			}
			case 'text':
				return spec.text;
			case 'number':
				return spec.value;
			case 'bad':
				return spec.value;
			case 'control': {
				const id = own[spec.index % own.length];
				return `${id.slice(0, 6)}${String.fromCharCode(spec.code)}${id.slice(6)}`;
			}
		}
	}

	function idsValueOf(spec: IdsSpec, resource: ResourceChoice): unknown {
		if (spec.form === 'huge') {
			const own = known[API[resource]];
			return Array.from({ length: spec.count }, (_, i) => own[(spec.from + i) % own.length]).join(
				spec.separator,
			);
		}
		const values = spec.tokens.map((t) => tokenValue(t, resource));
		if (spec.form === 'single') return values[0];
		if (spec.form === 'list') return values;
		return values
			.map((value) =>
				typeof value === 'string' || typeof value === 'number' ? String(value) : 'x',
			)
			.join(spec.separator);
	}

	/** How much the random cases really exercised, so a degenerate generator fails the test. */
	const seen = { sent: 0, confirmed: 0, failedAfterSending: 0, rejectedInput: 0, stopped: 0 };
	checkAsync(
		'execute(): random input, options and emulator outcomes',
		"tickets, customers or articles; update or delete; up to 10 items whose ids are known, raw-UUID forms, other resources' ids, unicode, numbers, bad values, control characters or 101-260 at once, as one value, a list or separated text, duplicated within and across items; per-item data that differs, collides (same fields, other order), is refused by cStar, empty or broken JSON, holds Dates, toJSON objects or undefined fields (grouped by their wire form), or cannot be JSON (a cycle, a function, a BigInt: invalid_json); random Batch Size, Deduplicate, Parallel Requests, Max Retries, On Error, errors shape (by id, by index, strings, prose naming other ids of the call, counts only) and up to 3 scripted faults (5xx, 400, 409, 422, odd 200s, resets before/after applying, slow, 429, corrupted counts, 401/403): no crash; every call well formed with 1-100 distinct, sendable ids; (a)-(e) and the canary; the node stops only for a 401/403 (On Error = Stop) or when no item has data",
		RUNS.execute,
		executeCase,
		async (c) => {
			emu.reset();
			emu.setErrorsShape(c.shape);
			emu.faults.script(c.faults as never);
			const values = c.items.map((spec) => idsValueOf(spec.ids, c.resource));
			const pool = DATA[c.resource];
			const dataOf = (i: number) => pool[c.items[i].data % pool.length];
			const notJson = (i: number) => NOT_JSON.includes(dataOf(i) as never);
			const dataProblem = (i: number) =>
				c.action === 'delete'
					? undefined
					: (c.items[i].dataMode === 'json' && c.items[i].json === 'broken') || notJson(i)
						? 'invalid_json'
						: Object.keys(wireOf(dataOf(i))).length === 0
							? 'no_update_fields'
							: undefined;
			const totalIds = values.reduce((sum: number, value) => sum + modelIds(value).ids.length, 0);

			const pairs: ExpectedPair[] = [];
			values.forEach((value, i) => {
				const model = modelIds(value);
				const accepted = sendable(model) && dataProblem(i) === undefined;
				for (const id of model.ids) pairs.push({ item: i, id, accepted });
				for (let k = model.ids.length; k < pairCount(model); k++)
					pairs.push({ item: i, id: null, accepted: false });
			});
			const noFields =
				c.action === 'update' &&
				values.length > 0 &&
				values.every(
					(value, i) => sendable(modelIds(value)) && dataProblem(i) === 'no_update_fields',
				);

			const run: NodeRun = {
				items: values.map((value) => ({ json: { value } as never })),
				parameters: {
					resource: c.resource,
					operation: c.action,
					ids: (i: number) => values[i],
					dataMode: (i: number) => c.items[i].dataMode,
					updateFields: (i: number) => dataOf(i),
					jsonData: (i: number) =>
						c.items[i].json === 'broken'
							? '{"status":'
							: c.items[i].json === 'string' && !notJson(i)
								? JSON.stringify(dataOf(i))
								: dataOf(i),
					options: {
						// Many single-id calls would only cost time.
						batchSize: totalIds > 150 ? Math.max(c.batchSize, 50) : c.batchSize,
						deduplicate: c.deduplicate,
						parallelRequests: c.parallelRequests,
						maxRetries: c.maxRetries,
						maxRateLimitWait: 0,
					},
				},
				credentials: credentials(emu),
				onError: c.mode,
				executionId: `fuzz-${SEED}`,
			};
			const result = await runNode(run);
			const fatalAnswer = emu.log.some((entry) => entry.status === 401 || entry.status === 403);
			checkInvariants(
				emu,
				{
					resource: API[c.resource],
					action: c.action,
					pairs,
					dataOf: (i) => (c.action === 'update' && !notJson(i) ? wireOf(dataOf(i)) : undefined),
					deduplicate: c.deduplicate,
					secret: emu.keys.secret,
				},
				result,
			);
			const sent = emu.log.some((entry) => entry.path.endsWith('/bulk'));
			if (sent) seen.sent++;
			if (pairs.some((pair) => !pair.accepted)) seen.rejectedInput++;
			if (result.kind === 'threw') seen.stopped++;
			else {
				if (result.succeeded.length > 0) seen.confirmed++;
				if (
					sent &&
					result.failed.some(
						(output) =>
							![
								'invalid_id',
								'item_not_sent',
								'missing_id',
								'invalid_json',
								'no_update_fields',
							].includes(String(codeOf(output))),
					)
				)
					seen.failedAfterSending++;
			}
			if (result.kind === 'threw') {
				expect(c.mode).toBe('stopWorkflow');
				if (noFields) {
					expect(result.error).toBeInstanceOf(NodeOperationError);
					expect(emu.counts().requests).toBe(0);
				} else {
					expect(result.error).toBeInstanceOf(NodeApiError);
					expect(fatalAnswer).toBe(true);
				}
			} else if (c.mode === 'stopWorkflow') {
				expect(fatalAnswer).toBe(false);
			}
		},
		120_000,
	);

	const row = report.row(
		'execute(): what the random cases covered',
		'of the execute() cases above, more than a quarter each sent calls, had ids confirmed, and had ids fail after sending; some had invalid input and some stopped the node',
	);
	it('execute(): the random cases were not degenerate', () => {
		row.start();
		expect(seen.sent).toBeGreaterThan(RUNS.execute / 4);
		expect(seen.confirmed).toBeGreaterThan(RUNS.execute / 4);
		expect(seen.failedAfterSending).toBeGreaterThan(RUNS.execute / 4);
		expect(seen.rejectedInput).toBeGreaterThan(0);
		expect(seen.stopped).toBeGreaterThan(0);
		// The counts depend on which parallel call meets which scripted fault, so they stay out of the report.
		row.pass();
	});
});
