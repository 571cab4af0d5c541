import { createStatusLine } from '../../harness/status';

const stream = (isTTY: boolean) => {
	const written: string[] = [];
	return { isTTY, columns: 80, written, write: (text: string) => written.push(text) };
};

describe('the status line of long setup steps', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('on a terminal, redraws the step and its elapsed time every second, under the log lines', () => {
		const out = stream(true);
		const status = createStatusLine(out);
		const end = status.beginStep('installing n8n');
		jest.advanceTimersByTime(2000);
		status.writeLine(out, 'a log line');
		end();
		expect(out.written).toEqual([
			'\r\x1b[K  … installing n8n (0 s)',
			'\r\x1b[K  … installing n8n (1 s)',
			'\r\x1b[K  … installing n8n (2 s)',
			'\r\x1b[K',
			'a log line\n',
			'\r\x1b[K  … installing n8n (2 s)',
			'\r\x1b[K',
		]);
	});

	it('off a terminal, prints a plain line after every 15 s without output, naming every step under way', () => {
		const out = stream(false);
		const status = createStatusLine(out);
		const endNpm = status.beginStep('npm ci');
		jest.advanceTimersByTime(10000);
		const endN8n = status.beginStep('installing n8n');
		jest.advanceTimersByTime(5000);
		status.writeLine(out, 'npm said something');
		jest.advanceTimersByTime(14000);
		expect(out.written).toEqual([
			'  … npm ci (15 s) · installing n8n (5 s)\n',
			'npm said something\n',
		]);
		jest.advanceTimersByTime(1000);
		endNpm();
		endN8n();
		jest.advanceTimersByTime(60000);
		expect(out.written.slice(2)).toEqual(['  … npm ci (30 s) · installing n8n (20 s)\n']);
	});

	it('ends a step when its work fails, and passes the failure on', async () => {
		const out = stream(true);
		const status = createStatusLine(out);
		await expect(
			status.withStep('building sqlite3', () => Promise.reject(new Error('gyp failed'))),
		).rejects.toThrow('gyp failed');
		expect(out.written.at(-1)).toBe('\r\x1b[K');
		jest.advanceTimersByTime(5000);
		expect(out.written.at(-1)).toBe('\r\x1b[K');
	});
});
