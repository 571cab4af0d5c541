// @ts-check
'use strict';

/**
 * Flags of `npm run bench -- [flags]`.
 */

const path = require('node:path');

const CONTENDER_KEYS = [
	'cstar',
	'cstar-p4',
	'cstar-p4-summary',
	'cstar-p10',
	'cstar-search',
	'cstar-search-p4',
	'cstar-search-p10',
	'per-item',
	'diy',
	'n8n-floor-c1',
	'n8n-floor-c4',
	'floor-c1',
	'floor-c4',
	'floor-c10',
	'floor-search-c1',
	'floor-search-c4',
	'floor-search-c10',
];
/**
 * The scenarios `--only` picks, each with the contenders it needs: the floor inside n8n (issue 20)
 * against ours and the plain-Node floor without a rate limit, and search mode (issue 20).
 */
const SCENARIOS = /** @type {Record<string, string[]>} */ ({
	'n8n-floor': ['cstar', 'cstar-p4', 'n8n-floor-c1', 'n8n-floor-c4', 'floor-c1', 'floor-c4'],
	search: [
		'cstar-p4',
		'cstar-search',
		'cstar-search-p4',
		'cstar-search-p10',
		'floor-search-c1',
		'floor-search-c4',
		'floor-search-c10',
	],
});
/** The big workload gives its ids as items of this many, as a user who paged through a list has them. */
const MILLION_IDS_PER_ITEM = 100;

const USAGE = `Usage: npm run bench -- [flags]

Measures the Cstar Bulk node through real n8n against the cStar emulator, side by side with what users
do today (HTTP Request per item; Loop Over Items + Aggregate + HTTP Request to /bulk) and the floor (a
plain Node script, and the same calls through n8n's HTTP helper inside n8n). Builds the package and prepares n8n itself. Writes results.json, results.md and
wall-time.svg to the output folder.

  --quick                 a short smoke run: 1,000 ids at 0 and 50 ms, 1 run, a small rate-limited
                          workload, 10,000 ids for the CPU figure; writes to bench/.work/results-quick
  --runs N                runs per contender and workload; the median is reported (default 3)
  --slow-runs N           runs for a contender and workload whose first run took longer than
                          --slow-seconds (default 3, i.e. no reduction)
  --slow-seconds S        (default 60)
  --contenders LIST       comma-separated, from: ${CONTENDER_KEYS.join(', ')} (default all)
  --ids LIST              id counts of the unlimited workloads (default 1000,10000,100000)
  --latencies LIST        emulated latency per request in ms (default 0,50)
  --no-unlimited          skip the workloads without a rate limit
  --no-rate-limited       skip the rate-limited workload
  --rate-limit L/W        L requests per W seconds for the rate-limited workload (default 100/6)
  --rate-limited-ids N    ids of the rate-limited workload (default 20000)
  --rate-limited-per-item-ids N
                          ids HTTP Request per item gets in it (default 1000: at L ids per window,
                          20,000 would take 20 minutes)
  --no-million            skip the big workload: 1,000,000 ids as 10,000 items of 100 ids, 50 ms,
                          Parallel Requests 4, summary and per-id output (about 10 minutes; on by
                          default, off with --quick)
  --million               run it also with --quick
  --million-ids N         ids of the big workload (default 1000000; a multiple of 100)
  --no-search             skip the search workloads: N tickets that Cstar Bulk finds itself (Records
                          "Matching a Search", status = open), on an emulator of their own, once under
                          --search-rate-limit and once at --search-latency without a rate limit
  --search-ids N          matching tickets of the search workloads (default 100000; 2000 with --quick)
  --search-rate-limit L/W (default 1000/6: cStar's 1,000 per hour with 6 s windows; 1000/3 with --quick)
  --search-latency MS     (default 50)
  --only LIST             run only these scenarios, comma-separated: ${Object.keys(SCENARIOS).join(', ')}
                          (n8n-floor: the unlimited workloads, with ours at 1 and 4, the floor
                          inside n8n and the plain-Node floor; search: the search workloads);
                          no baselines, diagnostics or CPU figure;
                          writes to bench/.work/results-only unless --out is given. Later flags
                          still apply, e.g. --only n8n-floor --ids 100000 --latencies 0
  --max-run-seconds S     skip a contender at a larger id count when its time at the smaller one,
                          scaled by the id ratio, exceeds S (default 150); reported as a cut-off
  --run-timeout S         kill one n8n run after S seconds (default 900)
  --no-memory-baseline    skip the empty and ids-only n8n runs
  --no-cpu                skip the in-process CPU-per-id measurement
  --no-diagnostics        skip the diagnostic run (ours with n8n's legacy expression engine)
  --cpu-ids N             ids for the CPU-per-id measurement (default 100000)
  --n8n-env K=V           extra environment for every n8n run (repeatable), e.g.
                          N8N_EXPRESSION_ENGINE=legacy to compare n8n's expression engines
  --from-json FILE        run nothing: judge the goals and write results.md, results.json and
                          wall-time.svg again from FILE (a results.json)
  --out DIR               output folder (default bench/results, or bench/.work/results-quick)
  --help
`;

