import * as errors from '../../nodes/CstarBulk/bulk/errors';
import { maskKeys } from '../../nodes/CstarBulk/bulk/redact';
import { parseIds } from '../../nodes/CstarBulk/bulk/ids';
import { readTypedValue } from '../../nodes/CstarBulk/bulk/typedValues';
import { dataFromJson } from '../../nodes/CstarBulk/bulk/updateData';
import { optionSpecs } from '../../nodes/CstarBulk/description/options';
import { checkCredentials } from '../../nodes/CstarBulk/transport/connection';

/**
 * Every text a user reads, over every code and every shape of what cStar said: it reads as a
 * sentence (a title for an error's headline), never shows a missing value, never doubles a period.
 */
const LEAKED_VALUE = /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/;

function problems(text: string, kind: 'sentence' | 'title'): string[] {
	const found: string[] = [];
	if (!/^(?:[A-Z"]|cStar)/.test(text)) found.push('does not start with a capital');
	if (text.includes('..') && !text.includes('...')) found.push('doubled period');
	if (/\.\s*"?\.$/.test(text) || text.includes('...')) found.push('doubled period');
	if (LEAKED_VALUE.test(text)) found.push('shows a missing value');
	if (/ {2}|\s[.,;:]|^\s|\s$/.test(text)) found.push('stray space');
	if (kind === 'sentence' && !/[^.]\.$/.test(text)) found.push('does not end with one period');
	if (kind === 'title' && /[.\s]$/.test(text)) found.push('a headline ends without a period');
	// Our own hints ("sk_live_… or sk_test_…", "pk_…") are not keys: masking leaves them readable.
	if (maskKeys(text) !== text) found.push('masking would change it');
	return found;
}

function lint(where: string, text: string | undefined, kind: 'sentence' | 'title'): void {
	expect(typeof text).toBe('string');
	const found = problems(text as string, kind);
	if (found.length > 0) throw new Error(`${where}: ${found.join(', ')}: ${JSON.stringify(text)}`);
}

const lintFatal = (where: string, fatal: errors.FatalRunError) => {
	lint(`${where} message`, fatal.message, 'title');
	lint(`${where} description`, fatal.description, 'sentence');
};
const lintFailure = (where: string, failure: { message: string }) =>
	lint(where, failure.message, 'sentence');

const STATUSES = [301, 302, 307, 400, 401, 403, 404, 409, 410, 413, 422, 429, 500, 502, 503];
const CODES = [
	undefined,
	'publishable_key_write',
	'team_access_denied',
	'insufficient_permissions',
	'PARAMETER_INVALID',
	'',
];
const SAID = [
	undefined,
	'',
	'Ticket not found',
	'Ticket not found.',
	'Bad value..',
	'  Odd  ',
	'Why?',
];

function bodies(): unknown[] {
	const out: unknown[] = [undefined, null, 'plain text', [], {}];
	for (const code of CODES)
		for (const message of SAID) {
			out.push({ success: false, error: { code, message, param: 'status' } });
			out.push({ success: false, error: { code, message }, meta: { requestId: 'req_1' } });
		}
	return out;
}

describe('every message of bulk/errors.ts reads cleanly', () => {
	it('fatalFromResponse: every status, code and shape of answer', () => {
		for (const status of STATUSES)
			for (const body of bodies())
				for (const location of [undefined, 'https://elsewhere.example/x', 'not a url'])
					for (const teamId of [undefined, 'team-1'])
						lintFatal(
							`fatalFromResponse ${status}`,
							errors.fatalFromResponse(status, body, location === undefined ? {} : { location }, {
								baseUrl: 'https://www.cstar.help',
								teamId,
							}),
						);
	});

	it('rejectedRequest and refusedAfterLostTry: every status and answer', () => {
		for (const status of STATUSES)
			for (const body of bodies()) {
				const refusal = errors.rejectedRequest(status, body);
				lintFailure(`rejectedRequest ${status}`, refusal);
				lintFailure(`refusedAfterLostTry ${status}`, errors.refusedAfterLostTry(refusal));
				lintFailure(
					`answeredWithoutConfirmation ${status}`,
					errors.answeredWithoutConfirmation(status, body),
				);
				lintFailure(`tooLargeForOneId`, errors.tooLargeForOneId(body));
			}
	});

	it('the other translators, over their inputs', () => {
		lintFatal('fatalPublishableKey', errors.fatalPublishableKey());
		lintFatal('fatalPublishableKey said', errors.fatalPublishableKey(' cStar said: "No".', 403));
		for (const tries of [1, 2, 4]) {
			for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'UNKNOWN'])
				lintFatal(
					'fatalUnreachable',
					errors.fatalUnreachable(code, tries, { baseUrl: 'https://x.example' }),
				);
			for (const status of [undefined, 500, 503])
				for (const network of [undefined, 'ECONNRESET'])
					lintFailure(
						'gaveUpAfterTransientFailures',
						errors.gaveUpAfterTransientFailures(status, network, tries),
					);
			lintFailure('unreadableAnswer', errors.unreadableAnswer('not JSON', tries));
		}
		for (const what of ['cStar answered HTTP 500', 'the lookup failed: x.'])
			lintFatal('teamLookupFailed', errors.teamLookupFailed(what, 500));
		for (const wait of [0, 1500, 61_000, Infinity])
			for (const arrived of [false, true])
				lintFailure('rateLimitWaitTooLong', errors.rateLimitWaitTooLong(wait, 30_000, arrived));
		lintFailure('countsDoNotReconcile', errors.countsDoNotReconcile('2 failed, 1 listed'));
		lintFailure('failedWithoutReason', errors.failedWithoutReason());
		for (const arrived of [false, true]) lintFailure('cancelled', errors.cancelled(arrived));
	});

	it('progressBeforeStop, for every mix of outcomes', () => {
		const succeeded = { status: 'succeeded' as const };
		const failed = { status: 'failed' as const, code: 'x', message: 'Gone.' };
		const unsure = { status: 'failed' as const, ...errors.cancelled(true) };
		for (const counts of [
			[1, 0, 0],
			[0, 1, 0],
			[0, 0, 1],
			[2, 3, 4],
		]) {
			const outcomes = [
				...Array(counts[0]).fill(succeeded),
				...Array(counts[1]).fill(failed),
				...Array(counts[2]).fill(unsure),
			];
			lint('progressBeforeStop', errors.progressBeforeStop(outcomes).trim(), 'sentence');
		}
	});
});

describe('the refusals of options, ids, data and the credential read cleanly', () => {
	const values = ['', ' ', 'abc', 'x'.repeat(300), -1, 1.5, 1e9, NaN, Infinity, [], {}, true];
	it('every option, every kind of wrong value', () => {
		for (const spec of Object.values(optionSpecs()))
			for (const raw of [...values, null]) {
				const read = readTypedValue(spec, raw);
				if (read.ok) continue;
				lint(`${spec.label} message`, read.message, 'title');
				lint(`${spec.label} description`, read.description, 'sentence');
			}
	});

	it('JSON Data of every JSON type that is not an object', () => {
		for (const raw of ['null', '[]', '7', '"text"', 'true', '{', null, 7, [], true])
			lintFailure(`JSON Data ${JSON.stringify(raw)}`, dataFromJson(raw) as { message: string });
		expect((dataFromJson('null') as { message: string }).message).toMatch(/not an empty value/);
	});

	it('ids', () => {
		for (const raw of [
			undefined,
			'',
			'[1',
			'a"b',
			'"a',
			{ id: 1 },
			[null],
			[['x']],
			NaN,
			'tkt\u0000',
		])
			for (const pair of (parseIds(raw) as { rejected: Array<{ message: string }> }).rejected)
				lintFailure(`ids ${String(raw)}`, pair);
	});

	it('the credential', () => {
		for (const credentials of [
			{ baseUrl: 'ftp://x' },
			{ baseUrl: 'not a url' },
			{ baseUrl: 'https://u:p@x.example' },
			{ baseUrl: 'https://x.example/?a=1' },
			{ baseUrl: 'https://x.example/#a' },
			{ apiKey: 'pk_live_abc' },
			{ teamId: 'a/b' },
			{ teamId: 'Bearer sk_live_abcdef' },
		]) {
			const checked = checkCredentials(credentials);
			if (checked.ok) throw new Error(`accepted ${JSON.stringify(credentials)}`);
			lintFatal(JSON.stringify(credentials), checked.error);
		}
	});
});
