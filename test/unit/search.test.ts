import fc from 'fast-check';
import { DateTime } from 'luxon';

import {
	CSTAR_FILTERS,
	LIST_PAGE_SIZE,
	MAX_LISTINGS,
	decideOnFirstPage,
	driftSigns,
	keepOf,
	limitAfterListing,
	listQuery,
	matchesNodeFilters,
	momentOf,
	readFilters,
	slimmer,
	type SearchLimit,
} from '../../nodes/CstarBulk/bulk/search';
import { readTypedValue } from '../../nodes/CstarBulk/bulk/typedValues';
import type { CstarResource } from '../../nodes/CstarBulk/bulk/types';
import { searchPages, type Page } from '../../nodes/CstarBulk/transport/listRecords';

const SEED = 20261205;
const RESOURCES: CstarResource[] = ['tickets', 'customers', 'articles'];

describe('readFilters', () => {
	it('accepts every documented value and sends it as a cStar query parameter', () => {
		for (const resource of RESOURCES) {
			for (const [name, filter] of Object.entries(CSTAR_FILTERS[resource])) {
				for (const value of filter.values ?? []) {
					const read = readFilters(resource, { [name]: value.toUpperCase() });
					expect(read).toEqual({
						ok: true,
						value: { cstar: { [name]: value }, node: { dates: [] } },
					});
				}
			}
		}
	});

	it('refuses any status, priority or sentiment the resource does not have, naming it and what it takes', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...RESOURCES),
				fc.string({ minLength: 1, maxLength: 12 }).filter((text) => text.trim() !== ''),
				(resource, value) => {
					for (const [name, filter] of Object.entries(CSTAR_FILTERS[resource])) {
						if (filter.kind !== 'choice') continue;
						const known = (filter.values ?? []).includes(value.trim().toLowerCase());
						const read = readFilters(resource, { [name]: value });
						expect(read.ok).toBe(known);
						if (!read.ok) {
							expect(read.message).toContain(filter.label);
							expect(read.description).toContain((filter.values ?? [])[0]);
						}
					}
				},
			),
			{ seed: SEED, numRuns: 300 },
		);
	});

	it('takes only a UUID as article category, and true/false text for isPublic', () => {
		expect(readFilters('articles', { category: 'Billing' })).toMatchObject({ ok: false });
		expect(
			readFilters('articles', { category: '1c7a4d2f-3b5e-4f9c-8d2b-6e8f0a1b2c32' }),
		).toMatchObject({
			ok: true,
		});
		expect(readFilters('articles', { isPublic: ' FALSE ' })).toMatchObject({
			ok: true,
			value: { cstar: { isPublic: 'false' } },
		});
		expect(readFilters('articles', { isPublic: 'maybe' })).toMatchObject({ ok: false });
	});

	it('refuses filters of another resource and names the ones it has', () => {
		const read = readFilters('customers', { closedBefore: '2026-01-01' });
		expect(read).toMatchObject({ ok: false });
		if (!read.ok) expect(read.description).toContain('sentiment');
		expect(readFilters('tickets', { colour: 'red' })).toMatchObject({ ok: false });
	});

	it('ignores blank values, so an empty field is no filter', () => {
		expect(readFilters('tickets', { status: '', search: '  ', createdAfter: null })).toEqual({
			ok: true,
			value: { cstar: {}, node: { dates: [] } },
		});
	});

	it('reads dates from a Luxon DateTime, a Date, ISO text and epoch seconds or milliseconds alike', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1e9, max: 4e9 }), (seconds) => {
				const ms = seconds * 1000;
				const forms = [
					DateTime.fromMillis(ms),
					new Date(ms),
					new Date(ms).toISOString(),
					seconds,
					ms,
					String(seconds),
				];
				for (const form of forms) expect(momentOf(form)).toBe(ms);
			}),
			{ seed: SEED, numRuns: 200 },
		);
		for (const bad of ['last week', 'tomorrow', {}, [], true, DateTime.invalid('no')])
			expect(momentOf(bad)).toBeUndefined();
		expect(readFilters('tickets', { closedBefore: 'last week' })).toMatchObject({ ok: false });
	});
});

