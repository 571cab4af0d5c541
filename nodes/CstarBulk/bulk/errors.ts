import { errorObject, requestIdOf } from './responseReaders';
import type { IdFailure, IdOutcome } from './types';

/**
 * The one translator from what cStar (or the network) said to what an ops person reads:
 * what happened, then how to fix it. No message ever includes request headers, so the key
 * cannot leak through it.
 */

/** A failure no later call can get past (key, team, base URL): the run stops. */
export class FatalRunError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly description: string,
		readonly httpStatus?: number,
		readonly requestId?: string,
	) {
		super(message);
		this.name = 'FatalRunError';
	}
}

export interface ConnectionInfo {
	baseUrl: string;
	teamId?: string;
}

const KEY_FIX =
	'Open the cStar API credential and paste a valid secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys.';
/** For a publishable key the point is "secret", not "valid": the key itself works, for reading. */
const SECRET_KEY_FIX =
	'Open the cStar API credential and paste a secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys.';

export function fatalFromResponse(
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown>,
	connection: ConnectionInfo,
): FatalRunError {
	const error = errorObject(body);
	const code = typeof error?.code === 'string' ? error.code.toLowerCase() : undefined;
	const said = typeof error?.message === 'string' ? ` cStar said: "${error.message}".` : '';
	const requestId = requestIdOf(body);
	const fatal = (ourCode: string, message: string, description: string) =>
		new FatalRunError(ourCode, message, description, statusCode, requestId);

	if (statusCode === 401) {
		return fatal(
			code ?? 'authentication_required',
			`cStar did not accept the API key (${code ?? 'HTTP 401'})`,
			`The key is missing, mistyped, revoked or expired.${said} ${KEY_FIX}`,
		);
	}
	if (statusCode === 403 && code === 'publishable_key_write') {
		return fatalPublishableKey(said, statusCode, requestId);
	}
	if (statusCode === 403 && code === 'team_access_denied') {
		return fatal(
			code,
			`The API key does not belong to team ${connection.teamId ?? '(unknown)'}`,
			`cStar refused access to this team.${said} Fix "Team ID" in the cStar API credential, or leave it empty so the node reads the team from the key.`,
		);
	}
	if (statusCode === 403) {
		return fatal(
			code ?? 'insufficient_permissions',
			`The API key is not allowed to make bulk changes (${code ?? 'HTTP 403'})`,
			`cStar refused the request.${said} Use a secret key whose role may update and delete records (Owner, Admin or Manager), or ask a cStar admin to grant it.`,
		);
	}
	if (statusCode >= 300 && statusCode < 400) {
		const location = headerText(headers, 'location');
		return fatal(
			'unexpected_redirect',
			`cStar answered with a redirect (HTTP ${statusCode}) instead of the API`,
			`${location ? `It pointed to ${originOf(location)}. ` : ''}The node does not follow redirects, so the key is never sent to another host. Set "Base URL" in the cStar API credential to the address the API really uses, e.g. https://www.cstar.help.`,
		);
	}
	return fatal(
		'api_not_found',
		`Nothing answers at ${connection.baseUrl}/api/v1 for this team (HTTP ${statusCode})`,
		`The Base URL or the Team ID is wrong.${said} Set "Base URL" to https://www.cstar.help (or your instance) and check "Team ID" in the cStar API credential, or leave it empty so the node reads it from the key.`,
	);
}

/** The credential holds a pk_ key (seen in the key itself, in whoami, or in cStar's 403). */
export function fatalPublishableKey(
	said = '',
	httpStatus?: number,
	requestId?: string,
): FatalRunError {
	return new FatalRunError(
		'publishable_key_write',
		'The credential holds a publishable key, which cannot change data',
		`Publishable keys (pk_…) are read-only, and bulk updates and deletes are writes.${said} ${SECRET_KEY_FIX}`,
		httpStatus,
		requestId,
	);
}

export function fatalUnreachable(
	networkCode: string,
	tries: number,
	connection: ConnectionInfo,
): FatalRunError {
	return new FatalRunError(
		'cstar_unreachable',
		`Could not reach cStar at ${connection.baseUrl}`,
		`The connection failed (network code ${networkCode}) on ${triesText(tries)}. Check "Base URL" in the cStar API credential and that this n8n server can reach it; if cStar is down, run the workflow again later. Nothing was sent for the ids still open.`,
	);
}

