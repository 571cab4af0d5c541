/** The HTTP seam: the node plugs in n8n's helper, tests plug in anything that speaks HTTP. */
export interface HttpRequest {
	method: 'GET' | 'POST';
	/** Path below the base URL, e.g. /api/v1/teams/<team>/bulk; every dynamic part already encoded. */
	path: string;
	body?: Record<string, unknown>;
	headers?: Record<string, string>;
}

export interface HttpResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** A request that got no HTTP answer. `code` is the network code (ECONNRESET, ECONNABORTED, ...). */
export interface NetworkFailure {
	networkCode: string;
}

/** Resolves with any HTTP status, or with the network failure when no answer came. Never rejects. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse | NetworkFailure>;

export function isNetworkFailure(result: HttpResponse | NetworkFailure): result is NetworkFailure {
	return 'networkCode' in result;
}
