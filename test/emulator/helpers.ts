import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Emulator } from '../support/common';

export type { Emulator };

/**
 * An axios client that never throws on an HTTP status, so tests assert on every status themselves.
 * apiKey null: no Authorization header.
 */
export function client(emu: Emulator, apiKey: string | null = emu.keys.secret): AxiosInstance {
	return axios.create({
		baseURL: emu.url,
		validateStatus: () => true,
		headers: apiKey === null ? {} : { Authorization: `Bearer ${apiKey}` },
	});
}

/** Like client(), but the body stays raw text: for byte-level comparisons and non-JSON bodies. */
export function rawClient(emu: Emulator, apiKey: string = emu.keys.secret): AxiosInstance {
	return axios.create({
		baseURL: emu.url,
		validateStatus: () => true,
		responseType: 'text',
		transformResponse: (data: unknown) => data,
		headers: { Authorization: `Bearer ${apiKey}` },
	});
}

export function teamPath(emu: Emulator, rest: string): string {
	return `/api/v1/teams/${emu.teamId}${rest}`;
}

export async function bulk(
	emu: Emulator,
	body: unknown,
	options: { apiKey?: string; idempotencyKey?: string } = {},
): Promise<AxiosResponse> {
	const headers: Record<string, string> = {};
	if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
	return client(emu, options.apiKey ?? emu.keys.secret).post(teamPath(emu, '/bulk'), body, {
		headers,
	});
}

export function expectError(
	response: AxiosResponse,
	status: number,
	type: string,
	code: string,
	param?: string,
): void {
	expect(response.status).toBe(status);
	expect(response.data.success).toBe(false);
	expect(response.data.error).toMatchObject({ type, code });
	expect(typeof response.data.error.message).toBe('string');
	expect(response.data.error.doc_url).toMatch(/^https:\/\//);
	expect(response.data.error.request_id).toMatch(/^req_[A-Za-z0-9]+$/);
	expect(response.data.meta.requestId).toBe(response.data.error.request_id);
	expect(response.data.meta.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	if (param === undefined) expect(response.data.error).not.toHaveProperty('param');
	else expect(response.data.error.param).toBe(param);
}