export function fatalBadConfiguration(
	code: string,
	message: string,
	description: string,
): FatalRunError {
	return new FatalRunError(code, message, description);
}

/** cStar refused one request (400, 409, 422 ...): nothing in it was applied. */
export function rejectedRequest(statusCode: number, body: unknown): IdFailure {
	const error = errorObject(body);
	const code = typeof error?.code === 'string' ? error.code.toLowerCase() : `http_${statusCode}`;
	const param = typeof error?.param === 'string' ? ` (field "${error.param}")` : '';
	const said = typeof error?.message === 'string' ? error.message : `HTTP ${statusCode}`;
	return {
		code,
		message: `cStar refused the request${param}: ${said}. Nothing in it was changed; fix the value and run again.`,
		httpStatus: statusCode,
		requestId: requestIdOf(body),
	};
}

/** Every failure that may hide an applied change starts so; the stop message counts them. */
export const NOT_CONFIRMED = 'Not confirmed:';

export function mayHaveChanged(failure: IdFailure): boolean {
	return failure.message.startsWith(NOT_CONFIRMED);
}

/**
 * An earlier try of the call may have reached cStar (its answer was lost), and the resend was then
 * refused: the refusal says nothing about the first try, so the ids are not confirmed either way.
 */
export function refusedAfterLostTry(refusal: IdFailure): IdFailure {
	const said = refusal.message.replace(/ Nothing in it was changed.*$/, '');
	return {
		code: 'outcome_unknown',
		message: `${NOT_CONFIRMED} an earlier try of this call got no answer, so these ids may or may not have changed; the resend was then refused (${refusal.code}: ${said}). Check them in cStar, or run the workflow again.`,
		httpStatus: refusal.httpStatus,
		requestId: refusal.requestId,
	};
}

/** A 2xx that does not say the work was done (202 queued, 204 empty, 207 partial ...). */
export function answeredWithoutConfirmation(statusCode: number, body: unknown): IdFailure {
	return {
		code: 'outcome_unknown',
		message: `${NOT_CONFIRMED} cStar answered HTTP ${statusCode}, which does not say the change was made, so these ids may or may not have changed. Check them in cStar, or run the workflow again (updates are safe to repeat).`,
		httpStatus: statusCode,
		requestId: requestIdOf(body),
	};
}

/** A 413 for a call of one id: it cannot be made smaller. */
export function tooLargeForOneId(body: unknown): IdFailure {
	return {
		code: 'request_too_large',
		message:
			'cStar refused the call as too large (HTTP 413), even with this id alone in it (the node split the batch down to single ids first), so nothing was changed for it. Make the update data for this id smaller.',
		httpStatus: 413,
		requestId: requestIdOf(body),
	};
}

/** The team lookup (Team ID empty) failed: no bulk call was made, so no id was sent. */
export function teamLookupFailed(what: string, httpStatus?: number): FatalRunError {
	return new FatalRunError(
		'team_lookup_failed',
		'Could not look up the team of the API key, so no ids were sent',
		`The node asks cStar for the key's team (GET /api/v1/auth/whoami) when "Team ID" is empty, and ${what}. Set "Team ID" in the cStar API credential to your team's UUID from cStar team settings, so the node does not need the lookup, or run the workflow again later.`,
		httpStatus,
	);
}

/** What the run did before a stop, for the Stop-mode error's description. */
export function progressBeforeStop(outcomes: Array<IdOutcome | undefined>): string {
	let confirmed = 0;
	let failed = 0;
	let unsure = 0;
	for (const outcome of outcomes) {
		if (outcome === undefined || outcome.status === 'planned') continue;
		if (outcome.status === 'succeeded') confirmed++;
		else if (mayHaveChanged(outcome)) unsure++;
		else failed++;
	}
	if (confirmed + failed + unsure === 0) return '';
	const ids = (n: number) => `${n} id${n === 1 ? '' : 's'}`;
	const maybe = unsure > 0 ? `, and ${ids(unsure)} may have been changed before the stop` : '';
	return ` Before this, cStar confirmed ${ids(confirmed)} and ${failed} failed${maybe}; set On Error to "Continue" to see them per id.`;
}

