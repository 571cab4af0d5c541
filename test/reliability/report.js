// @ts-check
'use strict';

/**
 * Collects what each reliability suite checked and writes docs/reliability.md.
 *
 * Each suite owns one section of the file and rewrites only that section in its afterAll, so the
 * suites can run in any order, alone or in parallel workers (a lock file serialises the writes).
 * The output is deterministic apart from the date line: rows keep their definition order and
 * results carry counts, never timings. A run that skipped some rows (jest -t) writes nothing, so a
 * partial run never replaces a full report. Only `npm run test:reliability` writes it (it sets
 * CSTAR_RELIABILITY_REPORT=1), so a plain `npm test` leaves the working tree clean.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createHash } = require('node:crypto');

const DOC_PATH = path.join(__dirname, '..', '..', 'docs', 'reliability.md');
/** Set by `npm run test:reliability`: only then is the report written. */
const REPORT_ENV = 'CSTAR_RELIABILITY_REPORT';

/** @typedef {'faultMatrix' | 'searchMatrix' | 'fuzzIds' | 'fuzzPlan' | 'fuzzAnswers' | 'fuzzRetryDecisions' | 'fuzzSendBatch' | 'fuzzPacer' | 'fuzzExecute' | 'fuzzLastInstruction' | 'fuzzSearch' | 'security' | 'trust'} SectionId */
/** @typedef {{ scenario: string, checked: string, result: string }} Row */
/**
 * @typedef {Object} RowHandle
 * @property {() => void} start             the test began: until pass(), the row reads FAIL
 * @property {(note?: string) => void} pass  every assertion held; note: counts, never timings
 */
/**
 * @typedef {Object} Section
 * @property {(scenario: string, checked: string) => RowHandle} row   declare a row, in the order it should appear
 * @property {() => void} write   rewrite this section of docs/reliability.md (call in afterAll), when asked to
 */

/** @type {Record<SectionId, { title: string, intro: string }>} */
const SECTIONS = {
	faultMatrix: {
		title: 'Fault matrix',
		intro:
			"test/reliability/faultMatrix.test.ts. Each scenario runs the node's real `execute()` through n8n's HTTP stack " +
			'against the emulator, with faults injected there, and asserts the invariants (a) to (e) and the canary check ' +
			'on top of what the row names.',
	},
	searchMatrix: {
		title: 'Search mode',
		intro:
			"test/reliability/searchMatrix.test.ts. Records = Matching a Search: the node's real `execute()` lists and acts " +
			'against the emulator while records change between list pages (the list churn fault) and calls fail. Each row ' +
			'checks: every record that matched at the start and that nobody changed is applied exactly once; none that was ' +
			'deleted or left the filter while listing is acted on; every id on Succeeded was applied; no id applied twice; ' +
			'the canary.',
	},
	fuzzIds: {
		title: 'Fuzzing: ids',
		intro:
			'test/reliability/fuzz/ (one file per subject), property-based with fast-check and a fixed seed (printed by ' +
			'fast-check on failure; set FUZZ_SEED to explore another). The pure modules get thousands of cases; `execute()` ' +
			'against the emulator gets hundreds. This section: fuzz/ids.test.ts.',
	},
	fuzzPlan: { title: 'Fuzzing: planning', intro: 'test/reliability/fuzz/plan.test.ts.' },
	fuzzAnswers: {
		title: "Fuzzing: cStar's answers",
		intro: 'test/reliability/fuzz/answers.test.ts.',
	},
	fuzzRetryDecisions: {
		title: 'Fuzzing: retry decisions',
		intro: 'test/reliability/fuzz/retryDecisions.test.ts.',
	},
	fuzzSendBatch: {
		title: 'Fuzzing: one call against a simulated cStar',
		intro: 'test/reliability/fuzz/sendBatch.test.ts.',
	},
	fuzzPacer: { title: 'Fuzzing: rate-limit pacing', intro: 'test/reliability/fuzz/pacer.test.ts.' },
	fuzzExecute: {
		title: 'Fuzzing: execute() against the emulator',
		intro:
			'test/reliability/fuzz/execute.test.ts: each case has random input, options, errors shape and scripted faults.',
	},
	fuzzLastInstruction: {
		title: 'Fuzzing: the last instruction wins',
		intro:
			'test/reliability/fuzz/lastInstruction.test.ts: items that give one id conflicting data, against the emulator, with faults that would reorder calls.',
	},
	fuzzSearch: {
		title: 'Fuzzing: search mode under churn',
		intro:
			'test/reliability/fuzz/search.test.ts: random list churn (creates, deletes, moves out of the filter, before and after ' +
			'the read position, at random pages), Parallel Requests and limits, through `execute()` against the emulator.',
	},
	security: {
		title: 'Security',
		intro:
			'test/reliability/security.test.ts, against the emulator and a listener on another loopback address that stands for ' +
			'"another host". Every node run here also passes the canary check.',
	},
	trust: {
		title: 'Trust in every mode (issue 19)',
		intro:
			'test/reliability/trust.test.ts, against the emulator: options given by expressions, the tool result in every ' +
			'output mode, ids given as text of a list, and the summary with the Error output.',
	},
};
const ORDER = /** @type {SectionId[]} */ (Object.keys(SECTIONS));