describe('node-applied filters', () => {
	const iso = (ms: number) => new Date(ms).toISOString();

	it('keep a record exactly when its date lies strictly inside the bounds, and never one without the date', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 1e6 }),
				fc.integer({ min: 0, max: 1e6 }),
				fc.integer({ min: 0, max: 1e6 }),
				fc.boolean(),
				(at, after, before, hasDate) => {
					const base = 1.7e12;
					const record = hasDate
						? { id: 'x', closedAt: iso(base + at) }
						: { id: 'x', closedAt: null };
					const read = readFilters('tickets', {
						closedAfter: iso(base + after),
						closedBefore: iso(base + before),
					});
					if (!read.ok) throw new Error(read.message);
					expect(matchesNodeFilters(record, read.value.node)).toBe(
						hasDate && at > after && at < before,
					);
				},
			),
			{ seed: SEED, numRuns: 500 },
		);
	});

	it('read a ticket’s resolvedAt where it has no closedAt field, and match hasTag exactly', () => {
		const read = readFilters('tickets', { closedBefore: '2030-01-01', hasTag: 'vip' });
		if (!read.ok) throw new Error(read.message);
		expect(
			matchesNodeFilters(
				{ id: 'a', resolvedAt: '2026-01-01T00:00:00Z', tags: ['vip'] },
				read.value.node,
			),
		).toBe(true);
		expect(
			matchesNodeFilters(
				{ id: 'a', resolvedAt: '2026-01-01T00:00:00Z', tags: ['VIP'] },
				read.value.node,
			),
		).toBe(false);
	});

	it('keep only what they read and what the run keeps of each record', () => {
		const read = readFilters('tickets', { updatedAfter: '2020-01-01', hasTag: 'x' });
		if (!read.ok) throw new Error(read.message);
		const slim = slimmer(read.value, { kind: 'fields', fields: ['status'] });
		const record = {
			id: 't',
			status: 'open',
			title: 'long',
			updatedAt: '2026-01-01',
			tags: ['x'],
			notes: 'n',
		};
		expect(slim(record)).toEqual({ id: 't', status: 'open', updatedAt: '2026-01-01', tags: ['x'] });
		expect(keepOf(slim(record), { kind: 'fields', fields: ['status', 'priority'] })).toEqual({
			id: 't',
			before: { status: 'open', priority: null },
		});
		expect(keepOf(record, { kind: 'record' })).toEqual({ id: 't', record });
	});

	it('send cStar only its own filters, 100 per page', () => {
		const read = readFilters('tickets', {
			status: 'open',
			search: 'a&b',
			createdAfter: '2026-01-01',
		});
		if (!read.ok) throw new Error(read.message);
		expect(listQuery(read.value, 3)).toBe('status=open&search=a%26b&page=3&pageSize=100');
	});
});

describe('the limit', () => {
	const limits = fc.record({
		mode: fc.constantFrom<SearchLimit['mode']>('stop', 'first', 'none'),
		max: fc.integer({ min: 1, max: 500 }),
	});

	it('never acts on more than the limit, stops only in Stop mode, and stops on page 1 only without node filters', () => {
		fc.assert(
			fc.property(
				limits,
				fc.integer({ min: 0, max: 2000 }),
				fc.boolean(),
				(limit, total, nodeFiltered) => {
					const decision = decideOnFirstPage(total, limit, nodeFiltered);
					if ('stop' in decision) {
						expect(limit.mode).toBe('stop');
						expect(nodeFiltered).toBe(false);
						expect(total).toBeGreaterThan(limit.max);
						expect(decision.matched).toBe(total);
					} else {
						const expected =
							limit.mode === 'first' && !nodeFiltered ? Math.min(total, limit.max) : total;
						expect(decision.read).toBe(expected);
					}
					const matched = Array.from({ length: total }, (_, i) => i);
					const after = limitAfterListing(matched, limit);
					if ('stop' in after) expect(limit.mode === 'stop' && total > limit.max).toBe(true);
					else {
						if (limit.mode !== 'none') expect(after.act.length).toBeLessThanOrEqual(limit.max);
						expect(after.act).toEqual(matched.slice(0, after.act.length));
					}
				},
			),
			{ seed: SEED, numRuns: 500 },
		);
	});

	it('is read as a number from text, and refused with the option, the value and what it takes', () => {
		const spec = {
			kind: 'number',
			label: 'Max Records',
			default: 1000,
			min: 1,
			max: 1e9,
			integer: true,
		} as const;
		expect(readTypedValue(spec, ' 250 ')).toEqual({ ok: true, value: 250 });
		expect(readTypedValue(spec, undefined)).toEqual({ ok: true, value: 1000 });
		const bad = readTypedValue(spec, 'lots');
		expect(bad).toMatchObject({ ok: false });
		if (!bad.ok) {
			expect(bad.message).toContain('Max Records');
			expect(bad.message).toContain('"lots"');
			expect(bad.description).toContain('whole number');
		}
	});
});

/**
 * A list that changes while it is read: records are created at the front (newest first, as cStar
 * lists them) and removed anywhere (deleted, or changed so they leave the filter), before any read.
 */
