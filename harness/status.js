// @ts-check
'use strict';

/**
 * A status line for long steps (installing n8n, building sqlite3): the steps under way and how long each
 * has run, so a first run never sits on a silent terminal. On a terminal it is one line at the bottom,
 * redrawn every second, that log lines scroll above; elsewhere (CI logs, pipes) it is a plain line after
 * every 15 s of silence.
 */

const TICK_MS = 1000;
const PLAIN_EVERY_MS = 15000;

/**
 * @typedef {object} StatusLine
 * @property {(label: string) => () => void} beginStep shows `label` and its elapsed time until the
 *   returned function is called
 * @property {<T>(label: string, work: () => Promise<T>) => Promise<T>} withStep runs `work` as a step
 * @property {(stream: { write(text: string): unknown }, line: string) => void} writeLine writes one line
 *   to `stream` (stdout or stderr) above the status line
 */

/**
 * @param {{ isTTY?: boolean, columns?: number, write(text: string): unknown }} out where the status goes
 * @returns {StatusLine}
 */
function createStatusLine(out) {
	/** @type {Map<string, number>} step label → when it began */
	const steps = new Map();
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	let drawn = false;
	let lastLineAt = Date.now();

	/** @param {number} now */
	const statusText = (now) =>
		[...steps]
			.map(([label, began]) => `${label} (${Math.floor((now - began) / 1000)} s)`)
			.join(' · ');

	const clear = () => {
		if (drawn) out.write('\r\x1b[K');
		drawn = false;
	};

	const draw = () => {
		if (steps.size === 0) return;
		const now = Date.now();
		if (out.isTTY) {
			out.write(`\r\x1b[K${`  … ${statusText(now)}`.slice(0, (out.columns || 100) - 1)}`);
			drawn = true;
		} else if (now - lastLineAt >= PLAIN_EVERY_MS) {
			out.write(`  … ${statusText(now)}\n`);
			lastLineAt = now;
		}
	};

	/** @type {StatusLine['writeLine']} */
	const writeLine = (stream, line) => {
		clear();
		stream.write(`${line}\n`);
		lastLineAt = Date.now();
		draw();
	};

	/** @type {StatusLine['beginStep']} */
	const beginStep = (label) => {
		steps.set(label, Date.now());
		if (!timer) {
			timer = setInterval(draw, TICK_MS);
			timer.unref();
		}
		draw();
		return () => {
			steps.delete(label);
			if (steps.size > 0) return draw();
			clear();
			clearInterval(timer);
			timer = undefined;
		};
	};

	/** @type {StatusLine['withStep']} */
	const withStep = async (label, work) => {
		const end = beginStep(label);
		try {
			return await work();
		} finally {
			end();
		}
	};

	return { beginStep, withStep, writeLine };
}

/** The one status line of this process, on stderr. */
const { beginStep, withStep, writeLine } = createStatusLine(process.stderr);

module.exports = { createStatusLine, beginStep, withStep, writeLine };
