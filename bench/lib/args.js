// @ts-check
'use strict';

/**
 * Flags of `npm run bench -- [flags]`.
 */

const path = require('node:path');

const CONTENDER_KEYS = ['cstar', 'cstar-p4', 'per-item', 'diy', 'floor-c1', 'floor-c4'];

const USAGE = `Usage: npm run bench -- [flags]

Measures the Cstar Bulk node through real n8n against the cStar emulator, side by side with what users
do today (HTTP Request per item; Loop Over Items + Aggregate + HTTP Request to /bulk) and the floor (a
plain Node script). Builds the package and prepares n8n itself. Writes results.json, results.md and
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
  --max-run-seconds S     skip a contender at a larger id count when its time at the smaller one,
                          scaled by the id ratio, exceeds S (default 150); reported as a cut-off
  --run-timeout S         kill one n8n run after S seconds (default 900)
  --no-memory-baseline    skip the empty and ids-only n8n runs
  --no-cpu                skip the in-process CPU-per-id measurement
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
 * @param {string[]} argv
 * @returns {BenchArgs}
 */
function parseArgs(argv) {
	const quick = argv.includes('--quick');
	/** @type {BenchArgs} */
	const args = {
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
		rateLimitedIds: quick ? 20000 : 20000,
		rateLimitedPerItemIds: quick ? 200 : 1000,
		maxRunSeconds: 150,
		runTimeoutSeconds: 900,
		memoryBaseline: true,
		cpu: true,
		cpuIds: quick ? 10000 : 100000,
		n8nEnv: {},
		out: path.join(__dirname, '..', quick ? path.join('.work', 'results-quick') : 'results'),
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = () => argv[++i];
		switch (flag) {
			case '--help':
			case '-h':
				args.help = true;
				break;
			case '--quick':
				break;
			case '--runs':
				args.runs = positiveInteger(flag, value());
				args.slowRuns = Math.min(args.slowRuns, args.runs);
				break;
			case '--slow-runs':
				args.slowRuns = positiveInteger(flag, value());
				break;
			case '--slow-seconds':
				args.slowSeconds = positiveInteger(flag, value());
				break;
			case '--contenders': {
				const list = (value() ?? '')
					.split(',')
					.map((part) => part.trim())
					.filter(Boolean);
				const unknown = list.filter((key) => !CONTENDER_KEYS.includes(key));
				if (unknown.length > 0 || list.length === 0)
					throw new UsageError(
						`--contenders takes some of ${CONTENDER_KEYS.join(', ')} (got "${list.join(',')}")`,
					);
				args.contenders = CONTENDER_KEYS.filter((key) => list.includes(key));
				break;
			}
			case '--ids':
				args.ids = [...new Set(integerList(flag, value()))]
					.filter((n) => n > 0)
					.sort((a, b) => a - b);
				break;
			case '--latencies':
				args.latencies = [...new Set(integerList(flag, value()))].sort((a, b) => a - b);
				break;
			case '--no-unlimited':
				args.unlimited = false;
				break;
			case '--no-rate-limited':
				args.rateLimited = false;
				break;
			case '--rate-limit': {
				const raw = value() ?? '';
				const match = /^(\d+)\/(\d+)$/.exec(raw);
				if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
					throw new UsageError(
						`--rate-limit takes LIMIT/WINDOW_SECONDS, e.g. 100/6 (got "${raw}")`,
					);
				args.rateLimit = { limit: Number(match[1]), windowSeconds: Number(match[2]) };
				break;
			}
			case '--rate-limited-ids':
				args.rateLimitedIds = positiveInteger(flag, value());
				break;
			case '--rate-limited-per-item-ids':
				args.rateLimitedPerItemIds = positiveInteger(flag, value());
				break;
			case '--max-run-seconds':
				args.maxRunSeconds = positiveInteger(flag, value());
				break;
			case '--run-timeout':
				args.runTimeoutSeconds = positiveInteger(flag, value());
				break;
			case '--no-memory-baseline':
				args.memoryBaseline = false;
				break;
			case '--no-cpu':
				args.cpu = false;
				break;
			case '--cpu-ids':
				args.cpuIds = positiveInteger(flag, value());
				break;
			case '--n8n-env': {
				const raw = value() ?? '';
				const at = raw.indexOf('=');
				if (at < 1) throw new UsageError(`--n8n-env takes KEY=VALUE (got "${raw}")`);
				args.n8nEnv[raw.slice(0, at)] = raw.slice(at + 1);
				break;
			}
			case '--from-json':
				args.fromJson = path.resolve(value() ?? '');
				break;
			case '--out':
				args.out = path.resolve(value() ?? '');
				break;
			default:
				throw new UsageError(`unknown flag: ${flag}\n\n${USAGE}`);
		}
	}
	args.slowRuns = Math.min(args.slowRuns, args.runs);
	return args;
}

module.exports = { parseArgs, USAGE, UsageError, CONTENDER_KEYS };
