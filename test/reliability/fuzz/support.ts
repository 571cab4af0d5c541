import fc from 'fast-check';

import { hasControlCharacter } from '../invariants';
import { MAX_ID_LENGTH } from '../idModel';
import { reportSection } from '../report';
import { fuzzSeed } from '../settings';

/**
 * Property-based tests. One fixed seed for the whole file (fast-check prints it, with the path to
 * the failing case, on failure; FUZZ_SEED=<n> replays or explores). Thousands of cases for the pure
 * modules, a few hundred for execute() against the emulator.
 */
export const SEED = fuzzSeed(20261106);
export const RUNS = {
	parseIds: 5000,
	roundTrip: 3000,
	plan: 3000,
	answerTruthful: 5000,
	answerArbitrary: 5000,
	retryDecisions: 5000,
	sendBatch: 4000,
	pacer: 300,
	execute: 200,
	searchExecute: 150,
};

/** A plain assertion for hot loops: jest's expect costs too much per call at thousands of cases. */
export function assert(condition: boolean, message: () => string): asserts condition {
	if (!condition) throw new Error(message());
}
export const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** The check helpers of one fuzz file, whose rows go to its own section of docs/reliability.md. */
export function fuzzSection(id: Parameters<typeof reportSection>[0]) {
	const report = reportSection(id);
	afterAll(() => report.write());
	function check<T>(
		name: string,
		checked: string,
		runs: number,
		arbitrary: fc.Arbitrary<T>,
		predicate: (value: T) => void,
	): void {
		const row = report.row(name, checked);
		it(`${name} (${runs} cases)`, () => {
			row.start();
			fc.assert(
				fc.property(arbitrary, (value) => {
					predicate(value);
				}),
				{ seed: SEED, numRuns: runs },
			);
			row.pass(`${runs} cases, seed ${SEED}`);
		});
	}

	function checkAsync<T>(
		name: string,
		checked: string,
		runs: number,
		arbitrary: fc.Arbitrary<T>,
		predicate: (value: T) => Promise<void>,
		timeout?: number,
	): void {
		const row = report.row(name, checked);
		it(
			`${name} (${runs} cases)`,
			async () => {
				row.start();
				await fc.assert(fc.asyncProperty(arbitrary, predicate), { seed: SEED, numRuns: runs });
				row.pass(`${runs} cases, seed ${SEED}`);
			},
			timeout,
		);
	}
	return { check, checkAsync, report };
}

// ---------------------------------------------------------------------------------------------
// Shared arbitraries

export const hex = fc.constantFrom(...'0123456789abcdef');
export const prefixedId = fc
	.string({ unit: hex, minLength: 12, maxLength: 32 })
	.map((body) => `tkt_${body}`);
/** Anything an "IDs" token might hold: unicode, binary (control characters, lone surrogates), ids, lengths around the limit. */
export const anyToken = fc.oneof(
	{ arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), weight: 3 },
	{ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), weight: 2 },
	{ arbitrary: prefixedId, weight: 3 },
	{
		arbitrary: fc.string({
			unit: fc.constantFrom('a', 'é', '😀', ':', '\u200b', '\u0085', '\u0000'),
			minLength: 250,
			maxLength: 262,
		}),
		weight: 1,
	},
);
export const separator = fc.string({
	unit: fc.constantFrom(' ', ',', '\n', '\t', '\r\n', '\u00a0', '\u2028', '\u3000', ', '),
	minLength: 1,
	maxLength: 3,
});
export const isCleanToken = (token: string) =>
	!/[\s,]/.test(token) && !hasControlCharacter(token) && token.length <= MAX_ID_LENGTH;
export const cleanToken = anyToken.filter(isCleanToken);
export const joined = (tokens: fc.Arbitrary<string[]>) =>
	fc
		.tuple(tokens, separator, fc.boolean())
		.map(([list, sep, padded]) => `${padded ? sep : ''}${list.join(sep)}${padded ? sep : ''}`);

/** Every JSON type, and then some, as "IDs" gives it. */
export const idsValue: fc.Arbitrary<unknown> = fc.oneof(
	anyToken,
	joined(fc.array(anyToken, { maxLength: 30 })),
	fc.double(),
	fc.integer(),
	fc.array(
		fc.oneof(
			anyToken,
			joined(fc.array(anyToken, { maxLength: 3 })),
			fc.double(),
			fc.integer(),
			fc.constant(null),
			fc.constant(undefined),
			fc.boolean(),
			fc.jsonValue({ maxDepth: 2 }),
		),
		{ maxLength: 20 },
	),
	fc.jsonValue({ maxDepth: 3 }),
	fc.constantFrom(undefined, null, '', ' ', ',', [], {}, true),
	fc
		.integer({ min: 101, max: 2500 })
		.map((count) => Array.from({ length: count }, (_, i) => `tkt_${i}`).join('\n')),
);
