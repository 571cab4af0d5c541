import { MAX_ID_LENGTH, parseIds } from '../../nodes/CstarBulk/bulk/ids';

describe('parseIds', () => {
	it('reads one id', () => {
		expect(parseIds('tkt_1')).toEqual({ ok: true, ids: ['tkt_1'] });
	});

	it('splits comma, space and newline separated lists and trims them', () => {
		expect(parseIds(' tkt_1, tkt_2\ntkt_3\ttkt_4 ,,')).toEqual({
			ok: true,
			ids: ['tkt_1', 'tkt_2', 'tkt_3', 'tkt_4'],
		});
	});

	it('reads arrays of strings and numbers, splitting lists inside them', () => {
		expect(parseIds(['a', 7, 'b, c'])).toEqual({ ok: true, ids: ['a', '7', 'b', 'c'] });
	});

	it('keeps duplicates, so every (item, id) pair gets an output', () => {
		expect(parseIds('a a')).toEqual({ ok: true, ids: ['a', 'a'] });
	});

	it('keeps unicode ids intact', () => {
		expect(parseIds('tkt_ü✓')).toEqual({ ok: true, ids: ['tkt_ü✓'] });
	});

	it.each([undefined, null, '', '   ', ',', []])(
		'rejects a missing id (%p) with missing_id',
		(value) => {
			const result = parseIds(value);
			expect(result).toMatchObject({ ok: false, rejected: [{ id: null, code: 'missing_id' }] });
			if (!result.ok) expect(result.rejected[0].message).toMatch(/IDs/);
		},
	);

	it.each([{ id: 1 }, true, [['nested']], [null], NaN, Infinity])(
		'rejects %p with invalid_id',
		(value) => {
			const result = parseIds(value);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.rejected.map((pair) => pair.code)).toContain('invalid_id');
		},
	);

	it('rejects control characters and overlong ids', () => {
		expect(parseIds('tkt\u0000x')).toMatchObject({ ok: false, rejected: [{ code: 'invalid_id' }] });
		expect(parseIds('x\u007f')).toMatchObject({ ok: false, rejected: [{ code: 'invalid_id' }] });
		expect(parseIds('a'.repeat(MAX_ID_LENGTH))).toEqual({
			ok: true,
			ids: ['a'.repeat(MAX_ID_LENGTH)],
		});
		expect(parseIds('a'.repeat(MAX_ID_LENGTH + 1))).toMatchObject({
			ok: false,
			rejected: [{ code: 'invalid_id' }],
		});
	});

	it('rejects the whole item when one entry is bad, and accounts for every entry', () => {
		const result = parseIds(['tkt_1', { bad: true }, 'tkt_2']);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.rejected).toHaveLength(3);
		expect(
			result.rejected.filter((pair) => pair.code === 'item_not_sent').map((pair) => pair.id),
		).toEqual(['tkt_1', 'tkt_2']);
	});

	it.each([
		['["tkt_a","tkt_b"]', ['tkt_a', 'tkt_b']],
		[' [ "tkt_a" , "tkt_b" ] ', ['tkt_a', 'tkt_b']],
		["['tkt_a', 'tkt_b']", ['tkt_a', 'tkt_b']],
		['"tkt_a", "tkt_b"', ['tkt_a', 'tkt_b']],
		["'tkt_a','tkt_b'", ['tkt_a', 'tkt_b']],
		['“tkt_a”, ‘tkt_b’', ['tkt_a', 'tkt_b']],
		['[1, 2]', ['1', '2']],
		['["tkt_a, tkt_b"]', ['tkt_a', 'tkt_b']],
	])('reads the list text %p as its ids', (given, ids) => {
		expect(parseIds(given)).toEqual({ ok: true, ids });
		expect(parseIds([given])).toEqual({ ok: true, ids });
	});

	it.each([
		'tkt_a"',
		'[tkt_a',
		'tkt_a]',
		'{"id":"tkt_a"}',
		"tkt_'a",
		'"tkt_a',
		'""',
		'[["tkt_a"]]',
	])('refuses %p: brackets and quotes are never sent as part of an id', (given) => {
		const result = parseIds(`tkt_ok, ${given}`);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.rejected.map((pair) => pair.code)).toContain('invalid_id');
		expect(result.rejected.find((pair) => pair.id === 'tkt_ok')?.code).toBe('item_not_sent');
	});
});
