// @ts-check
'use strict';

/**
 * n8n in queue mode, as production runs it: Redis and Postgres (./services.js), one main
 * (`n8n start`) and N workers (`n8n worker`), all sharing N8N_ENCRYPTION_KEY, the database and
 * Redis. Every process has its own user folder with the packed package installed in `.n8n/nodes`,
 * which is how workers get community packages (see docs/queue-mode.md).
 * Workflows and credentials are imported, and workflows published, before the main starts, so the
 * main registers their webhooks at boot. `stop()` ends every process and service, even after a
 * failed start.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
	createUserFolder,
	freePort,
	n8nCli,
	removeUserFolder,
	requestJson,
	requireRuntime,
	spawnN8n,
	startN8nServer,
} = require('../../../harness');
const { ensureServicePackages, startRedis, startPostgres } = require('./services');
const { waitFor } = require('./wait');

/**
 * @typedef {object} Worker
 * @property {string} name      `worker1`, `worker2`, …
 * @property {number} pid
 * @property {() => string} log what it has written so far
 * @property {() => boolean} running
 * @property {(signal: NodeJS.Signals) => Promise<void>} kill sends the signal and waits for the exit
 */

/**
 * Spawns `n8n worker` and waits for its health check (`/healthz/readiness`: database and Redis up).
 * @param {string} name
 * @param {string} userFolder
 * @param {Record<string, string>} env
 * @param {number} concurrency jobs the worker runs at once
 * @returns {Promise<Worker>}
 */
async function startWorker(name, userFolder, env, concurrency) {
	const port = await freePort();
	const child = await spawnN8n(userFolder, ['worker', `--concurrency=${concurrency}`], {
		...env,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(port),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	});
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	const exited = new Promise((resolve) => child.on('close', resolve));
	const running = () => child.exitCode === null && child.signalCode === null;
	/** @type {Worker['kill']} */
	const kill = async (signal) => {
		if (!running()) return;
		child.kill(signal);
		const force = setTimeout(() => child.kill('SIGKILL'), 30000);
		await exited;
		clearTimeout(force);
	};
	try {
		await waitFor(
			async () => {
				const ready = await requestJson(`http://127.0.0.1:${port}/healthz/readiness`, {
					timeoutMs: 2000,
				}).catch(() => undefined);
				return ready?.status === 200;
			},
			{ what: `n8n ${name}`, failed: () => (running() ? '' : output) },
		);
	} catch (error) {
		await kill('SIGKILL');
		throw error;
	}
	return { name, pid: child.pid || 0, log: () => output, running, kill };
}

/**
 * @typedef {object} QueueCluster
 * @property {import('../../../harness').N8nServer} main
 * @property {Worker[]} workers every worker started, killed ones included
 * @property {() => Promise<Worker>} addWorker starts one more worker (e.g. to replace a killed one)
 * @property {(workflowId: string) => Promise<string[]>} executionIds ids of the workflow's executions, newest first
 * @property {(id: string) => Promise<any>} execution the execution record, its run data parsed
 * @property {(executionId: string) => Worker[]} ranOn the workers whose log says they started it
 * @property {(webhookPath: string, body: unknown) => Promise<{ status: number, body: any }>} callWebhook
 * @property {N8nRest} rest an authenticated call to the main's REST API, failing with the main's log
 * @property {() => string} log every process's output, for leak checks
 * @property {() => Promise<void>} stop
 */

/**
 * Starts Redis, Postgres, imports `credentials` and `workflows` (published, so active), then the
 * main and `workers` workers (each running `concurrency` jobs at once).
 * @param {{ credentials: unknown[], workflows: Array<Record<string, unknown>>, workers?: number, concurrency?: number, log?: (line: string) => void }} options
 * @returns {Promise<QueueCluster>}
 */