/**
 * @typedef {object} BenchArgs
 * @property {boolean} help
 * @property {boolean} quick
 * @property {number} runs
 * @property {number} slowRuns
 * @property {number} slowSeconds
 * @property {string[]} contenders
 * @property {number[]} ids
 * @property {number[]} latencies
 * @property {boolean} unlimited
 * @property {boolean} rateLimited
 * @property {{ limit: number, windowSeconds: number }} rateLimit
 * @property {number} rateLimitedIds
 * @property {number} rateLimitedPerItemIds
 * @property {boolean} million
 * @property {number} millionIds
 * @property {boolean} search
 * @property {number} searchIds
 * @property {{ limit: number, windowSeconds: number }} searchRateLimit
 * @property {number} searchLatencyMs
 * @property {boolean} diagnostics
 * @property {number} maxRunSeconds
 * @property {number} runTimeoutSeconds
 * @property {boolean} memoryBaseline
 * @property {boolean} cpu
 * @property {number} cpuIds
 * @property {Record<string, string>} n8nEnv
 * @property {string} out
 * @property {string} [fromJson]
 */

class UsageError extends Error {}

/** @param {string} flag @param {string | undefined} raw */
function positiveInteger(flag, raw) {
	if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1)
		throw new UsageError(`${flag} takes a positive integer (got "${raw}")`);
	return Number(raw);
}

/** @param {string} flag @param {string | undefined} raw */
function integerList(flag, raw) {
	if (raw === undefined) throw new UsageError(`${flag} needs a value`);
	return raw.split(',').map((part) => {
		if (!/^\d+$/.test(part.trim()))
			throw new UsageError(`${flag} takes comma-separated integers (got "${raw}")`);
		return Number(part.trim());
	});
}

/**
 * The defaults of a full run, or of --quick.
 * @param {boolean} quick
 * @returns {BenchArgs}
 */
function defaultArgs(quick) {
	return {
		help: false,
		quick,
		runs: quick ? 1 : 3,
		slowRuns: quick ? 1 : 3,
		slowSeconds: 60,
		contenders: [...CONTENDER_KEYS],
		ids: quick ? [1000] : [1000, 10000, 100000],
		latencies: [0, 50],
		unlimited: true,
		rateLimited: true,
		rateLimit: quick ? { limit: 100, windowSeconds: 3 } : { limit: 100, windowSeconds: 6 },
		rateLimitedIds: 20000,
		rateLimitedPerItemIds: quick ? 200 : 1000,
		million: !quick,
		millionIds: quick ? 10000 : 1000000,
		search: true,
		searchIds: quick ? 2000 : 100000,
		searchRateLimit: quick ? { limit: 1000, windowSeconds: 3 } : { limit: 1000, windowSeconds: 6 },
		searchLatencyMs: 50,
		diagnostics: true,
		maxRunSeconds: 150,
		runTimeoutSeconds: 900,
		memoryBaseline: true,
		cpu: true,
		cpuIds: quick ? 10000 : 100000,
		n8nEnv: {},
		out: path.join(__dirname, '..', quick ? path.join('.work', 'results-quick') : 'results'),
	};
}

