import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { isAgentToolCall } from '../../nodes/CstarBulk/items/toolMode';

interface Signals {
	isToolExecution?: boolean;
	rewireOutputLogTo?: string;
	outputs?: string[];
}

/** Only the three things isAgentToolCall reads, as n8n's execution contexts give them. */
function contextWith(signals: Signals): IExecuteFunctions {
	const node = { name: 'Cstar Bulk', rewireOutputLogTo: signals.rewireOutputLogTo } as INode;
	return {
		isToolExecution: () => signals.isToolExecution === true,
		getNode: () => node,
		getNodeOutputs: () => (signals.outputs ?? ['main', 'main']).map((type) => ({ type })),
	} as unknown as IExecuteFunctions;
}

describe('isAgentToolCall', () => {
	it('is false for a normal run of the two-output node', () => {
		expect(isAgentToolCall(contextWith({}))).toBe(false);
	});

	it('is true when AI Agent 2.x runs the tool (isToolExecution)', () => {
		expect(isAgentToolCall(contextWith({ isToolExecution: true }))).toBe(true);
	});

	it('is true when AI Agent 3.x has the engine run it (output rewired to ai_tool)', () => {
		expect(isAgentToolCall(contextWith({ rewireOutputLogTo: 'ai_tool' }))).toBe(true);
	});

	it('is true for the generated Tool node type, whose only output is ai_tool', () => {
		expect(isAgentToolCall(contextWith({ outputs: ['ai_tool'] }))).toBe(true);
	});

	it('works where n8n offers neither isToolExecution nor getNodeOutputs', () => {
		const node = { name: 'Cstar Bulk' } as INode;
		expect(isAgentToolCall({ getNode: () => node } as unknown as IExecuteFunctions)).toBe(false);
	});
});
