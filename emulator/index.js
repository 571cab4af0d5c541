// @ts-check
'use strict';

// Short names in comments (REF, AUTHLIB, TKTSUP, ...) are cStar doc pages: see docs/sources.md.

const http = require('node:http');
const { buildWorld } = require('./world');
const { Stats } = require('./stats');
const { FaultController } = require('./faults');
const { RateLimiter, resolveRateLimitConfig } = require('./rate-limit');
const { IdempotencyCache } = require('./idempotency');
const { Sleeper } = require('./time');
const { checkErrorsShape } = require('./errors-shape');
const { checkPaginationPlacement } = require('./envelope');
const { RequestPipeline } = require('./pipeline');
const { createControlHandler } = require('./control');
const { resourceByName } = require('./resources');

/** @typedef {import('./resources').ResourceName} ResourceName */
/** @typedef {import('./resources').StoredRecord} StoredRecord */
/** @typedef {import('./store').Environment} Environment */
/** @typedef {import('./world').EmulatorKeys} EmulatorKeys */
/** @typedef {import('./world').World} World */
/** @typedef {import('./stats').LogEntry} LogEntry */
/** @typedef {import('./stats').Counts} Counts */
/** @typedef {import('./faults').FaultSettings} FaultSettings */
/** @typedef {import('./faults').ScriptedFault} ScriptedFault */
/** @typedef {import('./errors-shape').ErrorsShape} ErrorsShape */
/** @typedef {import('./envelope').PaginationPlacement} PaginationPlacement */
/** @typedef {import('./rate-limit').RateLimitOptions} RateLimitOptions */
/** @typedef {import('./rate-limit').RateLimitConfig} RateLimitConfig */
/** @typedef {import('./time').Clock} Clock */

/**
 * @typedef {Object} EmulatorOptions
 * @property {number} [port]          default 0: any free port
 * @property {number} [seed]          default 1: same seed, same team id, keys and records
 * @property {number} [tickets]       default 200
 * @property {number} [customers]     default 200
 * @property {number} [articles]      default 100
 * @property {RateLimitOptions} [rateLimit]   default 1000/3600 s for secret keys, 100/3600 s for publishable keys
 * @property {number} [latencyMs]     default 0: added to every API request
 * @property {ErrorsShape} [errorsShape]      default 'byId'
 * @property {PaginationPlacement} [paginationPlacement]   default 'both': list pagination top-level and in meta
 * @property {boolean} [logBodies]    default true: keep request bodies in the log
 * @property {number} [logLimit]      default 100000: the log keeps about this many most recent requests
 * @property {number} [maxBodyBytes]  default 1 MiB: larger bodies get 413
 * @property {number} [idempotencyTtlMs]  default 24 h (REF)
 * @property {Clock} [clock]          default Date.now: for testing windows and expiry
 */
/**
 * @typedef {Object} EmulatorStore   the main team's records; copies, so changing them changes nothing
 * @property {(resource: ResourceName, id: string, env?: Environment) => StoredRecord | undefined} get
 * @property {(resource: ResourceName, env?: Environment) => StoredRecord[]} list
 * @property {(resource: ResourceName, env?: Environment) => string[]} ids
 */
/**
 * @typedef {Object} EmulatorFaults
 * @property {(settings: FaultSettings) => void} set      replaces the persistent settings
 * @property {(faults: ScriptedFault[]) => void} script   queues one-shot faults
 * @property {() => void} clear                          both
 * @property {() => { created: string[], deleted: string[], movedOut: string[] } | undefined} listChurnDone   what the list churn did so far
 */
/**
 * @typedef {Object} Emulator
 * @property {string} url             http://127.0.0.1:PORT
 * @property {number} port
 * @property {string} teamId
 * @property {EmulatorKeys} keys
 * @property {EmulatorStore} store
 * @property {LogEntry[]} log         every API request, oldest first (bounded by logLimit)
 * @property {() => Counts} counts
 * @property {(resource: ResourceName, id: string) => number} appliedCount   times a change to the record was applied since the last reset
 * @property {() => Record<string, number>} appliedCounts   "resource:id" → times applied, for every applied record
 * @property {EmulatorFaults} faults
 * @property {(shape: ErrorsShape) => void} setErrorsShape
 * @property {(placement: PaginationPlacement) => void} setPaginationPlacement
 * @property {(options: RateLimitOptions) => void} setRateLimit   also starts every key on a fresh window
 * @property {(key: string) => void} revokeKey   afterwards the key gets 401 invalid_api_key (until reset)
 * @property {() => void} reset       reseeds the store; clears log, counts, idempotency cache, rate windows, faults, revocations (keeps errors shape and rate-limit settings)
 * @property {() => { url: string, teamId: string, keys: EmulatorKeys, errorsShape: ErrorsShape, paginationPlacement: PaginationPlacement, rateLimit: RateLimitConfig, pendingFaults: number, listChurn: { created: string[], deleted: string[], movedOut: string[] } | undefined }} describe
 * @property {() => Promise<void>} close
 */

/** @param {unknown} value @param {string} name @param {number} fallback */
function nonNegativeInteger(value, name, fallback) {
	if (value === undefined) return fallback;
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 0)
		throw new RangeError(`${name} must be a non-negative integer`);
	return /** @type {number} */ (value);
}

/**
 * The mutable part of an emulator: its world (reseeded by reset) and errors shape.
 * @typedef {Object} EmulatorState
 * @property {World} world
 * @property {ErrorsShape} errorsShape
 * @property {PaginationPlacement} paginationPlacement
 */

/**
 * The store view: copies of the main team's records, per environment.
 * @param {EmulatorState} state
 * @returns {EmulatorStore}
 */