async function startQueueCluster(options) {
	const log = options.log || (() => undefined);
	ensureServicePackages(log);
	const runtime = requireRuntime();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-queue-'));
	/** @type {Array<() => Promise<void>>} */
	const stops = [];
	/** @type {string[]} */
	const folders = [];
	const stop = async () => {
		for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
		for (const folder of folders.splice(0)) removeUserFolder(folder);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		const redis = await startRedis(dir);
		stops.push(redis.stop);
		const pg = await startPostgres(dir);
		stops.push(pg.stop);
		/** @type {Record<string, string>} */
		const env = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			// How often the main marks executions whose job is gone as crashed (n8n's default: 180 min).
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
		};
		const newFolder = async () => {
			const folder = await createUserFolder();
			folders.push(folder);
			// The template's own key would clash with the shared N8N_ENCRYPTION_KEY.
			fs.rmSync(path.join(folder, '.n8n', 'config'), { force: true });
			return folder;
		};
		const mainFolder = await newFolder();
		await importAndPublish(mainFolder, env, options, runtime.n8nVersion);
		const main = await startN8nServer(mainFolder, { env });
		stops.push(main.stop);
		/** @type {Worker[]} */
		const workers = [];
		const addWorker = async () => {
			const folder = await newFolder();
			const name = `worker${workers.length + 1}`;
			const worker = await startWorker(name, folder, env, options.concurrency ?? 1);
			stops.push(() => worker.kill('SIGTERM'));
			workers.push(worker);
			return worker;
		};
		for (let index = 1; index <= (options.workers ?? 2); index += 1) await addWorker();
		log(
			`queue mode up: main ${main.url}, ${workers.length} workers, Redis ${redis.port}, Postgres ${pg.port}`,
		);
		return { main, workers, addWorker, stop, ...queries(main, workers, runtime.dir) };
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * Imports the credentials and workflows into the shared database and publishes (activates) each
 * workflow: `publish:workflow` on n8n 2.x, `update:workflow --active=true` on 1.x.
 * @param {string} folder
 * @param {Record<string, string>} env
 * @param {{ credentials: unknown[], workflows: Array<Record<string, unknown>> }} options
 * @param {string} n8nVersion
 */
async function importAndPublish(folder, env, options, n8nVersion) {
	/** @param {string[]} args */
	const cli = async (args) => {
		const result = await n8nCli(folder, args, { env });
		if (result.exitCode !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.log}`);
	};
	const credentialsFile = path.join(folder, 'credentials.json');
	const workflowsFile = path.join(folder, 'workflows.json');
	fs.writeFileSync(credentialsFile, JSON.stringify(options.credentials));
	fs.writeFileSync(
		workflowsFile,
		JSON.stringify(options.workflows.map((w) => ({ active: false, ...w }))),
	);
	try {
		await cli(['import:credentials', `--input=${credentialsFile}`]);
		await cli(['import:workflow', `--input=${workflowsFile}`]);
	} finally {
		fs.rmSync(credentialsFile, { force: true });
		fs.rmSync(workflowsFile, { force: true });
	}
	const major = Number(n8nVersion.split('.')[0]);
	for (const workflow of options.workflows) {
		const id = String(workflow.id);
		await cli(
			major >= 2
				? ['publish:workflow', `--id=${id}`]
				: ['update:workflow', `--id=${id}`, '--active=true'],
		);
	}
}

/** @typedef {import('../../../harness').N8nServer['rest']} N8nRest */

/**
 * What tests ask the cluster: executions through the main's REST API (run data is stored with
 * `flatted`, n8n's own serializer, taken from the runtime), and which worker ran one, from the
 * worker's own log line "Worker started execution <id>".
 * @param {import('../../../harness').N8nServer} main
 * @param {Worker[]} workers
 * @param {string} runtimeDir
 */
function queries(main, workers, runtimeDir) {
	const flatted = require(path.join(runtimeDir, 'node_modules', 'flatted', 'cjs'));
	/** @type {N8nRest} */
	const rest = async (method, restPath, body) => {
		try {
			return await main.rest(method, restPath, body);
		} catch (first) {
			// Node's global agent keeps sockets alive; one the main closed as idle fails at once
			// ("socket hang up") without reaching it, so one retry is safe for these calls.
			if (!/socket hang up|ECONNRESET/.test(String(first))) throw first;
			try {
				return await main.rest(method, restPath, body);
			} catch (error) {
				const why = error instanceof Error ? error.message : String(error);
				throw new Error(
					`${method} /rest${restPath} on the main: ${why}\n${main.log().slice(-3000)}`,
				);
			}
		}
	};
	return {
		/** @param {string} workflowId */
		executionIds: async (workflowId) => {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const listed = await rest('GET', `/executions?filter=${filter}&limit=100`);
			const results = listed.body?.data?.results || [];
			return results.map((/** @type {{ id: string }} */ e) => String(e.id));
		},
		/** @param {string} id */
		execution: async (id) => {
			const got = await rest('GET', `/executions/${id}`);
			const record = got.body?.data;
			if (!record) throw new Error(`no execution ${id}: ${got.status} ${JSON.stringify(got.body)}`);
			return {
				...record,
				data: typeof record.data === 'string' ? flatted.parse(record.data) : record.data,
			};
		},
		/** @param {string} executionId */
		ranOn: (executionId) =>
			workers.filter((w) => new RegExp(`Worker started execution ${executionId}\\b`).test(w.log())),
		/** @param {string} webhookPath @param {unknown} body */
		callWebhook: async (webhookPath, body) => {
			const answer = await requestJson(`${main.url}/webhook/${webhookPath}`, {
				method: 'POST',
				body,
				headers: { connection: 'close' },
			}).catch((error) => {
				throw new Error(
					`POST /webhook/${webhookPath}: ${error.message}\n${main.log().slice(-3000)}`,
				);
			});
			return { status: answer.status, body: answer.body };
		},
		rest,
		log: () => [main.log(), ...workers.map((w) => w.log())].join('\n'),
	};
}

module.exports = { startQueueCluster };
