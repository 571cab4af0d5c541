import { dataFromFields, dataFromJson } from '../../nodes/CstarBulk/bulk/updateData';

const kinds = { jsonFields: new Set(['metadata']), listFields: new Set(['tags']) };

describe('dataFromFields', () => {
	it('passes plain fields, splits tags and parses JSON fields', () => {
		expect(
			dataFromFields(
				{ status: 'closed', tags: 'vip, billing ,', metadata: '{"a":1}', isPublic: false },
				kinds,
			),
		).toEqual({
			ok: true,
			data: { status: 'closed', tags: ['vip', 'billing'], metadata: { a: 1 }, isPublic: false },
		});
	});

	it('sends an empty tag list when tags are cleared', () => {
		expect(dataFromFields({ tags: '' }, kinds)).toEqual({ ok: true, data: { tags: [] } });
	});

	it('refuses an update with no fields', () => {
		expect(dataFromFields({}, kinds)).toMatchObject({ ok: false, code: 'no_update_fields' });
	});

	it('refuses invalid JSON in a JSON field', () => {
		expect(dataFromFields({ metadata: '{oops' }, kinds)).toMatchObject({
			ok: false,
			code: 'invalid_json',
		});
	});
});

describe('dataFromJson', () => {
	it('accepts a JSON object as text or as an object', () => {
		expect(dataFromJson('{"status":"closed"}')).toEqual({ ok: true, data: { status: 'closed' } });
		expect(dataFromJson({ priority: 'high' })).toEqual({ ok: true, data: { priority: 'high' } });
	});

	it.each(['{"status":', '[1,2]', '"text"', '42', 'null'])(
		'refuses %s with invalid_json',
		(text) => {
			const result = dataFromJson(text);
			expect(result).toMatchObject({ ok: false, code: 'invalid_json' });
			if (!result.ok) expect(result.message).toMatch(/JSON Data/);
		},
	);

	it('refuses an empty object', () => {
		expect(dataFromJson('{}')).toMatchObject({ ok: false, code: 'no_update_fields' });
		expect(dataFromJson('  ')).toMatchObject({ ok: false, code: 'no_update_fields' });
	});
});
