import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { HttpResponse, Transport } from '../bulk/http';
import { redactSecrets, secretForms } from '../bulk/redact';

export const CREDENTIAL_TYPE = 'cstarApi';

/** A run, or an editor list (a picker) asking cStar. */
type N8nContext = IExecuteFunctions | ILoadOptionsFunctions;

/**
 * All HTTP of the node goes through n8n's own helper, which adds the credential's
 * Authorization header and the execution's cancel signal. Statuses never throw here: the retry
 * policy reads them. Redirects are not followed, so the key never travels to another host.
 * The credential, read once per run, is handed to every call: without it n8n loads and decrypts
 * the credential again for each call (most of a call's cost in n8n 2.40, see bench/README.md).
 */
export function n8nTransport(
	context: N8nContext,
	baseUrl: string,
	timeoutMs: number,
	credentials: ICredentialDataDecryptedObject,
): Transport {
	const secrets = secretForms(credentials.apiKey);
	const credentialOptions = { credentialsDecrypted: decryptedOnce(context, credentials) };
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
			const response = toResponse(
				await context.helpers.httpRequestWithAuthentication.call(
					context,
					CREDENTIAL_TYPE,
					options,
					credentialOptions,
				),
			);
			if (!quotesSecret(response, secrets)) return response;
			return {
				...response,
				// An answer that quotes the key back ("Invalid API key: …") would carry it into messages.
				headers: redactSecrets(response.headers, secrets),
				body: redactSecrets(response.body, secrets),
			};
		} catch (error) {
			return { networkCode: networkCodeOf(error) };
		}
	};
}

function toResponse(response: {
	statusCode?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}): HttpResponse {
	return {
		statusCode: typeof response.statusCode === 'number' ? response.statusCode : 0,
		headers: { ...(response.headers ?? {}) },
		body: response.body,
	};
}

function decryptedOnce(
	context: N8nContext,
	data: ICredentialDataDecryptedObject,
): ICredentialsDecrypted {
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data };
}

/** One native pass over the answer; the walk runs only for the rare answer that needs it. */
function quotesSecret(response: HttpResponse, secrets: string[]): boolean {
	if (secrets.length === 0) return false;
	const text = JSON.stringify([response.headers, response.body]) ?? '';
	return secrets.some((secret) => text.includes(JSON.stringify(secret).slice(1, -1)));
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