interface Model {
	records: string[];
	removed: Set<string>;
	created: number;
	reads: number;
}
type Change = { create: boolean; at: number };

function pageReader(model: Model, schedule: Change[][]) {
	return async (page: number): Promise<Page> => {
		for (const change of schedule[model.reads] ?? []) {
			if (change.create) model.records.unshift(`new${model.created++}`);
			else if (model.records.length > 0) {
				const [gone] = model.records.splice(change.at % model.records.length, 1);
				model.removed.add(gone);
			}
		}
		model.reads++;
		const start = (page - 1) * LIST_PAGE_SIZE;
		const records = model.records.slice(start, start + LIST_PAGE_SIZE).map((id) => ({ id }));
		return { kind: 'page', page: { page, total: model.records.length, records } };
	};
}

describe('drift between list pages', () => {
	const changes = fc.array(
		fc.array(fc.record({ create: fc.boolean(), at: fc.nat(1000) }), { maxLength: 3 }),
		{ maxLength: 25 },
	);
	// Most reads see no change, as in real life; some see several.
	const schedules = fc.array(
		fc.oneof(
			{ arbitrary: fc.constant([]), weight: 3 },
			{ arbitrary: changes.map((c) => c.flat()), weight: 1 },
		),
		{
			maxLength: 25,
		},
	);

	it('acts on every untouched record that matched at the start exactly once, and on none that left, or says nothing is written', async () => {
		let recovered = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 450 }),
				schedules,
				fc.integer({ min: 1, max: 10 }),
				async (count, schedule, parallel) => {
					const initial = Array.from({ length: count }, (_, i) => `r${i}`);
					const model: Model = { records: [...initial], removed: new Set(), created: 0, reads: 0 };
					const result = await searchPages(
						pageReader(
							model,
							schedule.map((s) => s as Change[]),
						),
						{
							filters: { cstar: {}, node: { dates: [] } },
							limit: { mode: 'none', max: 1 },
							keep: { kind: 'fields', fields: [] },
							parallel,
						},
					);
					const pages = Math.ceil(count / LIST_PAGE_SIZE) + 3;
					expect(model.reads).toBeLessThanOrEqual(MAX_LISTINGS * (pages + 1) + MAX_LISTINGS);
					if (result.kind === 'drifted') return;
					if (result.kind !== 'found') throw new Error(`unexpected ${result.kind}`);
					if (result.report.listings > 1) recovered++;
					const ids = result.records.map((record) => record.id);
					const acted = new Set(ids);
					expect(acted.size).toBe(ids.length);
					const missed = initial.filter((id) => !model.removed.has(id) && !acted.has(id));
					expect(missed).toEqual([]);
					expect([...model.removed].filter((id) => acted.has(id))).toEqual([]);
					expect(result.report.totalAtStart).toBeLessThanOrEqual(
						count + (schedule[0]?.length ?? 0),
					);
				},
			),
			{ seed: SEED, numRuns: 600 },
		);
		// The cases did exercise the recovery, not only quiet listings.
		expect(recovered).toBeGreaterThan(20);
	});

	it('a quiet listing costs its pages plus one re-read of page 1, and shows no drift', async () => {
		const model: Model = {
			records: Array.from({ length: 250 }, (_, i) => `r${i}`),
			removed: new Set(),
			created: 0,
			reads: 0,
		};
		const result = await searchPages(pageReader(model, []), {
			filters: { cstar: {}, node: { dates: [] } },
			limit: { mode: 'none', max: 1 },
			keep: { kind: 'fields', fields: [] },
			parallel: 4,
		});
		expect(model.reads).toBe(4);
		expect(result).toMatchObject({
			kind: 'found',
			report: { listings: 1, totalAtStart: 250, totalAtEnd: 250 },
		});
	});

	it('signs: a count that changed, an id seen twice, a page short of the count', () => {
		const page = (n: number, total: number, ids: string[]) => ({
			page: n,
			total,
			records: ids.map((id) => ({ id })),
		});
		const full = (from: number) => Array.from({ length: 100 }, (_, i) => `r${from + i}`);
		expect(driftSigns([page(1, 150, full(0)), page(2, 150, full(100).slice(0, 50))], 150)).toEqual(
			[],
		);
		expect(driftSigns([page(1, 150, full(0)), page(2, 151, full(100).slice(0, 50))], 150)).toEqual([
			'total_changed',
		]);
		expect(driftSigns([page(1, 150, full(0)), page(2, 150, full(99).slice(0, 50))], 150)).toEqual([
			'duplicate_ids',
		]);
		expect(driftSigns([page(1, 150, full(0)), page(2, 150, full(100).slice(0, 49))], 150)).toEqual([
			'page_size',
		]);
	});
});
