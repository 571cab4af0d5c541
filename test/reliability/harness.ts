import { jsonStringify, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { CstarBulk } from '../../nodes/CstarBulk/CstarBulk.node';
import { bulkCalls, type Emulator, type LogEntry } from '../support/common';
import { executeContext, type NodeRun } from '../support/executeContext';

export { bulkCalls, type Emulator, type LogEntry };

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

/** What one execute() gave: its two outputs, or what it threw; and every line it logged. */
export type NodeResult =
	| {
			kind: 'returned';
			succeeded: INodeExecutionData[];
			failed: INodeExecutionData[];
			logs: LogLine[];
	  }
	| { kind: 'threw'; error: Error & { description?: string | null }; logs: LogLine[] };

/**
 * Runs the node's real execute() the way test/support/executeContext does (n8n's HTTP stack,
 * the credential's header, the cancel signal), plus a logger that records every line, so the
 * leak checks cover the n8n log too.
 */
export async function runNode(run: NodeRun): Promise<NodeResult> {
	const logs: LogLine[] = [];
	const line = (level: string) => (message: string, meta?: unknown) => {
		logs.push({ level, message, meta });
	};
	const context = Object.assign(executeContext(run), {
		logger: {
			debug: line('debug'),
			info: line('info'),
			warn: line('warn'),
			error: line('error'),
			verbose: line('verbose'),
		},
	}) as IExecuteFunctions;
	try {
		const [succeeded, failed] = await new CstarBulk().execute.call(context);
		return { kind: 'returned', succeeded, failed, logs };
	} catch (error) {
		return { kind: 'threw', error: error as Error, logs };
	}
}

/** The node run as AI Agent 2.x runs a tool; its one item (what the model reads) is on `succeeded`. */
export async function runTool(run: NodeRun): Promise<NodeResult> {
	// A tool's On Error left unset means "continue" for n8n (only an explicit Stop throws).
	const context = Object.assign(
		executeContext({ ...run, onError: run.onError ?? 'continueRegularOutput' }),
		{ isToolExecution: () => true },
	) as IExecuteFunctions;
	try {
		const [succeeded] = await new CstarBulk().execute.call(context);
		return { kind: 'returned', succeeded, failed: [], logs: [] };
	} catch (error) {
		return { kind: 'threw', error: error as Error, logs: [] };
	}
}

export function returned(result: NodeResult): Extract<NodeResult, { kind: 'returned' }> {
	if (result.kind === 'threw')
		throw new Error(`the node threw instead of returning: ${result.error.message}`);
	return result;
}

export function threw(result: NodeResult): Extract<NodeResult, { kind: 'threw' }> {
	if (result.kind === 'returned') throw new Error('the node returned instead of stopping');
	return result;
}

export const credentials = (emu: Emulator, overrides: Record<string, string> = {}) => ({
	apiKey: emu.keys.secret,
	teamId: emu.teamId,
	baseUrl: emu.url,
	...overrides,
});

export const idsOfCall = (entry: LogEntry) => (entry.body as { ids: string[] }).ids;

export const itemOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

/** The id of an output item: json.id, or json.details.id for n8n's Error-output shape. */
export function idOf(item: INodeExecutionData): unknown {
	const json = item.json as { id?: unknown; details?: { id?: unknown } };
	return 'id' in json ? json.id : json.details?.id;
}

/** The error code of a Failed item, in either shape. */
export function codeOf(item: INodeExecutionData): unknown {
	const json = item.json as { error?: { code?: unknown } | string; details?: { code?: unknown } };
	if (json.error !== null && typeof json.error === 'object') return json.error.code;
	return json.details?.code;
}

/** The message of a Failed item, in either shape. */
export function messageOf(item: INodeExecutionData): unknown {
	const json = item.json as { error?: { message?: unknown } | string; message?: unknown };
	if (json.error !== null && typeof json.error === 'object') return json.error.message;
	return json.message;
}

/** Everything a run exposes to a user or an operator, as text: outputs, thrown error, log lines. */
export function exposedText(result: NodeResult): string[] {
	const texts = result.logs.map((entry) => jsonStringify(entry, { replaceCircularRefs: true }));
	if (result.kind === 'returned') {
		texts.push(
			jsonStringify(
				{ succeeded: result.succeeded, failed: result.failed },
				{ replaceCircularRefs: true },
			),
		);
	} else {
		const error = result.error;
		texts.push(String(error.message), String(error.description ?? ''), String(error.stack ?? ''));
		texts.push(jsonStringify(error, { replaceCircularRefs: true }));
	}
	return texts;
}

/**
 * The canary: neither the key nor its random part (without the sk_test_ prefix) may appear in
 * anything the run exposes.
 */
export function expectNoSecret(result: NodeResult, secret: string): void {
	// The random part alone is checked from 8 characters: a shorter one matches ordinary text.
	const random = secret.replace(/^[a-z]{2}_[a-z]+_/i, '');
	const needles = random.length >= 8 ? [secret, random] : [secret];
	for (const text of exposedText(result)) {
		for (const needle of needles) {
			if (text.includes(needle))
				throw new Error(`the secret key leaked into: ${text.slice(0, 300)}`);
		}
	}
}
