// @ts-check
'use strict';

/**
 * n8n's command line for a user folder: any command (`runN8n`, `n8nCli`), and running an imported
 * workflow with `n8n execute`, reading the run it prints (`executeAndParseRun`).
 */

const { spawnN8n } = require('./env');
const { recordLog } = require('./n8n-log');

/**
 * @typedef {object} CliResult
 * @property {number | null} exitCode null when n8n ended by a signal
 * @property {NodeJS.Signals | null} signal the signal that ended n8n, if one did
 * @property {string} stdout
 * @property {string} stderr
 * @property {string} log stdout and stderr interleaved in arrival order
 */

/**
 * Runs the runtime's n8n CLI with the headless environment (and a free task-runner broker port) and
 * collects its output. Resolves whatever the exit code; rejects only when n8n cannot be started or
 * runs longer than `timeoutMs` (default 5 minutes; then it is killed).
 * @param {string} userFolder
 * @param {string[]} args for example `['import:workflow', '--input=wf.json']`
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<CliResult>}
 */
async function runN8n(userFolder, args, options = {}) {
	const child = await spawnN8n(userFolder, args, options.env);
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		/** @type {Buffer[]} */ const all = [];
		child.stdout.on('data', (/** @type {Buffer} */ c) => (out.push(c), all.push(c)));
		child.stderr.on('data', (/** @type {Buffer} */ c) => (err.push(c), all.push(c)));
		const timeoutMs = options.timeoutMs ?? 5 * 60 * 1000;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const log = Buffer.concat(all).toString('utf8');
			if (signal === 'SIGKILL') {
				reject(
					new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms:\n${log.slice(-4000)}`),
				);
				return;
			}
			resolve({
				exitCode: code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				log,
			});
		});
	});
}

/**
 * {@link runN8n}, recording the output in the user folder's log (see n8n-log.js).
 * @param {string} userFolder
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<CliResult>}
 */
async function n8nCli(userFolder, args, options = {}) {
	const result = await runN8n(userFolder, args, options);
	const ended = result.signal ? `\n(n8n ended by ${result.signal})\n` : '';
	recordLog(userFolder, `$ n8n ${args.join(' ')}\n${result.log}${ended}`);
	return result;
}

/**
 * Finds the run JSON in `n8n execute --rawOutput`'s stdout. n8n prints log lines, then the run as
 * `JSON.stringify(run, null, 2)`: it starts at a line that is `{` and ends at the next line that is
 * `}` (every nested line is indented). When the run failed, n8n prints it after "Execution error:"
 * and then more lines (the error and its stack), so the JSON is cut out rather than parsed to the end.
 * @param {string} stdout
 * @returns {any} the parsed run, or undefined when there is none
 */
function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	for (let first = lines.indexOf('{'); first !== -1; first = lines.indexOf('{', first + 1)) {
		const last = lines.indexOf('}', first + 1);
		if (last === -1) return undefined;
		try {
			return JSON.parse(lines.slice(first, last + 1).join('\n'));
		} catch {
			// not the run; look for the next candidate
		}
	}
	return undefined;
}

/**
 * The exit code of an `n8n execute` that printed its run. n8n 1.x can end by a signal after the run is
 * printed (SIGSEGV while the process shuts down), which leaves no exit code; the printed run is then
 * the answer, and its error says what n8n exits with: 1 when the run stopped, else 0.
 * @param {CliResult} result
 * @param {any} run the parsed run, or undefined
 * @returns {number | null}
 */
function exitCodeOfRun(result, run) {
	if (result.exitCode !== null || !result.signal || run === undefined) return result.exitCode;
	return run.data?.resultData?.error ? 1 : 0;
}

/**
 * @typedef {object} ExecuteResult
 * @property {number | null} exitCode n8n's exit code: 1 only when the run itself failed; items routed
 *   to an error output or kept by "On Error: Continue" leave it 0, so assert on `run`. When n8n
 *   ended by a signal after printing the run, the code it would have exited with (exitCodeOfRun)
 * @property {NodeJS.Signals | null} signal the signal n8n ended by, if it did (see exitCodeOfRun)
 * @property {any} run the run n8n printed (an IRun: `run.data.resultData.runData[node][i].data.main`,
 *   `run.data.resultData.error` when the run failed), or undefined when n8n printed none
 * @property {string} log everything n8n wrote, stdout and stderr interleaved
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} durationMs
 */

/**
 * Runs an imported workflow with `n8n execute --id=<id> --rawOutput`, keeps all of its output and
 * parses the run it prints. (The bench's executeWithProbe reads the run from hooks instead.)
 * @param {string} userFolder
 * @param {string} id the workflow's id
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options] extra env for n8n
 * @returns {Promise<ExecuteResult>}
 */
async function executeAndParseRun(userFolder, id, options = {}) {
	const started = Date.now();
	const result = await n8nCli(userFolder, ['execute', `--id=${id}`, '--rawOutput'], options);
	const run = parseRawOutput(result.stdout);
	return {
		exitCode: exitCodeOfRun(result, run),
		signal: result.signal,
		run,
		log: result.log,
		stdout: result.stdout,
		stderr: result.stderr,
		durationMs: Date.now() - started,
	};
}

module.exports = { runN8n, n8nCli, parseRawOutput, exitCodeOfRun, executeAndParseRun };
