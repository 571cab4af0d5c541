import { createHash } from 'crypto';

import { tooLargeForOneId, type FatalRunError } from './errors';
import type { HttpRequest } from './http';
import type { PlannedBatch } from './plan';
import { interpretBulkAnswer } from './results';
import { sendWithRetries, type SendContext } from './sendWithRetries';
import type { BulkAction, CstarResource, IdFailure, IdOutcome } from './types';

export type { SendContext } from './sendWithRetries';

export interface BulkTarget {
	resource: CstarResource;
	action: BulkAction;
	teamPath: string;
}

export type BatchResult =
	| { kind: 'outcomes'; outcomes: IdOutcome[] }
	/** `outcomes`: set when this call's ids may have changed before the stop. */
	| { kind: 'fatal'; error: FatalRunError; outcomes?: IdOutcome[] };

/**
 * One call to POST /bulk for one planned batch, with an Idempotency-Key stable across its retries.
 * A 413 halves the call, down to single ids, before any id fails.
 */
export async function sendBatch(
	ctx: SendContext,
	target: BulkTarget,
	batch: PlannedBatch,
): Promise<BatchResult> {
	return await sendIds(ctx, target, batch, batch.ids);
}

async function sendIds(
	ctx: SendContext,
	target: BulkTarget,
	batch: PlannedBatch,
	ids: string[],
): Promise<BatchResult> {
	const body: Record<string, unknown> = { action: target.action, resource: target.resource, ids };
	if (target.action === 'update') body.data = batch.data;
	const request: HttpRequest = {
		method: 'POST',
		path: `${target.teamPath}/bulk`,
		body,
		headers: { 'Idempotency-Key': idempotencyKey(ctx.runKey, batch.seq, body) },
	};
	const sent = await sendWithRetries<IdOutcome[]>(ctx, request, (response) => {
		const answer = interpretBulkAnswer(ids, response.body);
		if (answer.kind === 'outcomes') return { value: answer.outcomes };
		if (answer.kind === 'refused') return { refused: answer.failure };
		return { unreadable: answer.detail };
	});
	const every = (failure: IdFailure): IdOutcome[] =>
		ids.map(() => ({ status: 'failed', ...failure }));
	switch (sent.kind) {
		case 'done':
			return { kind: 'outcomes', outcomes: sent.value };
		case 'failed':
			return { kind: 'outcomes', outcomes: every(sent.failure) };
		case 'fatal':
			return sent.unconfirmed
				? { kind: 'fatal', error: sent.error, outcomes: every(sent.unconfirmed) }
				: { kind: 'fatal', error: sent.error };
		default:
			return ids.length === 1
				? { kind: 'outcomes', outcomes: every(tooLargeForOneId(sent.body)) }
				: await sendHalves(ctx, target, batch, ids);
	}
}

async function sendHalves(
	ctx: SendContext,
	target: BulkTarget,
	batch: PlannedBatch,
	ids: string[],
): Promise<BatchResult> {
	const middle = Math.ceil(ids.length / 2);
	const first = await sendIds(ctx, target, batch, ids.slice(0, middle));
	if (first.kind === 'fatal') return first;
	const second = await sendIds(ctx, target, batch, ids.slice(middle));
	if (second.kind === 'fatal') {
		const tail = second.outcomes ?? [];
		return { ...second, outcomes: [...first.outcomes, ...tail] };
	}
	return { kind: 'outcomes', outcomes: [...first.outcomes, ...second.outcomes] };
}

/** Same execution, node, batch and body → same key; anything else → a different key. */
export function idempotencyKey(runKey: string, seq: number, body: Record<string, unknown>): string {
	const digest = createHash('sha256')
		.update(`${runKey}\n${seq}\n${JSON.stringify(body)}`)
		.digest('hex');
	return `n8n-cstar-${digest.slice(0, 40)}`;
}
