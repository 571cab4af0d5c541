import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { FatalRunError } from '../bulk/errors';

/**
 * A stop as n8n shows it: the run's error panel and a picker's "could not load" box both read the
 * message, the description (what to fix) and the HTTP code from it.
 */
export function toNodeApiError(
	node: INode,
	fatal: FatalRunError,
	moreDescription = '',
): NodeApiError {
	const response: JsonObject = { code: fatal.code, message: fatal.message };
	if (fatal.httpStatus !== undefined) response.httpStatus = fatal.httpStatus;
	if (fatal.requestId !== undefined) response.requestId = fatal.requestId;
	return new NodeApiError(node, response, {
		message: fatal.message,
		description: `${fatal.description}${moreDescription}`,
		httpCode: fatal.httpStatus !== undefined ? String(fatal.httpStatus) : undefined,
	});
}
