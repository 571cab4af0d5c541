import {
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import {
	failureGist,
	listLoadFailed,
	noCredentialForList,
	type FatalRunError,
} from '../bulk/errors';
import { sendWithRetries, type Sent } from '../bulk/sendWithRetries';
import { NOBODY } from '../description/pickers';
import { CREDENTIAL_TYPE, n8nTransport } from './n8nTransport';
import { toNodeApiError } from './nodeError';
import { readListAnswer } from './listRecords';
import { connectSession, type Session } from './runBulk';

/**
 * The pickers' lists (n8n's `methods.listSearch`). They connect exactly as a run does (the same
 * credential checks, team lookup, retry policy and error translator), so when a list cannot load
 * the editor shows the node's own words about what to fix. A picker never waits long: one retry,
 * and a short rate-limit wait.
 */
const LIST_SETTINGS = { maxRetries: 1, maxRateLimitWaitMs: 3000 };
const LIST_TIMEOUT_MS = 15_000;
const PAGE_SIZE = 100;
/** 100 pages of 100: a team far larger than any picker should scroll; beyond it, type the ID. */
const MAX_MEMBER_PAGES = 100;
const CUSTOMER_PAGE_SIZE = 50;

interface Member {
	id: string;
	name?: string;
	email?: string;
	role?: string;
}

interface Customer {
	id: string;
	name?: string;
	email?: string;
}

interface Page<T> {
	data: T[];
	hasMore: boolean;
}

/** Every member of the team (all pages), each as "Name (email, role)", filtered on the n8n side. */
export async function searchMembers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return { results: memberItems(await allMembers(this), filter) };
}

/** The members, after a "Nobody" entry that unassigns (Update Fields' Assigned To). */
export async function searchMembersOrNobody(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const nobody: INodeListSearchItems = { name: 'Nobody (Unassign)', value: NOBODY };
	const members = memberItems(await allMembers(this), filter);
	return { results: matches(nobody.name, filter) ? [nobody, ...members] : members };
}

/** One page of customers; cStar searches name and email. The token is the next page's number. */
export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const session = await openListSession(this);
	const page = Math.max(1, Number.parseInt(paginationToken ?? '1', 10) || 1);
	const query = new URLSearchParams({ page: String(page), pageSize: String(CUSTOMER_PAGE_SIZE) });
	if (filter !== undefined && filter.trim() !== '') query.set('search', filter.trim());
	const answer = await fetchPage<Customer>(this, session, 'customers', query);
	return {
		results: answer.data.map((customer) => ({
			name: labelOf(customer.name, [customer.email]),
			value: customer.id,
		})),
		paginationToken: answer.hasMore ? String(page + 1) : undefined,
	};
}

async function allMembers(context: ILoadOptionsFunctions): Promise<Member[]> {
	const session = await openListSession(context);
	const members: Member[] = [];
	for (let page = 1; page <= MAX_MEMBER_PAGES; page++) {
		const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
		const answer = await fetchPage<Member>(context, session, 'members', query);
		members.push(...answer.data);
		if (!answer.hasMore) break;
	}
	return members;
}

/** Sorted by name, so two people of one name sit together, told apart by email and role. */
function memberItems(members: Member[], filter?: string): INodeListSearchItems[] {
	return members
		.map((member) => ({
			name: labelOf(member.name, [member.email, member.role]),
			value: member.id,
		}))
		.filter((item) => matches(item.name, filter) || matches(item.value, filter))
		.sort((a, b) => a.name.localeCompare(b.name));
}

function labelOf(name: string | undefined, details: Array<string | undefined>): string {
	const known = details.filter((detail): detail is string => !!detail);
	const title = name && name.trim() !== '' ? name.trim() : '(no name)';
	return known.length > 0 ? `${title} (${known.join(', ')})` : title;
}

function matches(text: string, filter?: string): boolean {
	return (
		filter === undefined ||
		filter.trim() === '' ||
		text.toLowerCase().includes(filter.trim().toLowerCase())
	);
}

/** The credential, checked as a run checks it, and the team (from whoami when Team ID is empty). */
async function openListSession(context: ILoadOptionsFunctions): Promise<Session> {
	let credentials;
	try {
		credentials = await context.getCredentials(CREDENTIAL_TYPE);
	} catch {
		throw toNodeApiError(context.getNode(), noCredentialForList());
	}
	const opened = await connectSession(credentials, {
		transport: (baseUrl) => n8nTransport(context, baseUrl, LIST_TIMEOUT_MS, credentials),
		settings: LIST_SETTINGS,
		runKey: 'list',
	});
	if (opened.kind === 'open') return opened.session;
	throw toNodeApiError(
		context.getNode(),
		opened.kind === 'fatal' ? opened.error : listLoadFailed(failureGist(opened.failure)),
	);
}

/** One page of a list, read as search mode reads its pages; more pages follow while page × size < total. */
async function fetchPage<T>(
	context: ILoadOptionsFunctions,
	session: Session,
	list: string,
	query: URLSearchParams,
): Promise<Page<T>> {
	const page = Number(query.get('page'));
	const pageSize = Number(query.get('pageSize'));
	const sent = await sendWithRetries(
		session.send,
		{ method: 'GET', path: `${session.teamPath}/${list}?${query.toString()}` },
		(response) => readListAnswer(response.body, page),
	);
	const answer = valueOrThrow(context, sent);
	return {
		data: answer.records as unknown as T[],
		hasMore: answer.records.length > 0 && page * pageSize < answer.total,
	};
}

function valueOrThrow<T>(context: ILoadOptionsFunctions, sent: Sent<T>): T {
	if (sent.kind === 'done') return sent.value;
	throw toNodeApiError(context.getNode(), failureOf(sent));
}

function failureOf(sent: Exclude<Sent<unknown>, { kind: 'done' }>): FatalRunError {
	if (sent.kind === 'fatal') return sent.error;
	if (sent.kind === 'tooLarge') return listLoadFailed('cStar answered HTTP 413', 413);
	if (sent.failure.code === 'rate_limited')
		return listLoadFailed("cStar's rate limit for this API key is used up", 429);
	if (sent.failure.code === 'invalid_response')
		return listLoadFailed("cStar's answer holds no list (is the Base URL cStar's API?)");
	const status = sent.failure.httpStatus;
	if (status !== undefined && status >= 500)
		return listLoadFailed(`cStar kept failing (HTTP ${status})`, status);
	return listLoadFailed(failureGist(sent.failure), status);
}
