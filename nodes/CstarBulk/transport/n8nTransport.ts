import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { HttpResponse, Transport } from '../bulk/http';

export const CREDENTIAL_TYPE = 'cstarApi';

/**
 * All HTTP of the node goes through n8n's own helper, which adds the credential's
 * Authorization header and the execution's cancel signal. Statuses never throw here: the retry
 * policy reads them. Redirects are not followed, so the key never travels to another host.
 */
export function n8nTransport(context: IExecuteFunctions, baseUrl: string, timeoutMs: number): Transport {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			headers: { Accept: 'application/json', ...request.headers },
			json: true,
			timeout: timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		};
		if (request.body !== undefined) options.body = request.body;
		try {
			return toResponse(await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options));
		} catch (error) {
			return { networkCode: networkCodeOf(error) };
		}
	};
}

function toResponse(response: { statusCode?: number; headers?: Record<string, unknown>; body?: unknown }): HttpResponse {
	return {
		statusCode: typeof response.statusCode === 'number' ? response.statusCode : 0,
		headers: { ...(response.headers ?? {}) },
		body: response.body,
	};
}

/** n8n wraps axios failures in NodeApiError with the axios error as `cause`. Only the code is kept. */
function networkCodeOf(error: unknown): string {
	const candidates = [
		(error as { cause?: { code?: unknown } })?.cause?.code,
		(error as { code?: unknown })?.code,
		(error as { httpCode?: unknown })?.httpCode,
	];
	for (const code of candidates) if (typeof code === 'string' && code !== '') return code;
	return 'UNKNOWN';
}
