/**
 * The longest stretch a wait goes without looking at the cancel signal. n8n-workflow 1.x's
 * `sleep(ms)` takes no abort signal, so a cancel is only noticed between slices.
 */
export const CANCEL_CHECK_MS = 1000;

/** Thrown when the execution is cancelled during a wait. */
export class WaitCancelled extends Error {
	constructor() {
		super('The execution was cancelled during a wait');
		this.name = 'WaitCancelled';
	}
}

/**
 * Waits `ms` in slices of at most CANCEL_CHECK_MS with `sleepSlice` (n8n-workflow's sleep), and
 * rejects within one slice of a cancel, whether or not that sleep itself listens to the signal.
 */
export async function sleepInSlices(
	sleepSlice: (ms: number) => Promise<void>,
	ms: number,
	isCancelled: () => boolean,
): Promise<void> {
	for (let left = ms; left > 0; left -= CANCEL_CHECK_MS) {
		if (isCancelled()) throw new WaitCancelled();
		await sleepSlice(Math.min(left, CANCEL_CHECK_MS));
	}
	if (isCancelled()) throw new WaitCancelled();
}