const HEADER = [
	'# Reliability report',
	'',
	'Generated by `npm run test:reliability` (the suites in test/reliability); do not edit by hand.',
	'',
	'Invariants every node run is checked against:',
	'',
	'- (a) items out = (input item, id) pairs in, each paired to the item that named the id;',
	"- (b) every id on Succeeded was changed in the emulator's store, exactly once (when several items ask for different changes to one id, at most once per change);",
	'- (c) every id on Failed has an `error.code` and a message;',
	'- (d) the store shows no id applied twice (`idsAppliedTwice === 0`; with repeated changes: never more often than asked);',
	'- (e) an id on Failed whose message says it was "Not sent" was never applied;',
	'- canary: the secret key appears in no output item, thrown error (message, description, JSON) or log line.',
	'',
];

/** @param {string} text */
function cell(text) {
	return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** @param {SectionId} id */
function begin(id) {
	return `<!-- section:${id} -->`;
}
/** @param {SectionId} id */
function end(id) {
	return `<!-- /section:${id} -->`;
}

/** @param {SectionId} id @param {string} body */
function sectionBlock(id, body) {
	return `## ${SECTIONS[id].title}\n\n${begin(id)}\n${body}\n${end(id)}\n`;
}

/** @param {SectionId} id @param {Row[]} rows */
function sectionBody(id, rows) {
	const lines = [SECTIONS[id].intro, '', '| Scenario | Checked | Result |', '|---|---|---|'];
	for (const row of rows)
		lines.push(`| ${cell(row.scenario)} | ${cell(row.checked)} | ${cell(row.result)} |`);
	return lines.join('\n');
}

/**
 * The whole document with one section replaced; the others are kept from `existing` when present.
 * @param {string | undefined} existing
 * @param {SectionId} id
 * @param {string} body
 * @param {string} date  YYYY-MM-DD
 */
function render(existing, id, body, date) {
	const parts = [...HEADER, `Last generated: ${date}`, ''];
	for (const section of ORDER) {
		let sectionText = section === id ? body : undefined;
		if (sectionText === undefined && existing !== undefined) {
			const from = existing.indexOf(begin(section));
			const to = existing.indexOf(end(section));
			if (from !== -1 && to > from)
				sectionText = existing.slice(from + begin(section).length + 1, to - 1);
		}
		parts.push(sectionBlock(section, sectionText ?? `${SECTIONS[section].intro}\n\n(not run yet)`));
	}
	return `${parts.join('\n').replace(/\n+$/, '')}\n`;
}

/** Blocks the thread briefly; the writer holds the lock for a few milliseconds at most. @param {number} ms */
function pause(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** @param {() => void} action */
function withLock(action) {
	const lock = path.join(
		os.tmpdir(),
		`cstar-reliability-${createHash('sha1').update(DOC_PATH).digest('hex').slice(0, 12)}.lock`,
	);
	const deadline = Date.now() + 10_000;
	for (;;) {
		try {
			fs.closeSync(fs.openSync(lock, 'wx'));
			break;
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
			// A lock left behind by a killed run is stale after 30 s.
			try {
				if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) fs.rmSync(lock, { force: true });
			} catch {
				// gone meanwhile
			}
			if (Date.now() > deadline) throw new Error(`report: could not lock ${lock}`);
			pause(20);
		}
	}
	try {
		action();
	} finally {
		fs.rmSync(lock, { force: true });
	}
}

/**
 * @param {SectionId} id
 * @returns {Section}
 */
function reportSection(id) {
	if (!SECTIONS[id]) throw new RangeError(`unknown report section ${id}`);
	/** @type {Row[]} */
	const rows = [];
	return {
		row(scenario, checked) {
			/** @type {Row} */
			const row = { scenario, checked, result: 'not run' };
			rows.push(row);
			return {
				start: () => {
					row.result = 'FAIL';
				},
				pass: (note) => {
					row.result = note ? `pass: ${note}` : 'pass';
				},
			};
		},
		write() {
			if (process.env[REPORT_ENV] !== '1') return;
			if (rows.length === 0 || rows.some((row) => row.result === 'not run')) return;
			withLock(() => {
				const existing = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : undefined;
				const text = render(
					existing,
					id,
					sectionBody(id, rows),
					new Date().toISOString().slice(0, 10),
				);
				fs.mkdirSync(path.dirname(DOC_PATH), { recursive: true });
				const temporary = `${DOC_PATH}.${process.pid}.tmp`;
				fs.writeFileSync(temporary, text);
				fs.renameSync(temporary, DOC_PATH);
			});
		},
	};
}

module.exports = { reportSection, render, DOC_PATH };
