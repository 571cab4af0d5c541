import fc from 'fast-check';

import {
	CANCEL_CHECK_MS,
	WaitCancelled,
	sleepInSlices,
} from '../../nodes/CstarBulk/bulk/sleepInSlices';

/**
 * Issue 19, rule 8: a wait notices a cancel within a second, even with n8n-workflow 1.x's
 * `sleep(ms)`, which takes no abort signal. Simulated time: each slice advances a clock.
 */
function simulated(cancelAtMs: number | undefined) {
	let clock = 0;
	const slices: number[] = [];
	const sleepIgnoringSignal = async (ms: number) => {
		slices.push(ms);
		clock += ms;
	};
	const isCancelled = () => cancelAtMs !== undefined && clock >= cancelAtMs;
	return { slices, sleepIgnoringSignal, isCancelled, clock: () => clock };
}

describe('sleepInSlices', () => {
	it.each([
		['a 120 s Retry-After, cancelled 3 s in', 120_000, 3000],
		['a 300 s pacer wait, cancelled 250 ms in', 300_000, 250],
		['a 1.5 s backoff, cancelled 1.2 s in', 1500, 1200],
		['a 60 s wait, cancelled before it starts', 60_000, 0],
	])('%s: rejects within a second of the cancel', async (_, waitMs, cancelAtMs) => {
		const sim = simulated(cancelAtMs);
		await expect(
			sleepInSlices(sim.sleepIgnoringSignal, waitMs, sim.isCancelled),
		).rejects.toBeInstanceOf(WaitCancelled);
		expect(sim.clock() - cancelAtMs).toBeLessThanOrEqual(CANCEL_CHECK_MS);
	});

	it('generated: any wait, any cancel time: never more than a second past the cancel; uncancelled, exactly the wait in slices of at most a second', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 600_000 }),
				fc.option(fc.integer({ min: 0, max: 600_000 })),
				async (waitMs, cancelAtMs) => {
					const sim = simulated(cancelAtMs ?? undefined);
					const cancelled = cancelAtMs !== null && cancelAtMs <= waitMs;
					const waiting = sleepInSlices(sim.sleepIgnoringSignal, waitMs, sim.isCancelled);
					if (cancelled) {
						await expect(waiting).rejects.toBeInstanceOf(WaitCancelled);
						expect(sim.clock() - cancelAtMs).toBeLessThanOrEqual(CANCEL_CHECK_MS);
					} else {
						await waiting;
						expect(sim.clock()).toBe(waitMs);
					}
					for (const slice of sim.slices) expect(slice).toBeLessThanOrEqual(CANCEL_CHECK_MS);
				},
			),
			{ seed: 19_8, numRuns: 500 },
		);
	});
});
