/** Why a call is waiting before it is sent (again). */
export type WaitReason = 'rate limit' | 'backoff after a fault';

/** One wait of one call; the same object is handed to waitStarted and waitEnded. */
export interface ProgressWait {
	reason: WaitReason;
	untilMs: number;
}

/**
 * What the senders of one run report, so a long run can say how far it is. Optional everywhere: a
 * SendContext without it behaves as before. Calls are the planned calls of the current phase (a
 * bulk call of up to 100 ids, a listing page): retries and 413 splits are not extra calls.
 */
export interface RunProgress {
	/** A phase of the run starts ('sending' unless told): lines name it; counts carry on. */
	startPhase(phase: string): void;
	/** More calls are planned; may be called again as a listing finds more pages. */
	callsPlanned(count: number): void;
	/** One planned call is over (answered, failed or given up), with what it settled. */
	callDone(settled?: { confirmed: number; failed: number }): void;
	waitStarted(wait: ProgressWait): void;
	waitEnded(wait: ProgressWait): void;
	/** How long a wait may sleep before it must come back so a due line is written (≥ 1 ms). */
	msUntilNextLine(): number;
	/** Writes a line when one is due; waits call it between their slices. */
	tick(): void;
}

/** A line every this often while a run goes on; a run shorter than this logs nothing. */
export const PROGRESS_INTERVAL_MS = 30_000;
/** A slice of a wait may wake a little early; a line that is this close to due is written. */
const EARLY_WAKE_SLACK_MS = 250;

export interface ProgressOptions {
	now: () => number;
	/** Receives each line; never a key, data or an id. */
	log: (line: string) => void;
	/** Names the run in each line, e.g. `Cstar Bulk "Update tickets" (execution 42)`. */
	label: string;
}

/** What a run's progress adds to its summary (for the editor's hints). */
export interface ProgressTotals {
	/** Wall-clock time during which at least one call waited for the rate limit. */
	rateLimitWaitMs: number;
	callsPlanned: number;
	callsDone: number;
}

/**
 * Pure: time comes from `now()`, lines go to `log`. The cadence is kept without timers: every event
 * and every slice of a wait calls tick(), and waits are sliced at msUntilNextLine().
 */
export class ProgressTracker implements RunProgress {
	private readonly startedAt: number;

	private lastLineAt: number;

	private phase = 'sending';

	private planned = 0;

	private done = 0;

	private confirmed = 0;

	private failed = 0;

	private readonly waits = new Set<ProgressWait>();

	private rateLimitWaits = 0;

	private rateLimitSince = 0;

	private rateLimitWaitedMs = 0;

	private finished = false;

	constructor(private readonly options: ProgressOptions) {
		this.startedAt = options.now();
		this.lastLineAt = this.startedAt;
	}

	startPhase(phase: string): void {
		this.phase = phase;
		this.tick();
	}

	callsPlanned(count: number): void {
		this.planned += count;
	}

	callDone(settled?: { confirmed: number; failed: number }): void {
		this.done++;
		this.confirmed += settled?.confirmed ?? 0;
		this.failed += settled?.failed ?? 0;
		this.tick();
	}

	waitStarted(wait: ProgressWait): void {
		this.waits.add(wait);
		if (wait.reason === 'rate limit' && this.rateLimitWaits++ === 0)
			this.rateLimitSince = this.options.now();
		this.tick();
	}

	waitEnded(wait: ProgressWait): void {
		if (!this.waits.delete(wait)) return;
		if (wait.reason === 'rate limit' && --this.rateLimitWaits === 0)
			this.rateLimitWaitedMs += this.options.now() - this.rateLimitSince;
		this.tick();
	}

	msUntilNextLine(): number {
		return Math.max(1, this.lastLineAt + PROGRESS_INTERVAL_MS - this.options.now());
	}

	tick(): void {
		if (this.finished) return;
		const now = this.options.now();
		if (now - this.lastLineAt < PROGRESS_INTERVAL_MS - EARLY_WAKE_SLACK_MS) return;
		this.lastLineAt = now;
		this.options.log(
			`${this.options.label}: ${this.phase}, ${this.counts(now)}${this.waitText(now)}`,
		);
	}

	/** The run is over: a last line when it lasted 30 s or more. */
	finish(): ProgressTotals {
		if (this.finished) return this.totals();
		this.finished = true;
		for (const wait of [...this.waits]) this.waitEnded(wait);
		const now = this.options.now();
		if (now - this.startedAt >= PROGRESS_INTERVAL_MS) {
			this.options.log(`${this.options.label}: finished, ${this.counts(now)}`);
		}
		return this.totals();
	}

	totals(): ProgressTotals {
		const ongoing = this.rateLimitWaits > 0 ? this.options.now() - this.rateLimitSince : 0;
		return {
			rateLimitWaitMs: this.rateLimitWaitedMs + ongoing,
			callsPlanned: this.planned,
			callsDone: this.done,
		};
	}

	private counts(now: number): string {
		return (
			`${this.done} of ${this.planned} calls done, ${this.confirmed} ids confirmed, ` +
			`${this.failed} failed, after ${formatDuration(now - this.startedAt)}`
		);
	}

	/** The wait that ends last is the one the run is held by. */
	private waitText(now: number): string {
		let longest: ProgressWait | undefined;
		for (const wait of this.waits) if (!longest || wait.untilMs > longest.untilMs) longest = wait;
		if (longest === undefined) return '';
		const what = longest.reason === 'rate limit' ? "cStar's rate limit" : 'a backoff after a fault';
		return `; waiting for ${what} until ${clockTime(longest.untilMs)} (${formatDuration(longest.untilMs - now)} left)`;
	}
}

/** "2 h 5 min", "4 min 10 s", "12 s". */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	const rest = seconds % 60;
	if (hours > 0) return `${hours} h ${minutes} min`;
	if (minutes > 0) return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
	return `${rest} s`;
}

/** "2026-12-05T10:31:05Z": UTC, to the second, as a worker's other log lines can be matched. */
function clockTime(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Sleeps `ms` as `sleep` slices it, waking at each due line so a 5-minute wait still logs every
 * 30 s (n8n's node rules allow no timers of our own). Without `progress`, one sleep of `ms`.
 */
export async function sleepReporting(
	sleep: (ms: number) => Promise<void>,
	ms: number,
	progress: RunProgress | undefined,
): Promise<void> {
	let left = ms;
	do {
		const slice = progress ? Math.min(left, progress.msUntilNextLine()) : left;
		await sleep(slice);
		left -= slice;
		progress?.tick();
	} while (left > 0);
}