function storeView(state) {
	/** @param {ResourceName} resource */
	const resourceDef = (resource) => {
		const def = resourceByName(resource);
		if (!def)
			throw new RangeError(`resource must be tickets, customers or articles (got ${resource})`);
		return def;
	};
	/** @param {Environment} env */
	const storeOf = (env) => state.world.team.stores[env === 'live' ? 'live' : 'test'];
	return {
		get: (resource, id, env = 'test') => {
			const record = storeOf(env).get(resourceDef(resource).name, id);
			return record && structuredClone(record);
		},
		list: (resource, env = 'test') => structuredClone(storeOf(env).all(resourceDef(resource).name)),
		ids: (resource, env = 'test') =>
			storeOf(env)
				.all(resourceDef(resource).name)
				.map((r) => r.id),
	};
}

/**
 * Listens on 127.0.0.1 only: the emulator is test infrastructure and has no business on a network.
 * @param {http.Server} server
 * @param {number} port
 * @returns {Promise<number>} the port it listens on
 */
async function listen(server, port) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(undefined));
	});
	return /** @type {import('node:net').AddressInfo} */ (server.address()).port;
}

/**
 * @typedef {Object} EmulatorParts
 * @property {EmulatorState} state
 * @property {() => World} reseed   a fresh world from the seed
 * @property {Stats} stats
 * @property {FaultController} faults
 * @property {RateLimiter} rateLimiter
 * @property {IdempotencyCache} idempotency
 * @property {Sleeper} sleeper
 * @property {http.Server} server
 */

/**
 * The emulator's API over its parts.
 * @param {string} url
 * @param {number} port
 * @param {EmulatorParts} parts
 * @returns {Emulator}
 */
function emulatorApi(url, port, parts) {
	const { state, stats, faults, rateLimiter, idempotency, sleeper, server } = parts;
	return {
		url,
		port,
		get teamId() {
			return state.world.team.id;
		},
		get keys() {
			return state.world.keys;
		},
		store: storeView(state),
		log: stats.log,
		counts: () => stats.counts(),
		appliedCount: (resource, id) => stats.appliedCount(resource, id),
		appliedCounts: () => stats.appliedCounts(),
		faults: {
			set: (settings) => faults.set(settings),
			script: (list) => faults.script(list),
			clear: () => faults.clear(),
			listChurnDone: () => faults.churn && structuredClone(faults.churn.done),
		},
		setErrorsShape: (shape) => {
			state.errorsShape = checkErrorsShape(shape);
		},
		setPaginationPlacement: (placement) => {
			state.paginationPlacement = checkPaginationPlacement(placement);
		},
		setRateLimit: (rateLimit) => rateLimiter.configure(resolveRateLimitConfig(rateLimit)),
		revokeKey: (key) => {
			if (!state.world.keyRing.revoke(key))
				throw new RangeError('revokeKey: not a key this emulator issued');
		},
		reset: () => {
			state.world = parts.reseed();
			stats.reset();
			faults.reset();
			rateLimiter.reset();
			idempotency.clear();
		},
		describe: () => ({
			url,
			teamId: state.world.team.id,
			keys: state.world.keys,
			errorsShape: state.errorsShape,
			paginationPlacement: state.paginationPlacement,
			rateLimit: rateLimiter.config,
			pendingFaults: faults.pending,
			listChurn: faults.churn && structuredClone(faults.churn.done),
		}),
		close: async () => {
			sleeper.wakeAll();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * Starts a cStar API emulator on 127.0.0.1.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
async function startEmulator(options = {}) {
	const seed = nonNegativeInteger(options.seed, 'seed', 1);
	const sizes = {
		tickets: nonNegativeInteger(options.tickets, 'tickets', 200),
		customers: nonNegativeInteger(options.customers, 'customers', 200),
		articles: nonNegativeInteger(options.articles, 'articles', 100),
	};
	const port = nonNegativeInteger(options.port, 'port', 0);
	const latencyMs = nonNegativeInteger(options.latencyMs, 'latencyMs', 0);
	const clock = options.clock ?? Date.now;
	const errorsShape = checkErrorsShape(options.errorsShape ?? 'byId');
	const reseed = () => buildWorld(seed, sizes);
	const paginationPlacement = checkPaginationPlacement(options.paginationPlacement ?? 'both');
	/** @type {EmulatorState} */
	const state = { world: reseed(), errorsShape, paginationPlacement };

	const stats = new Stats({
		logLimit: nonNegativeInteger(options.logLimit, 'logLimit', 100_000) || 1,
		logBodies: options.logBodies ?? true,
	});
	const faults = new FaultController(seed, clock);
	const rateLimiter = new RateLimiter(resolveRateLimitConfig(options.rateLimit), clock);
	const idempotency = new IdempotencyCache(clock, options.idempotencyTtlMs);
	const sleeper = new Sleeper();

	/** @type {Emulator | undefined} */
	let emulator;
	const pipeline = new RequestPipeline({
		world: () => state.world,
		stats,
		faults,
		rateLimiter,
		idempotency,
		sleeper,
		clock,
		errorsShape: () => state.errorsShape,
		paginationPlacement: () => state.paginationPlacement,
		latencyMs: () => latencyMs,
		maxBodyBytes: nonNegativeInteger(options.maxBodyBytes, 'maxBodyBytes', 1024 * 1024),
		control: createControlHandler(() => /** @type {Emulator} */ (emulator)),
	});
	const server = http.createServer({ keepAliveTimeout: 30_000 }, pipeline.listener);
	const listening = await listen(server, port);
	const parts = { state, reseed, stats, faults, rateLimiter, idempotency, sleeper, server };
	emulator = emulatorApi(`http://127.0.0.1:${listening}`, listening, parts);
	return emulator;
}

module.exports = { startEmulator };
