import type { IDataObject } from 'n8n-workflow';

import {
	cancelled,
	fatalBadConfiguration,
	failureGist,
	fatalPublishableKey,
	teamLookupFailed,
	type ConnectionInfo,
	type FatalRunError,
} from '../bulk/errors';
import { sendWithRetries, type SendContext, type Sent } from '../bulk/sendWithRetries';

export const DEFAULT_BASE_URL = 'https://www.cstar.help';

/** Team UUIDs and slugs only: nothing that could add a path segment, query or host. */
const TEAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface Connection extends ConnectionInfo {
	teamId?: string;
}

export type CheckedCredentials =
	| { ok: true; connection: Connection }
	| { ok: false; error: FatalRunError };

/** Validates what the credential holds before anything is sent. */
export function checkCredentials(credentials: IDataObject): CheckedCredentials {
	const base = readBaseUrl(credentials.baseUrl);
	if (!base.ok) return { ok: false, error: base.error };
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey.startsWith('pk_')) return { ok: false, error: fatalPublishableKey() };
	const teamId = typeof credentials.teamId === 'string' ? credentials.teamId.trim() : '';
	const teamProblem = teamIdProblem(teamId);
	if (teamProblem) return { ok: false, error: teamProblem };
	return {
		ok: true,
		connection: { baseUrl: base.url, teamId: teamId === '' ? undefined : teamId },
	};
}

const BASE_URL_FIX = `Set "Base URL" in the cStar API credential to ${DEFAULT_BASE_URL} (or your instance's address), with nothing after the path.`;

type BaseUrl = { ok: true; url: string } | { ok: false; error: FatalRunError };

/** The Base URL, or why it can't be used; a message never quotes a password from it. */
export function readBaseUrl(value: unknown): BaseUrl {
	const text = (typeof value === 'string' && value.trim() !== '' ? value : DEFAULT_BASE_URL).trim();
	const refuse = (message: string, fix = BASE_URL_FIX): BaseUrl => ({
		ok: false,
		error: fatalBadConfiguration('invalid_base_url', message, fix),
	});
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return refuse('The Base URL is not a web address (it should look like https://www.cstar.help)');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return refuse(`The Base URL uses ${url.protocol.slice(0, 20)} instead of http(s)`);
	const shown = `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
	if (url.username !== '' || url.password !== '') {
		return refuse(
			`The Base URL ${shown} carries a user name or password before the host`,
			`Remove the "user:password@" part: the node sends only the API key, as a Bearer token. ${BASE_URL_FIX}`,
		);
	}
	if (url.search !== '' || url.hash !== '') {
		return refuse(
			`The Base URL ${shown} has a ${url.search !== '' ? 'query string (?…)' : 'fragment (#…)'}`,
			`The node adds the API path itself. Remove everything from the "${url.search !== '' ? '?' : '#'}" on. ${BASE_URL_FIX}`,
		);
	}
	return { ok: true, url: shown };
}

/** Why a Team ID can't be used; it is never echoed when it looks like a key. */
function teamIdProblem(teamId: string): FatalRunError | undefined {
	if (teamId === '') return undefined;
	if (/^(sk|pk)_/i.test(teamId)) {
		return fatalBadConfiguration(
			'invalid_team_id',
			'The Team ID holds what looks like an API key',
			'A team id is a UUID like 550e8400-e29b-41d4-a716-446655440000, found in cStar team settings; keys go only in "Secret API Key". Fix "Team ID" in the cStar API credential, or leave it empty so the node reads it from the key. If the key was pasted there by mistake, consider rotating it.',
		);
	}
	if (TEAM_ID_PATTERN.test(teamId)) return undefined;
	return fatalBadConfiguration(
		'invalid_team_id',
		`The Team ID "${JSON.stringify(teamId.slice(0, 80)).slice(1, -1)}" is not a cStar team id`,
		'A team id is a UUID like 550e8400-e29b-41d4-a716-446655440000, found in cStar team settings. Fix "Team ID" in the cStar API credential, or leave it empty so the node reads it from the key.',
	);
}

export function teamPath(teamId: string): string {
	return `/api/v1/teams/${encodeURIComponent(teamId)}`;
}

/**
 * When the credential leaves Team ID empty, cStar tells us whose key it is (once per run). Any
 * failure stops the run before a bulk call: no id was sent. A refused key keeps its own message.
 */
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
	if (sent.kind === 'fatal') {
		const status = sent.error.httpStatus;
		// A refused key or a redirect keeps its own message: setting Team ID would not help.
		if (
			status !== undefined &&
			(status === 401 || status === 403 || (status >= 300 && status < 400))
		)
			return { kind: 'fatal', error: sent.error };
		return { kind: 'fatal', error: lookupFailed(`${sent.error.message}`, status) };
	}
	if (sent.kind === 'tooLarge') return { kind: 'fatal', error: lookupFailed('HTTP 413', 413) };
	if (sent.kind === 'failed') {
		if (sent.failure.code === 'cancelled') return { kind: 'failed', failure: cancelled(false) };
		return {
			kind: 'fatal',
			error: lookupFailed(failureGist(sent.failure), sent.failure.httpStatus),
		};
	}
	if (sent.value.keyType === 'publishable') return { kind: 'fatal', error: fatalPublishableKey() };
	if (!TEAM_ID_PATTERN.test(sent.value.teamId) || /^(sk|pk)_/i.test(sent.value.teamId)) {
		return {
			kind: 'fatal',
			error: fatalBadConfiguration(
				'invalid_team_id',
				'cStar returned a team id this node cannot use, so no ids were sent',
				'Set "Team ID" in the cStar API credential to your team UUID from cStar team settings.',
			),
		};
	}
	return { kind: 'done', value: sent.value.teamId };
}

function lookupFailed(what: string, httpStatus?: number): FatalRunError {
	return teamLookupFailed(`the lookup failed: ${what.replace(/\.$/, '')}`, httpStatus);
}
