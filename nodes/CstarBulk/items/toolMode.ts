import { NodeConnectionTypes, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether an AI agent runs this node as a tool, by the signals n8n itself uses:
 * - AI Agent 2.x runs a tool inside n8n-core's getInputConnectionData, in a context whose
 *   isToolExecution() is true (and hands the model only the first output, see mapResult);
 * - AI Agent 3.x asks the engine to run it as a step; workflow-execute then rewires the node's
 *   output to ai_tool (`rewireOutputLogTo`), and the model sees only `ai_tool` output 0;
 * - either way the node type is the generated `…Tool` one, whose only output is ai_tool.
 */
export function isAgentToolCall(context: IExecuteFunctions): boolean {
	if (typeof context.isToolExecution === 'function' && context.isToolExecution()) return true;
	if (context.getNode().rewireOutputLogTo === NodeConnectionTypes.AiTool) return true;
	const outputs = typeof context.getNodeOutputs === 'function' ? context.getNodeOutputs() : [];
	return (
		outputs.length > 0 && outputs.every((output) => output.type === NodeConnectionTypes.AiTool)
	);
}
