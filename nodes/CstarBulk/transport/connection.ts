import type { IDataObject } from 'n8n-workflow';

import { fatalBadConfiguration, fatalFromResponse, type ConnectionInfo } from '../bulk/errors';
import type { SendContext, Sent } from '../bulk/sendBatch';
import { sendWithRetries } from '../bulk/sendBatch';

export const DEFAULT_BASE_URL = 'https://www.cstar.help';

/** Team UUIDs and slugs only: nothing that could add a path segment, query or host. */
const TEAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface Connection extends ConnectionInfo {
	teamId?: string;
}

export type CheckedCredentials =
	| { ok: true; connection: Connection }
	| { ok: false; error: ReturnType<typeof fatalBadConfiguration> };

/** Validates what the credential holds before anything is sent. */
export function checkCredentials(credentials: IDataObject): CheckedCredentials {
	const baseUrl = normaliseBaseUrl(credentials.baseUrl);
	if (baseUrl === undefined) {
		return {
			ok: false,
			error: fatalBadConfiguration(
				'invalid_base_url',
				`The Base URL "${String(credentials.baseUrl ?? '')}" is not an http(s) address`,
				`Set "Base URL" in the cStar API credential to ${DEFAULT_BASE_URL} (or your instance's address), without a query or fragment.`,
			),
		};
	}
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey.startsWith('pk_')) {
		return {
			ok: false,
			error: fatalBadConfiguration(
				'publishable_key_write',
				'The credential holds a publishable key, which cannot change data',
				'Publishable keys (pk_…) are read-only, and bulk updates and deletes are writes. Open the cStar API credential and paste a secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys.',
			),
		};
	}
	const teamId = typeof credentials.teamId === 'string' ? credentials.teamId.trim() : '';
	if (teamId !== '' && !TEAM_ID_PATTERN.test(teamId)) {
		return {
			ok: false,
			error: fatalBadConfiguration(
				'invalid_team_id',
				`The Team ID "${teamId.slice(0, 80)}" is not a cStar team id`,
				'A team id is a UUID like 550e8400-e29b-41d4-a716-446655440000, found in cStar team settings. Fix "Team ID" in the cStar API credential, or leave it empty so the node reads it from the key.',
			),
		};
	}
	return { ok: true, connection: { baseUrl, teamId: teamId === '' ? undefined : teamId } };
}

export function normaliseBaseUrl(value: unknown): string | undefined {
	const text = (typeof value === 'string' && value.trim() !== '' ? value : DEFAULT_BASE_URL).trim();
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
	if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
		return undefined;
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function teamPath(teamId: string): string {
	return `/api/v1/teams/${encodeURIComponent(teamId)}`;
}

/** When the credential leaves Team ID empty, cStar tells us whose key it is (once per run). */
export async function discoverTeamId(ctx: SendContext): Promise<Sent<string>> {
	const sent = await sendWithRetries<{ teamId: string; keyType?: string }>(
		ctx,
		{ method: 'GET', path: '/api/v1/auth/whoami' },
		(response) => {
			const data = (response.body as { data?: { teamId?: unknown; keyType?: unknown } } | undefined)
				?.data;
			if (typeof data?.teamId !== 'string') return { unreadable: 'whoami gave no teamId' };
			return {
				value: {
					teamId: data.teamId,
					keyType: typeof data.keyType === 'string' ? data.keyType : undefined,
				},
			};
		},
	);
	if (sent.kind !== 'done') return sent;
	if (sent.value.keyType === 'publishable') {
		return {
			kind: 'fatal',
			error: fatalFromResponse(
				403,
				{ error: { code: 'publishable_key_write' } },
				{},
				ctx.connection,
			),
		};
	}
	if (!TEAM_ID_PATTERN.test(sent.value.teamId)) {
		return {
			kind: 'fatal',
			error: fatalBadConfiguration(
				'invalid_team_id',
				'cStar returned a team id this node cannot use',
				'Set "Team ID" in the cStar API credential to your team UUID from cStar team settings.',
			),
		};
	}
	return { kind: 'done', value: sent.value.teamId };
}