export function gaveUpAfterTransientFailures(
	statusCode: number | undefined,
	networkCode: string | undefined,
	tries: number,
): IdFailure {
	const what =
		statusCode !== undefined
			? `cStar kept failing (HTTP ${statusCode})`
			: `the connection kept failing (${networkCode})`;
	return {
		code: 'outcome_unknown',
		message: `${NOT_CONFIRMED} ${what} after ${triesText(tries)}, so these ids may or may not have changed. Check them in cStar, or run the workflow again (updates are safe to repeat).`,
		httpStatus: statusCode,
	};
}

/** `mayHaveArrived`: an earlier try of the call went unanswered, so cStar may have applied it. */
export function rateLimitWaitTooLong(
	waitMs: number,
	maxWaitMs: number,
	mayHaveArrived = false,
): IdFailure {
	const wait = `cStar's rate limit asked for ${waitText(waitMs)}, beyond "Max Rate Limit Wait" (${Math.round(maxWaitMs / 1000)} s)`;
	return {
		code: 'rate_limited',
		message: mayHaveArrived
			? `${NOT_CONFIRMED} an earlier try got no clear answer, so these ids may or may not have changed, and then ${wait}. Check them in cStar, or run the workflow again after the limit resets (updates are safe to repeat).`
			: `Not sent: ${wait}. Raise that option, or run the workflow again after the limit resets.`,
		httpStatus: 429,
	};
}

export function unreadableAnswer(detail: string, tries: number): IdFailure {
	return {
		code: 'invalid_response',
		message: `${NOT_CONFIRMED} cStar's answer could not be read (${detail}) after ${triesText(tries)}, so these ids may or may not have changed. Check them in cStar, or run again.`,
	};
}

export function countsDoNotReconcile(detail: string, requestId?: string): IdFailure {
	return {
		code: 'outcome_unknown',
		message: `${NOT_CONFIRMED} cStar's answer does not say which ids failed (${detail}), so this id may or may not have changed. Check it in cStar, or run again.`,
		requestId,
	};
}

export function failedWithoutReason(requestId?: string): IdFailure {
	return {
		code: 'not_applied',
		message:
			'cStar reported this id as failed without giving a reason. Check that the id exists and belongs to this resource.',
		requestId,
	};
}

export function cancelled(mayHaveArrived: boolean): IdFailure {
	return {
		code: 'cancelled',
		message: mayHaveArrived
			? `${NOT_CONFIRMED} the execution was cancelled while this id was being sent, so it may or may not have changed.`
			: 'Not sent: the execution was cancelled before this id was sent.',
	};
}

/** The gist of a failed read (team lookup, list page): a GET changes nothing, so no "may have changed". */
export function failureGist(failure: IdFailure): string {
	if (failure.code === 'rate_limited')
		return "cStar's rate limit asked for a longer wait than allowed";
	if (failure.code === 'cancelled') return 'the execution was cancelled';
	if (failure.code === 'invalid_response') return "cStar's answer could not be read";
	if (failure.httpStatus !== undefined)
		return `cStar answered HTTP ${failure.httpStatus} (${failure.code})`;
	return `the connection kept failing (${failure.message.match(/\(([A-Z_]+)\)/)?.[1] ?? failure.code})`;
}

/** A list call of a search failed: the search found nothing to act on, and nothing was changed. */
export function listingFailed(resource: string, failure: IdFailure): IdFailure {
	const refused = failure.message.startsWith('cStar refused the request');
	const what = refused
		? failure.message.replace(/ Nothing in it was changed.*$/, '')
		: failureGist(failure);
	return {
		code: failure.code,
		message: `Could not list the ${resource} of this search (${what.replace(/\.$/, '')}), so nothing was changed for it. ${refused ? 'Fix the filter and run again.' : 'Run the workflow again; a search is safe to repeat.'}`,
		httpStatus: failure.httpStatus,
		requestId: failure.requestId,
	};
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' ? value : undefined;
}

function originOf(location: string): string {
	try {
		return new URL(location).origin;
	} catch {
		return 'another address';
	}
}

function triesText(tries: number): string {
	return tries === 1 ? '1 try' : `${tries} tries`;
}

function waitText(waitMs: number): string {
	return Number.isFinite(waitMs) && waitMs < 365 * 24 * 3600 * 1000
		? `a ${Math.ceil(waitMs / 1000)} s wait`
		: 'an unbounded wait';
}
