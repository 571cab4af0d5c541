import fc from 'fast-check';

import {
	NUMBER_OPTIONS,
	optionSpecs,
	readOptions,
} from '../../nodes/CstarBulk/description/options';
import { readTypedValue, type ValueSpec } from '../../nodes/CstarBulk/bulk/typedValues';

const SEED = 20261205;
const specs = optionSpecs();
const booleanSpecs = Object.values(specs).filter((spec) => spec.kind === 'boolean');
const numberSpecs = Object.values(specs).filter(
	(spec): spec is Extract<ValueSpec, { kind: 'number' }> => spec.kind === 'number',
);
const choiceSpec = specs.succeededOutput as Extract<ValueSpec, { kind: 'choice' }>;

/** Text as an expression gives it: any case, spaces, tabs or newlines around. */
const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0'), maxLength: 3 });
const anyCase = (word: string) =>
	fc
		.array(fc.boolean(), { minLength: word.length, maxLength: word.length })
		.map((upper) => [...word].map((char, at) => (upper[at] ? char.toUpperCase() : char)).join(''));

function refusal(spec: ValueSpec, raw: unknown) {
	const read = readTypedValue(spec, raw);
	if (read.ok) throw new Error(`${spec.label} accepted ${JSON.stringify(raw)} as ${read.value}`);
	return read;
}

describe('readTypedValue: booleans', () => {
	it('reads true/false, and their text in any case with spaces around', () => {
		for (const spec of booleanSpecs) {
			expect(readTypedValue(spec, true)).toEqual({ ok: true, value: true });
			expect(readTypedValue(spec, false)).toEqual({ ok: true, value: false });
		}
		fc.assert(
			fc.property(
				fc.boolean().chain((value) => fc.tuple(fc.constant(value), anyCase(String(value)))),
				padding,
				padding,
				fc.constantFrom(...booleanSpecs),
				([value, word], before, after, spec) => {
					expect(readTypedValue(spec, `${before}${word}${after}`)).toEqual({ ok: true, value });
				},
			),
			{ seed: SEED, numRuns: 300 },
		);
	});

	it('a Dry Run given as the text "true" means true', () => {
		expect(readOptions({ dryRun: 'true' })).toMatchObject({ ok: true, options: { dryRun: true } });
		expect(readOptions({ dryRun: ' TRUE ' })).toMatchObject({
			ok: true,
			options: { dryRun: true },
		});
	});

	it.each(['', ' ', 'yes', 'no', '1', '0', 'ture', 'true!', null, 1, 0, [], {}, NaN])(
		'refuses %p, naming the option and what it accepts',
		(raw) => {
			for (const spec of booleanSpecs) {
				const { message, description } = refusal(spec, raw);
				expect(message).toContain(`"${spec.label}"`);
				expect(`${message} ${description}`).toContain('true or false');
			}
		},
	);
});

describe('readTypedValue: numbers', () => {
	it('keeps the limits of NUMBER_OPTIONS', () => {
		for (const [name, limits] of Object.entries(NUMBER_OPTIONS))
			expect(specs[name as keyof typeof specs]).toMatchObject(limits);
	});

	it('reads numbers in range, given as numbers or as trimmed text', () => {
		const inRange = fc
			.constantFrom(...numberSpecs)
			.chain((spec) =>
				fc.tuple(
					fc.constant(spec),
					spec.integer
						? fc.integer({ min: spec.min, max: spec.max })
						: fc.double({ min: spec.min, max: spec.max, noNaN: true }),
				),
			);
		fc.assert(
			fc.property(
				inRange,
				padding,
				padding,
				fc.boolean(),
				([spec, value], before, after, asText) => {
					const raw = asText ? `${before}${String(value)}${after}` : value;
					expect(readTypedValue(spec, raw)).toEqual({ ok: true, value });
				},
			),
			{ seed: SEED, numRuns: 500 },
		);
	});

	it('refuses what is out of range, not whole where whole is needed, empty or not a number', () => {
		const refused = fc.constantFrom(...numberSpecs).chain((spec) =>
			fc.tuple(
				fc.constant(spec),
				fc.oneof(
					fc.double({ max: spec.min, maxExcluded: true, noNaN: true }).filter((v) => v < spec.min),
					fc.double({ min: spec.max, minExcluded: true, noNaN: true }).filter((v) => v > spec.max),
					fc
						.integer({ min: spec.min, max: spec.max - 1 })
						.map((whole) => (spec.integer ? whole + 0.5 : Number.NaN)),
					fc.constantFrom('', ' ', null, 'abc', '1,5', '0x10', '12px', 'Infinity', NaN, true, []),
				),
			),
		);
		fc.assert(
			fc.property(refused, padding, fc.boolean(), ([spec, raw], pad, asText) => {
				const given = asText && typeof raw === 'number' ? `${pad}${String(raw)}${pad}` : raw;
				const { message, description } = refusal(spec, given);
				expect(message).toContain(`"${spec.label}"`);
				expect(message).toContain(`from ${spec.min} to ${spec.max}`);
				expect(description).toMatch(/Nothing was sent to cStar\.$/);
			}),
			{ seed: SEED, numRuns: 500 },
		);
	});

	it.each([
		['batchSize', ''],
		['maxRetries', ''],
		['timeout', ''],
		['batchSize', '0'],
		['batchSize', '101'],
		['parallelRequests', '2.5'],
	])('never clamps or defaults silently: %s = %p is refused', (name, raw) => {
		const read = readOptions({ [name]: raw });
		expect(read.ok).toBe(false);
	});

	it('quotes the value it got, shortened and with keys masked', () => {
		const pasted = ['sk', 'live', '0123456789abcdefghij'].join('_');
		const { message } = refusal(specs.batchSize, `Bearer ${pasted} ${'x'.repeat(200)}`);
		expect(message).not.toContain(pasted);
		expect(message).toContain('[redacted key]');
		expect(message.length).toBeLessThan(260);
		expect(message).toMatch(/characters\)/);
	});

	it('an option set to an expression that gave nothing is refused, not defaulted', () => {
		expect(readOptions({ batchSize: undefined }, ['batchSize'])).toMatchObject({
			ok: false,
			option: 'batchSize',
		});
		expect(readOptions({}, [])).toMatchObject({ ok: true, options: { batchSize: 100 } });
	});
});

describe('readTypedValue: choices', () => {
	it('reads a choice by its value or its name, any case, spaces around', () => {
		for (const choice of choiceSpec.choices) {
			for (const text of [choice.value, ` ${choice.value.toUpperCase()} `, choice.name]) {
				expect(readTypedValue(choiceSpec, text)).toEqual({ ok: true, value: choice.value });
			}
		}
	});

	it.each(['', 'other', 'per id', null, 1, true])('refuses %p and lists the choices', (raw) => {
		const { message } = refusal(choiceSpec, raw);
		for (const choice of choiceSpec.choices) expect(message).toContain(`"${choice.name}"`);
	});
});
