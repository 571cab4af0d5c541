#!/usr/bin/env node
// @ts-check
'use strict';

const { startEmulator } = require('./index');
const { ERRORS_SHAPES } = require('./errors-shape');
const { PAGINATION_PLACEMENTS } = require('./envelope');
const { checkListChurn } = require('./churn');

/** @typedef {import('./index').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./index').Emulator} Emulator */

const DEFAULT_PORT = 8787; // a fixed default, so a saved n8n credential keeps its Base URL across restarts

const USAGE = `Usage: npm run emulator -- [flags]

Starts a local cStar API emulator on 127.0.0.1 and prints its URL, a test key and the team id.

  --port N            port (default ${DEFAULT_PORT}; 0 picks a free one)
  --seed N            data seed (default 1): the same seed gives the same team id, keys and records
  --tickets N         seeded tickets (default 200)
  --customers N       seeded customers (default 200)
  --articles N        seeded articles (default 100)
  --latency MS        delay added to every API request (default 0)
  --rate-limit L/W    L requests per W seconds per key (default 1000/3600 for secret keys, 100/3600 for publishable)
  --errors-shape S    entries of a bulk result's errors[]: ${ERRORS_SHAPES.join(', ')} (default byId)
  --pagination P      where list answers put pagination: both (default), top or meta
  --list-churn SPEC   records change between list pages, e.g. create=1,deleteListed=1,moveOutUnlisted=2
                      (also deleteUnlisted, moveOutListed, afterPages=N, times=N, resource=tickets)
  --no-log-bodies     keep request bodies out of the in-memory request log
  --help              this text
`;

class UsageError extends Error {}

/** Flags that take a non-negative integer, and the option each one sets. */
/** @type {Record<string, 'port' | 'seed' | 'tickets' | 'customers' | 'articles' | 'latencyMs'>} */
const INTEGER_FLAGS = {
	'--port': 'port',
	'--seed': 'seed',
	'--tickets': 'tickets',
	'--customers': 'customers',
	'--articles': 'articles',
	'--latency': 'latencyMs',
};

/** @param {string} raw @returns {{ limit: number, windowSeconds: number }} */
function parseRateLimit(raw) {
	const match = /^(\d+)\/(\d+)$/.exec(raw);
	if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
		throw new UsageError(`--rate-limit takes LIMIT/WINDOW_SECONDS, e.g. 100/60 (got "${raw}")`);
	}
	return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/** @param {string} shape @returns {import('./errors-shape').ErrorsShape} */
function parseErrorsShape(shape) {
	if (!ERRORS_SHAPES.includes(/** @type {any} */ (shape))) {
		throw new UsageError(
			`--errors-shape takes one of ${ERRORS_SHAPES.join(', ')} (got "${shape}")`,
		);
	}
	return /** @type {import('./errors-shape').ErrorsShape} */ (shape);
}

/** @param {string} raw @returns {import('./envelope').PaginationPlacement} */
function parsePagination(raw) {
	if (!PAGINATION_PLACEMENTS.includes(raw))
		throw new UsageError(
			`--pagination takes one of ${PAGINATION_PLACEMENTS.join(', ')} (got "${raw}")`,
		);
	return /** @type {import('./envelope').PaginationPlacement} */ (raw);
}

/** @param {string} raw @returns {import('./churn').ListChurn} */
function parseListChurn(raw) {
	/** @type {Record<string, unknown>} */
	const churn = {};
	for (const part of raw.split(',')) {
		const [name, text] = part.split('=');
		churn[name] = name === 'resource' ? text : /^\d+$/.test(text ?? '') ? Number(text) : text;
	}
	try {
		return checkListChurn(churn);
	} catch (err) {
		throw new UsageError(
			`--list-churn: ${err instanceof Error ? err.message : String(err)} (got "${raw}")`,
		);
	}
}

/**
 * @param {string[]} argv  the arguments after the script name
 * @returns {EmulatorOptions & { help?: boolean, listChurn?: import('./churn').ListChurn }}
 */
function parseCliArgs(argv) {
	/** @type {EmulatorOptions & { help?: boolean, listChurn?: import('./churn').ListChurn }} */
	const options = { port: DEFAULT_PORT };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = () => {
			const next = argv[++i];
			if (next === undefined) throw new UsageError(`${flag} needs a value`);
			return next;
		};
		if (flag === '--help' || flag === '-h') {
			options.help = true;
		} else if (Object.hasOwn(INTEGER_FLAGS, flag)) {
			const raw = value();
			if (!/^\d+$/.test(raw))
				throw new UsageError(`${flag} takes a non-negative integer (got "${raw}")`);
			options[INTEGER_FLAGS[flag]] = Number(raw);
		} else if (flag === '--rate-limit') {
			options.rateLimit = parseRateLimit(value());
		} else if (flag === '--errors-shape') {
			options.errorsShape = parseErrorsShape(value());
		} else if (flag === '--pagination') {
			options.paginationPlacement = parsePagination(value());
		} else if (flag === '--list-churn') {
			options.listChurn = parseListChurn(value());
		} else if (flag === '--no-log-bodies') {
			options.logBodies = false;
		} else {
			throw new UsageError(`unknown flag: ${flag}`);
		}
	}
	return options;
}

/**
 * What the CLI prints once the emulator listens.
 * @param {Emulator} emu
 * @param {EmulatorOptions} options
 */
function formatBanner(emu, options) {
	const { url, teamId, keys } = emu;
	const { rateLimit } = emu.describe();
	const auth = `-H "Authorization: Bearer ${keys.secret}"`;
	const teamUrl = `${url}/api/v1/teams/${teamId}`;
	const firstTicket = emu.store.ids('tickets')[0] ?? 'tkt_...';
	const bulkBody = JSON.stringify({
		action: 'update',
		resource: 'tickets',
		ids: [firstTicket],
		data: { status: 'closed' },
	});
	return `cStar emulator listening on ${url}

  Base URL:         ${url}
  Team ID:          ${teamId}
  Secret test key:  ${keys.secret}

  Other keys:       live secret ${keys.secretLive}
                    publishable ${keys.publishable} (read-only)
                    another team's secret ${keys.otherTeam} (403 here)
  Data:             ${options.tickets ?? 200} tickets, ${options.customers ?? 200} customers, ${options.articles ?? 100} articles (seed ${options.seed ?? 1})
  Rate limit:       ${rateLimit.limit} requests per ${rateLimit.windowSeconds} s per secret key, ${rateLimit.publishableLimit} per publishable key
  Latency:          ${options.latencyMs ?? 0} ms; bulk errors[] shape: ${emu.describe().errorsShape}

Try it:
  curl -s ${url}/api/v1/auth/whoami ${auth}
  curl -s "${teamUrl}/tickets?pageSize=2" ${auth}
  curl -s -X POST ${teamUrl}/bulk ${auth} -H "Content-Type: application/json" -d '${bulkBody}'

Inspect: curl -s ${url}/__emulator/state
Press Ctrl-C to stop.
`;
}

async function main() {
	let options;
	try {
		options = parseCliArgs(process.argv.slice(2));
	} catch (err) {
		if (!(err instanceof UsageError)) throw err;
		process.stderr.write(`cstar emulator: ${err.message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (options.help) {
		process.stdout.write(USAGE);
		return;
	}
	const emu = await startEmulator(options);
	if (options.listChurn) emu.faults.set({ listChurn: options.listChurn });
	process.stdout.write(formatBanner(emu, options));
	const stop = () => {
		emu.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((err) => {
		process.stderr.write(`cstar emulator: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	});
}

module.exports = { parseCliArgs, formatBanner, UsageError, USAGE };
