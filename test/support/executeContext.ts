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
	const node = testNode({ onError: run.onError ?? 'stopWorkflow' });
	const context = {
		getInputData: () => items,
		isToolExecution: () => run.asTool === true,
		getNode: () => node,
		getExecutionId: () => run.executionId ?? 'exec-test-1',
		getWorkflowDataProxy: () => ({ $runIndex: run.runIndex ?? 0 }),
		getExecutionCancelSignal: () => run.signal,
		// n8n's logger; progress lines (only for runs of 30 s or more) are not read here.
		logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
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
			httpRequestWithAuthentication: authenticatedRequest(node, run.credentials, run.signal),
		},
	};
	return context as unknown as IExecuteFunctions;
}

/** The node as n8n hands it to the context. */
export function testNode(extra: Partial<INode> = {}): INode {
	return {
		id: 'node-cstar-bulk-test',
		name: 'Cstar Bulk',
		type: 'n8n-nodes-cstar.cstarBulk',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...extra,
	};
}

/**
 * What n8n-core's httpRequestWithAuthentication does: the credential's header (the one handed over
 * by the node, else the node's own credential), n8n's real HTTP stack, NodeApiError on failure.
 */
export function authenticatedRequest(
	node: INode,
	nodeCredentials: ICredentialDataDecryptedObject | undefined,
	signal?: AbortSignal,
) {
	return async (
		type: string,
		options: IHttpRequestOptions,
		extra?: IAdditionalCredentialOptions,
	): Promise<unknown> => {
		if (type !== 'cstarApi') throw new Error(`unexpected credential type ${type}`);
		const credentials = extra?.credentialsDecrypted?.data ?? nodeCredentials;
		if (credentials === undefined) throw new Error('Credentials not found');
		const authenticated = await new CstarApi().authenticate(credentials, {
			...options,
			abortSignal: signal,
		});
		try {
			return await n8nHttpRequest(authenticated);
		} catch (error) {
			throw new NodeApiError(node, error as JsonObject);
		}
	};
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
