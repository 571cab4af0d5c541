import type { FatalRunError } from './errors';
import type { BulkPlan } from './plan';
import { sendBatch, type BulkTarget, type SendContext } from './sendBatch';
import type { IdOutcome } from './types';

export interface RunResult {
	/** One entry per plan slot; undefined where a fatal failure stopped the run first. */
	outcomes: Array<IdOutcome | undefined>;
	fatal?: FatalRunError;
	/** Wall-clock time the run spent waiting for cStar's rate limit (for the editor's hint). */
	rateLimitWaitMs?: number;
}

/**
 * Sends the plan's batches, `parallel` at a time, in plan order. A batch that carries a later
 * instruction for an id starts only once the batches it comes `after` are answered. After a fatal
 * answer no new batch starts; calls already under way finish and keep their results.
 */
export async function runBatches(
	plan: BulkPlan,
	target: BulkTarget,
	ctx: SendContext,
	parallel: number,
): Promise<RunResult> {
	const outcomes: Array<IdOutcome | undefined> = new Array(plan.slotCount);
	const answered = new Map<number, Promise<void>>();
	let fatal: FatalRunError | undefined;
	let next = 0;
	ctx.progress?.callsPlanned(plan.batches.length);

	const run = async (seq: number) => {
		const batch = plan.batches[seq];
		// Earlier batches were taken first (plan order), so each one waited for here is under way.
		for (const earlier of batch.after ?? []) await answered.get(earlier);
		if (fatal !== undefined) return;
		const result = await sendBatch(ctx, target, batch);
		if (result.kind === 'fatal') fatal = fatal ?? result.error;
		result.outcomes?.forEach((outcome, position) => {
			outcomes[batch.slots[position]] = outcome;
		});
		ctx.progress?.callDone(settledIn(result.outcomes));
	};
	const worker = async () => {
		while (fatal === undefined && next < plan.batches.length) {
			const seq = next++;
			const done = run(seq);
			answered.set(seq, done);
			await done;
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(parallel) || 1, plan.batches.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return { outcomes, fatal };
}

function settledIn(outcomes: IdOutcome[] | undefined): { confirmed: number; failed: number } {
	const confirmed = outcomes?.filter((outcome) => outcome.status === 'succeeded').length ?? 0;
	return { confirmed, failed: (outcomes?.length ?? 0) - confirmed };
}
