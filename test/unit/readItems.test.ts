import { plainJsonField } from '../../nodes/CstarBulk/items/readItems';

describe('plainJsonField', () => {
	it.each([
		['={{ $json.id }}', 'id'],
		['={{$json.ticketId}}', 'ticketId'],
		['={{ $json["ticket id"] }}', 'ticket id'],
		["={{ $json['id'] }}", 'id'],
	])('reads %s as the item field %p', (expression, field) => {
		expect(plainJsonField(expression)).toBe(field);
	});

	it.each([
		'={{ $json.a.b }}',
		'={{ $json.id.trim() }}',
		'={{ $json.ids.join(",") }}',
		'={{ $("Node").item.json.id }}',
		'tkt_1',
		'{{ $json.id }}',
		7,
		undefined,
	])('leaves %p to n8n to evaluate', (expression) => {
		expect(plainJsonField(expression)).toBeUndefined();
	});
});
