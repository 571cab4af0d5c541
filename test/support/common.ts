/**
 * What the node, reliability, emulator and e2e suites share: the emulator's type, the bulk calls it
 * received, and n8n's "On Error" setting.
 */
import type { startEmulator } from '../../emulator';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type LogEntry = Emulator['log'][number];

/** n8n's node setting "On Error". */
export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

/** The bulk calls the emulator received, oldest first (retries included). */
export function bulkCalls(emu: Emulator): LogEntry[] {
	return emu.log.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/bulk'));
}
