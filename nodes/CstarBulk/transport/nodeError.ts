import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { FatalRunError } from '../bulk/errors';
import { maskKeys } from '../bulk/redact';

/**
 * A stop as n8n shows it: the run's error panel and a picker's "could not load" box both read the
 * message, the description (what to fix) and the HTTP code from it. Any key in it is masked.
 */
export function toNodeApiError(
	node: INode,
	fatal: FatalRunError,
	moreDescription = '',
	secrets: readonly string[] = [],
): NodeApiError {
	const message = maskKeys(fatal.message, secrets);
	const response: JsonObject = { code: fatal.code, message };
	if (fatal.httpStatus !== undefined) response.httpStatus = fatal.httpStatus;
	if (fatal.requestId !== undefined) response.requestId = maskKeys(fatal.requestId, secrets);
	return new NodeApiError(node, response, {
		message,
		description: maskKeys(`${fatal.description}${moreDescription}`, secrets),
		httpCode: fatal.httpStatus !== undefined ? String(fatal.httpStatus) : undefined,
	});
}