/** @param {string | undefined} raw */
function contenderList(raw) {
	const list = (raw ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	const unknown = list.filter((key) => !CONTENDER_KEYS.includes(key));
	if (unknown.length > 0 || list.length === 0)
		throw new UsageError(
			`--contenders takes some of ${CONTENDER_KEYS.join(', ')} (got "${list.join(',')}")`,
		);
	return CONTENDER_KEYS.filter((key) => list.includes(key));
}

/** @param {string | undefined} raw @param {string} [flag] */
function rateLimitOf(raw = '', flag = '--rate-limit') {
	const match = /^(\d+)\/(\d+)$/.exec(raw);
	if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
		throw new UsageError(`${flag} takes LIMIT/WINDOW_SECONDS, e.g. 100/6 (got "${raw}")`);
	return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/**
 * --only: the workloads and contenders of the named scenarios and nothing else.
 * @param {BenchArgs} args
 * @param {string | undefined} raw
 */
function onlyScenarios(args, raw = '') {
	const names = raw
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	const unknown = names.filter((name) => !(name in SCENARIOS));
	if (names.length === 0 || unknown.length > 0)
		throw new UsageError(
			`--only takes some of ${Object.keys(SCENARIOS).join(', ')} (got "${raw}")`,
		);
	const wanted = new Set(names.flatMap((name) => SCENARIOS[name]));
	Object.assign(args, {
		contenders: CONTENDER_KEYS.filter((key) => wanted.has(key)),
		unlimited: names.includes('n8n-floor'),
		rateLimited: false,
		million: false,
		search: names.includes('search'),
		memoryBaseline: false,
		cpu: false,
		diagnostics: false,
		out: path.join(__dirname, '..', '.work', 'results-only'),
	});
}

/** @param {BenchArgs} args @param {string | undefined} raw */
function addN8nEnv(args, raw = '') {
	const at = raw.indexOf('=');
	if (at < 1) throw new UsageError(`--n8n-env takes KEY=VALUE (got "${raw}")`);
	args.n8nEnv[raw.slice(0, at)] = raw.slice(at + 1);
}

/** @typedef {(args: BenchArgs, value: () => string | undefined, flag: string) => void} FlagHandler */

/** @type {Record<string, FlagHandler>} */
const FLAGS = {
	'--help': (args) => (args.help = true),
	'-h': (args) => (args.help = true),
	'--quick': () => undefined,
	'--runs': (args, value, flag) => {
		args.runs = positiveInteger(flag, value());
		args.slowRuns = Math.min(args.slowRuns, args.runs);
	},
	'--slow-runs': (args, value, flag) => (args.slowRuns = positiveInteger(flag, value())),
	'--slow-seconds': (args, value, flag) => (args.slowSeconds = positiveInteger(flag, value())),
	'--contenders': (args, value) => (args.contenders = contenderList(value())),
	'--ids': (args, value, flag) =>
		(args.ids = [...new Set(integerList(flag, value()))]
			.filter((n) => n > 0)
			.sort((a, b) => a - b)),
	'--latencies': (args, value, flag) =>
		(args.latencies = [...new Set(integerList(flag, value()))].sort((a, b) => a - b)),
	'--no-unlimited': (args) => (args.unlimited = false),
	'--no-rate-limited': (args) => (args.rateLimited = false),
	'--rate-limit': (args, value) => (args.rateLimit = rateLimitOf(value())),
	'--rate-limited-ids': (args, value, flag) =>
		(args.rateLimitedIds = positiveInteger(flag, value())),
	'--rate-limited-per-item-ids': (args, value, flag) =>
		(args.rateLimitedPerItemIds = positiveInteger(flag, value())),
	'--million': (args) => (args.million = true),
	'--no-million': (args) => (args.million = false),
	'--no-search': (args) => (args.search = false),
	'--search-ids': (args, value, flag) => (args.searchIds = positiveInteger(flag, value())),
	'--search-rate-limit': (args, value, flag) => (args.searchRateLimit = rateLimitOf(value(), flag)),
	'--search-latency': (args, value, flag) => {
		const raw = value();
		if (raw === undefined || !/^\d+$/.test(raw))
			throw new UsageError(`${flag} takes milliseconds (got "${raw}")`);
		args.searchLatencyMs = Number(raw);
	},
	'--only': (args, value) => onlyScenarios(args, value()),
	'--no-diagnostics': (args) => (args.diagnostics = false),
	'--million-ids': (args, value, flag) => {
		args.millionIds = positiveInteger(flag, value());
		if (args.millionIds % MILLION_IDS_PER_ITEM !== 0)
			throw new UsageError(`${flag} takes a multiple of ${MILLION_IDS_PER_ITEM}`);
	},
	'--max-run-seconds': (args, value, flag) => (args.maxRunSeconds = positiveInteger(flag, value())),
	'--run-timeout': (args, value, flag) => (args.runTimeoutSeconds = positiveInteger(flag, value())),
	'--no-memory-baseline': (args) => (args.memoryBaseline = false),
	'--no-cpu': (args) => (args.cpu = false),
	'--cpu-ids': (args, value, flag) => (args.cpuIds = positiveInteger(flag, value())),
	'--n8n-env': (args, value) => addN8nEnv(args, value()),
	'--from-json': (args, value) => (args.fromJson = path.resolve(value() ?? '')),
	'--out': (args, value) => (args.out = path.resolve(value() ?? '')),
};

/**
 * @param {string[]} argv
 * @returns {BenchArgs}
 */
function parseArgs(argv) {
	const args = defaultArgs(argv.includes('--quick'));
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const handler = FLAGS[flag];
		if (!handler) throw new UsageError(`unknown flag: ${flag}\n\n${USAGE}`);
		handler(args, () => argv[++i], flag);
	}
	args.slowRuns = Math.min(args.slowRuns, args.runs);
	return args;
}

module.exports = {
	parseArgs,
	USAGE,
	UsageError,
	CONTENDER_KEYS,
	SCENARIOS,
	MILLION_IDS_PER_ITEM,
};
