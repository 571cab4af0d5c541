import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeFromInput } from './actions/fromInput';
import { executeSearch } from './actions/fromSearch';
import { readRunSettings } from './actions/runSettings';
import { optionsProperty } from './description/options';
import {
	idsProperty,
	operationProperties,
	resourceProperty,
} from './description/resourceOperation';
import { searchProperties, sourceProperty } from './description/search';
import { toolDescriptionProperties } from './description/toolDescription';
import { updateDataProperties } from './description/updateFields';
import { searchCustomers, searchMembers, searchMembersOrNobody } from './transport/listSearch';

/**
 * Programmatic, not declarative: it gathers ids across all items (or finds them by a cStar
 * search) into calls of up to 100 and fans each call's per-id answer back out to the items that
 * named them, on two outputs. The stages live in actions/, items/, bulk/ and transport/.
 */
export class CstarBulk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cstar Bulk',
		name: 'cstarBulk',
		icon: { light: 'file:../../icons/cstar.svg', dark: 'file:../../icons/cstar.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + " " + $parameter["resource"] + "s in bulk"}}',
		description: 'Update or delete thousands of cStar tickets, customers or articles, 100 per call',
		defaults: { name: 'Cstar Bulk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Succeeded', 'Failed'],
		credentials: [{ name: 'cstarApi', required: true }],
		properties: [
			resourceProperty,
			...operationProperties,
			...toolDescriptionProperties,
			sourceProperty,
			idsProperty,
			...searchProperties,
			...updateDataProperties,
			optionsProperty,
		],
	};

	methods = {
		listSearch: { searchMembers, searchMembersOrNobody, searchCustomers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const run = await readRunSettings(this);
		if (run.source === 'search') return await executeSearch(this, run);
		return await executeFromInput(this, run);
	}
}
