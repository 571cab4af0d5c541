/** Readers of what an HTTP answer carries: headers, cStar's error envelope, its request id. */
export type Headers = Record<string, unknown>;

export function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()] ?? findHeader(headers, name);
	if (value === undefined || value === null) return undefined;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

function findHeader(headers: Headers, name: string): unknown {
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() === wanted) return headers[key];
	}
	return undefined;
}

/** cStar's error envelope: `{ "error": { "code", "message", ... } }`. */
export function errorObject(body: unknown): Record<string, unknown> | undefined {
	if (body === null || typeof body !== 'object') return undefined;
	const error = (body as Record<string, unknown>).error;
	return error !== null && typeof error === 'object'
		? (error as Record<string, unknown>)
		: undefined;
}

export function errorCode(body: unknown): string | undefined {
	const code = errorObject(body)?.code;
	return typeof code === 'string' ? code.toLowerCase() : undefined;
}

export function requestIdOf(body: unknown): string | undefined {
	if (body === null || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	const meta = record.meta as Record<string, unknown> | undefined;
	const fromError = errorObject(body)?.request_id;
	const id = meta?.requestId ?? fromError;
	return typeof id === 'string' ? id : undefined;
}
