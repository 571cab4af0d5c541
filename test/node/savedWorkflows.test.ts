import { NodeHelpers, type INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import { CstarBulk } from '../../nodes/CstarBulk/CstarBulk.node';
import type { Emulator } from '../support/common';
import { runCstarBulk } from '../support/executeContext';

/**
 * The Cstar Bulk parameters of examples/*.json as they were before search mode (main at
 * 763d3fa), i.e. workflows users have saved: they have no "source". n8n fills in the defaults
 * of a loaded node (NodeHelpers.getNodeParameters, as its Workflow class does), so they must
 * come out as "From Input Items" and run exactly as before.
 */
const SAVED: Record<string, INodeParameters> = {
	'close-open-tickets': {
		resource: 'ticket',
		operation: 'update',
		ids: '={{ $json.id }}',
		dataMode: 'fields',
		updateFields: { status: 'closed' },
		options: {},
	},
	'delete-customers': {
		resource: 'customer',
		operation: 'delete',
		ids: '={{ $json.customerId }}',
		options: {},
	},
	'reprioritise-tickets': {
		resource: 'ticket',
		operation: 'update',
		ids: '={{ $json.ticketId }}',
		dataMode: 'fields',
		updateFields: { priority: '={{ $json.priority }}' },
		options: {},
	},
};

const description = new CstarBulk().description;
const loaded = (saved: INodeParameters) =>
	NodeHelpers.getNodeParameters(
		description.properties,
		saved,
		true,
		false,
		{ typeVersion: 1 },
		description,
	) ?? {};

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ seed: 3, tickets: 30, customers: 30, articles: 5 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

describe('saved workflows without "source"', () => {
	it.each(Object.keys(SAVED))(
		'%s loads as From Input Items, with its IDs and no search parameters',
		(name) => {
			const parameters = loaded(SAVED[name]);
			expect(parameters.source).toBe('input');
			expect(parameters.ids).toBe(SAVED[name].ids);
			for (const searchOnly of ['filters', 'allRecords', 'limitMode', 'limit'])
				expect(parameters).not.toHaveProperty(searchOnly);
		},
	);

	it('close-open-tickets, as loaded, closes the tickets its items name and lists nothing', async () => {
		const ids = emu.store.ids('tickets').slice(0, 3);
		const parameters = loaded(SAVED['close-open-tickets']);
		const { succeeded, failed } = await runCstarBulk({
			items: ids.map((id) => ({ json: { id } })),
			parameters: { ...parameters, ids: (i: number) => ids[i] },
			credentials: { apiKey: emu.keys.secret, teamId: emu.teamId, baseUrl: emu.url },
		});
		expect(failed).toEqual([]);
		expect(succeeded.map((item) => item.json.id)).toEqual(ids);
		for (const id of ids) expect(emu.store.get('tickets', id)?.status).toBe('closed');
		expect(emu.log.filter((entry) => entry.method === 'GET')).toEqual([]);
	});
});
