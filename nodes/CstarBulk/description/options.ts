import type { INodeProperties } from 'n8n-workflow';

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

/** One Succeeded item per (input item, ID), or one item that counts them. */
export type SucceededOutput = 'perId' | 'summary';

export const DEFAULT_OPTIONS: BulkOptions = {
	batchSize: 100,
	deduplicate: true,
	dryRun: false,
	maxRateLimitWait: 300,
	maxRetries: 3,
	parallelRequests: 1,
	succeededOutput: 'perId',
	timeout: 30000,
};

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
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 100,
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
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'The longest one call may wait in total for cStar’s rate limit. Calls that would wait longer go to Failed with code rate_limited.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'How often to resend a call after a network failure, timeout or server failure (5xx), waiting 0.5 s, 1 s, 2 s … up to 8 s between tries. Each call carries an Idempotency-Key, so a resend never applies a change twice.',
		},
		{
			displayName: 'Parallel Requests',
			name: 'parallelRequests',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 1,
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
			typeOptions: { minValue: 1000 },
			default: 30000,
			description: 'How long to wait for cStar to answer one call before trying again',
		},
	],
};

/** Options are per run, so they are read once, from the first item. */
export function readOptions(raw: Record<string, unknown>): BulkOptions {
	const number = (name: keyof BulkOptions, min: number, max: number): number => {
		const value = Number(raw[name] ?? DEFAULT_OPTIONS[name]);
		return Number.isFinite(value)
			? Math.min(max, Math.max(min, value))
			: (DEFAULT_OPTIONS[name] as number);
	};
	return {
		batchSize: Math.floor(number('batchSize', 1, 100)),
		deduplicate:
			raw.deduplicate === undefined ? DEFAULT_OPTIONS.deduplicate : raw.deduplicate === true,
		dryRun: raw.dryRun === true,
		maxRateLimitWait: number('maxRateLimitWait', 0, 86400),
		maxRetries: Math.floor(number('maxRetries', 0, 10)),
		parallelRequests: Math.floor(number('parallelRequests', 1, 10)),
		succeededOutput: raw.succeededOutput === 'summary' ? 'summary' : 'perId',
		timeout: number('timeout', 1000, 600000),
	};
}
