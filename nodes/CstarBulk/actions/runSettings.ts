import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { fatalBadConfiguration, type FatalRunError } from '../bulk/errors';
import { secretForms } from '../bulk/redact';
import { readTypedValue } from '../bulk/typedValues';
import type { BulkAction, CstarResource } from '../bulk/types';
import {
	DEFAULT_OPTIONS,
	readOptions,
	type BulkOptions,
	type ReadOptions,
} from '../description/options';
import { API_RESOURCE, type ResourceChoice } from '../description/resourceOperation';
import { sourceProperty } from '../description/search';
import { specOf } from '../description/valueSpecs';
import { isAgentToolCall } from '../items/toolMode';
import { CREDENTIAL_TYPE } from '../transport/n8nTransport';

/** What one execution of the node is asked to do, read once, from the first item. */
export interface RunSettings {
	resource: CstarResource;
	action: BulkAction;
	source: 'input' | 'search';
	options: BulkOptions;
	/** Set when an option can't be read: nothing is sent, and its ids (or searches) fail with it. */
	optionsRefused?: FatalRunError;
	asTool: boolean;
	stopOnError: boolean;
	/** The credential's key in the forms a text may quote it, masked in everything the node says. */
	secrets: string[];
}

/** Reads the run's settings; with On Error set to stop, an option that can't be read stops here. */
export async function readRunSettings(context: IExecuteFunctions): Promise<RunSettings> {
	const asTool = isAgentToolCall(context);
	// An agent gets errors as its tool result, unless On Error is set to stop (as n8n does for tools).
	const stopOnError = asTool
		? context.getNode().onError === 'stopWorkflow'
		: !context.continueOnFail();
	const secrets = await credentialSecrets(context);
	const read = readNodeOptions(context, secrets);
	if (!read.ok && stopOnError) refuse(context, read);
	const source = readTypedValue(
		specOf(sourceProperty),
		context.getNodeParameter('source', 0, 'input'),
		secrets,
	);
	if (!source.ok) refuse(context, source);
	return {
		resource: API_RESOURCE[context.getNodeParameter('resource', 0) as ResourceChoice],
		action: context.getNodeParameter('operation', 0) as BulkAction,
		source: source.ok && source.value === 'search' ? 'search' : 'input',
		options: read.ok ? read.options : DEFAULT_OPTIONS,
		optionsRefused: read.ok
			? undefined
			: fatalBadConfiguration('invalid_option', read.message, read.description),
		asTool,
		stopOnError,
		secrets,
	};
}

function refuse(
	context: IExecuteFunctions,
	refused: { message: string; description: string },
): never {
	throw new NodeOperationError(context.getNode(), refused.message, {
		description: refused.description,
	});
}

/** The credential's key in the forms a text may quote it, for masking; none without a credential. */
async function credentialSecrets(context: IExecuteFunctions): Promise<string[]> {
	try {
		return secretForms((await context.getCredentials(CREDENTIAL_TYPE)).apiKey);
	} catch {
		// The run reads the credential again before its first call, and reports a missing one there.
		return [];
	}
}

function readNodeOptions(context: IExecuteFunctions, secrets: string[]): ReadOptions {
	const given = context.getNodeParameter('options', 0, {}, { rawExpressions: true });
	return readOptions(
		context.getNodeParameter('options', 0, {}) as IDataObject,
		given !== null && typeof given === 'object' ? Object.keys(given) : undefined,
		secrets,
	);
}
