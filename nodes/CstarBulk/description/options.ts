import type { INodeProperties } from 'n8n-workflow';

import { MAX_IDS_PER_CALL } from '../bulk/plan';
import { readTypedValue, type ValueSpec } from '../bulk/typedValues';
import { specOf } from './valueSpecs';

export interface BulkOptions {
	batchSize: number;
	deduplicate: boolean;
	dryRun: boolean;
	maxRateLimitWait: number;
	maxRetries: number;
	parallelRequests: number;
	succeededOutput: SucceededOutput;
	timeout: number;
}

type NumberOption =
	| 'batchSize'
	| 'maxRateLimitWait'
	| 'maxRetries'
	| 'parallelRequests'
	| 'timeout';

/** Each number option's default and limits, read by the UI below and by readOptions. */
export const NUMBER_OPTIONS: Record<
	NumberOption,
	{ default: number; min: number; max: number; integer: boolean }
> = {
	batchSize: { default: MAX_IDS_PER_CALL, min: 1, max: MAX_IDS_PER_CALL, integer: true },
	maxRateLimitWait: { default: 300, min: 0, max: 86400, integer: false },
	maxRetries: { default: 3, min: 0, max: 10, integer: true },
	parallelRequests: { default: 1, min: 1, max: 10, integer: true },
	timeout: { default: 30000, min: 1000, max: 600000, integer: false },
};

/** One Succeeded item per (input item, ID), or one item that counts them. */
export type SucceededOutput = 'perId' | 'summary';

export const DEFAULT_OPTIONS: BulkOptions = {
	batchSize: NUMBER_OPTIONS.batchSize.default,
	deduplicate: true,
	dryRun: false,
	maxRateLimitWait: NUMBER_OPTIONS.maxRateLimitWait.default,
	maxRetries: NUMBER_OPTIONS.maxRetries.default,
	parallelRequests: NUMBER_OPTIONS.parallelRequests.default,
	succeededOutput: 'perId',
	timeout: NUMBER_OPTIONS.timeout.default,
};

function defaultOf(name: NumberOption): number {
	return NUMBER_OPTIONS[name].default;
}

/** The UI's limits of a number option; the upper limit is shown only where it binds. */
function limitsOf(name: NumberOption, showMax = true): INodeProperties['typeOptions'] {
	const { min, max } = NUMBER_OPTIONS[name];
	return showMax ? { minValue: min, maxValue: max } : { minValue: min };
}

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: limitsOf('batchSize'),
			default: defaultOf('batchSize'),
			description: 'How many IDs to send per call. cStar accepts at most 100.',
		},
		{
			displayName: 'Deduplicate IDs',
			name: 'deduplicate',
			type: 'boolean',
			default: true,
			description:
				'Whether to send an ID only once when several items name it with the same data. Its result still goes to every item that named it.',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to only plan and check the calls without sending anything. Valid IDs come out on Succeeded with status "dryRun" and their batch number.',
		},
		{
			displayName: 'Max Rate Limit Wait (Seconds)',
			name: 'maxRateLimitWait',
			type: 'number',
			typeOptions: limitsOf('maxRateLimitWait', false),
			default: defaultOf('maxRateLimitWait'),
			description:
				'The longest one call may wait in total for cStar’s rate limit. Calls that would wait longer go to Failed with code rate_limited.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: limitsOf('maxRetries'),
			default: defaultOf('maxRetries'),
			description:
				'How often to resend a call after a network failure, timeout or server failure (5xx), waiting 0.5 s, 1 s, 2 s … up to 8 s between tries. Each call carries an Idempotency-Key, so a resend never applies a change twice.',
		},
		{
			displayName: 'Parallel Requests',
			name: 'parallelRequests',
			type: 'number',
			typeOptions: limitsOf('parallelRequests'),
			default: defaultOf('parallelRequests'),
			description:
				'How many calls may be under way at once. More is faster but uses the rate limit sooner.',
		},
		{
			displayName: 'Succeeded Output',
			name: 'succeededOutput',
			type: 'options',
			options: [
				{
					name: 'One Item per ID',
					value: 'perId',
					description: 'Each confirmed ID as its own item, paired with the item that named it',
				},
				{
					name: 'One Summary Item',
					value: 'summary',
					description:
						'A single item with the counts instead of one item per confirmed ID: uses far less memory for large runs. Failed still gets one item per failed ID.',
				},
			],
			default: 'perId',
			description:
				'What Succeeded carries. With One Summary Item, its "succeeded" count stands for every confirmed ID (the IDs themselves are not listed) and Failed still lists every failed ID.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: limitsOf('timeout', false),
			default: defaultOf('timeout'),
			description: 'How long to wait for cStar to answer one call before trying again',
		},
	],
};

export type ReadOptions =
	| { ok: true; options: BulkOptions }
	| { ok: false; option: string; message: string; description: string };

/** Each option's spec for the typed reader, as the UI shows it; numbers keep NUMBER_OPTIONS' limits. */
export function optionSpecs(): Record<keyof BulkOptions, ValueSpec> {
	const shown = new Map(
		(optionsProperty.options as INodeProperties[]).map((option) => [option.name, option]),
	);
	const spec = (name: keyof BulkOptions) => specOf(shown.get(name) as INodeProperties);
	const number = (name: NumberOption): ValueSpec => ({
		kind: 'number',
		label: (shown.get(name) as INodeProperties).displayName,
		...NUMBER_OPTIONS[name],
	});
	return {
		batchSize: number('batchSize'),
		deduplicate: spec('deduplicate'),
		dryRun: spec('dryRun'),
		maxRateLimitWait: number('maxRateLimitWait'),
		maxRetries: number('maxRetries'),
		parallelRequests: number('parallelRequests'),
		succeededOutput: spec('succeededOutput'),
		timeout: number('timeout'),
	};
}

/**
 * Options are per run, so they are read once, from the first item. `given` names the options the
 * user set (read without evaluating expressions): one set but evaluating to nothing is refused,
 * not replaced by its default.
 */
export function readOptions(
	raw: Record<string, unknown>,
	given: readonly string[] = Object.keys(raw),
	secrets: readonly string[] = [],
): ReadOptions {
	const specs = optionSpecs();
	const options: Record<string, unknown> = {};
	for (const name of Object.keys(specs) as Array<keyof BulkOptions>) {
		const value = raw[name] === undefined && given.includes(name) ? null : raw[name];
		const read = readTypedValue(specs[name], value, secrets);
		if (!read.ok)
			return { ok: false, option: name, message: read.message, description: read.description };
		options[name] = read.value;
	}
	return { ok: true, options: options as unknown as BulkOptions };
}
