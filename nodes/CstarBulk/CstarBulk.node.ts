import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export class CstarBulk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cstar Bulk',
		name: 'cstarBulk',
		icon: { light: 'file:../../icons/cstar.svg', dark: 'file:../../icons/cstar.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Update or delete cStar tickets, customers or articles in bulk',
		defaults: { name: 'Cstar Bulk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Succeeded', 'Failed'],
		credentials: [{ name: 'cstarApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[], []];
	}
}
