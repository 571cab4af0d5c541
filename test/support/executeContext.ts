import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type IAdditionalCredentialOptions,
	type IExecuteFunctions,
	type IGetNodeParameterOptions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { CstarApi } from '../../credentials/CstarApi.credentials';
import { CstarBulk } from '../../nodes/CstarBulk/CstarBulk.node';
import { n8nHttpRequest } from './n8nHttp';

import type { OnError } from './common';

export type { OnError };
type ParameterValue = unknown | ((itemIndex: number) => unknown);

export interface NodeRun {
	/** Input items, or how many empty ones. */
	items: INodeExecutionData[] | number;
	/** Parameter values as n8n would hand them over after resolving expressions; a function gives one per item. */
	parameters: Record<string, ParameterValue>;
	credentials: ICredentialDataDecryptedObject;
	onError?: OnError;
	/**
	 * What n8n would return with `rawExpressions` (the expression text, before evaluation). By
	 * default a per-item function counts as an expression the node must evaluate per item.
	 */
	rawParameters?: Record<string, unknown>;
	executionId?: string;
	/** Which run of the node within the execution (a loop runs it several times). */
	runIndex?: number;
	signal?: AbortSignal;
	/** Run as an AI agent's tool (n8n's isToolExecution()). */
	asTool?: boolean;
}

/**
 * A stand-in for n8n's execution context: parameters and items are given directly, and
 * httpRequestWithAuthentication does what n8n-core's does (credential header, cancel signal,
 * NodeApiError on failure) through n8n's real HTTP stack.
 */
export function executeContext(run: NodeRun): IExecuteFunctions {
	const items =
		typeof run.items === 'number'
			? Array.from({ length: run.items }, () => ({ json: {} }))
			: run.items;
	const node: INode = {
		id: 'node-cstar-bulk-test',
		name: 'Cstar Bulk',
		type: 'n8n-nodes-cstar.cstarBulk',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		onError: run.onError ?? 'stopWorkflow',
	};
	const context = {
		getInputData: () => items,
		isToolExecution: () => run.asTool === true,
		getNode: () => node,
		getExecutionId: () => run.executionId ?? 'exec-test-1',
		getWorkflowDataProxy: () => ({ $runIndex: run.runIndex ?? 0 }),
		getExecutionCancelSignal: () => run.signal,
		continueOnFail: () =>
			node.onError === 'continueRegularOutput' || node.onError === 'continueErrorOutput',
		getCredentials: async (type: string) => {
			if (type !== 'cstarApi') throw new Error(`unexpected credential type ${type}`);
			return run.credentials;
		},
		getNodeParameter: (
			name: string,
			itemIndex: number,
			fallback?: unknown,
			options?: IGetNodeParameterOptions,
		) => {
			if (options?.rawExpressions) return rawParameter(run, name, fallback);
			if (!(name in run.parameters)) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			const value = run.parameters[name];
			return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
		},
		helpers: {
			httpRequestWithAuthentication: async (
				type: string,
				options: IHttpRequestOptions,
				extra?: IAdditionalCredentialOptions,
			) => {
				if (type !== 'cstarApi') throw new Error(`unexpected credential type ${type}`);
				// As n8n-core: credentials handed over by the node are used instead of loading them.
				const credentials = extra?.credentialsDecrypted?.data ?? run.credentials;
				const authenticated = await new CstarApi().authenticate(credentials, {
					...options,
					abortSignal: run.signal,
				});
				try {
					return await n8nHttpRequest(authenticated);
				} catch (error) {
					throw new NodeApiError(node, error as JsonObject);
				}
			},
		},
	};
	return context as unknown as IExecuteFunctions;
}

function rawParameter(run: NodeRun, name: string, fallback: unknown): unknown {
	if (run.rawParameters && name in run.rawParameters) return run.rawParameters[name];
	const value = run.parameters[name];
	if (typeof value === 'function') return '={{ /* evaluated per item */ }}';
	return name in run.parameters ? value : fallback;
}

export async function runCstarBulk(
	run: NodeRun,
): Promise<{ succeeded: INodeExecutionData[]; failed: INodeExecutionData[] }> {
	const [succeeded, failed] = await new CstarBulk().execute.call(executeContext(run));
	return { succeeded, failed };
}
