import fc from 'fast-check';

import {
	REDACTED,
	holdsKey,
	maskKeys,
	maskKeysDeep,
	secretForms,
} from '../../nodes/CstarBulk/bulk/redact';

const SEED = 20261205;
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');

/** Keys as cStar issues them, and other sk_/pk_ shapes a user may hold. */
export const anyKey = fc
	.tuple(
		fc.constantFrom('sk', 'pk', 'SK', 'Pk'),
		fc.constantFrom('live_', 'test_', ''),
		fc.string({ unit: alnum, minLength: 6, maxLength: 40 }),
	)
	.map(([kind, mode, random]) => `${kind}_${mode}${random}`);

/** What may stand before and after a pasted key: none of it may uncover the key. */
const before = fc.oneof(
	fc.constantFrom(
		'',
		'Bearer ',
		'"',
		"'",
		'key=',
		'?api_key=',
		'Authorization: Bearer ',
		'550e8400-e29b-41d4-a716-446655440000',
		'550e8400-e29b-41d4-a716-446655440000/',
		'team 7 ',
		'https://www.cstar.help/',
		'[',
		'{"key":"',
		'%22',
		'key%3D',
	),
	fc.string({ maxLength: 12 }).map((text) => `${text} `),
);
const after = fc.oneof(
	fc.constantFrom('', '"', "'", '/bulk', '&x=1', ' ', '.', ']', '"}', '%22', '\n'),
	fc.string({ maxLength: 12 }).map((text) => ` ${text}`),
);
const encoding = fc.constantFrom(
	(text: string) => text,
	(text: string) => encodeURIComponent(text),
	(text: string) => text.replace(/_/g, '%5F'),
	(text: string) => JSON.stringify(text),
);

describe('maskKeys', () => {
	it('masks an sk_/pk_ key wherever it is and whatever wraps it', () => {
		fc.assert(
			fc.property(anyKey, before, after, encoding, (key, head, tail, encode) => {
				const text = encode(`${head}${key}${tail}`);
				const masked = maskKeys(text);
				expect(masked).not.toContain(key);
				expect(masked.toLowerCase()).not.toContain(key.slice(3).toLowerCase());
				expect(masked).toContain(REDACTED);
				expect(holdsKey(text)).toBe(true);
			}),
			{ seed: SEED, numRuns: 2000 },
		);
	});

	it("masks the credential's own key, whatever its form, in every form a text may quote it", () => {
		const ownKey = fc.string({ unit: alnum, minLength: 8, maxLength: 48 });
		fc.assert(
			fc.property(ownKey, before, after, encoding, (key, head, tail, encode) => {
				const masked = maskKeys(encode(`${head}${key}${tail}`), secretForms(key));
				expect(masked).not.toContain(key);
			}),
			{ seed: SEED, numRuns: 1000 },
		);
	});

	it('leaves text without a key as it is', () => {
		for (const text of [
			'tkt_550e8400e29b41d4a716446655440000',
			'task_list',
			'desk_help',
			'https://www.cstar.help',
			'550e8400-e29b-41d4-a716-446655440000',
			'100% done',
			'',
		]) {
			expect(maskKeys(text)).toBe(text);
		}
	});

	it('masks deep inside items: values and keys of objects and lists', () => {
		const pasted = ['sk', 'test', 'abcdef123456'].join('_');
		const masked = maskKeysDeep({
			id: `tkt_1${pasted}`,
			data: { notes: [`key=${pasted}`], [pasted]: 1 },
			count: 3,
		});
		expect(JSON.stringify(masked)).not.toContain(pasted);
		expect(masked.count).toBe(3);
	});
});
