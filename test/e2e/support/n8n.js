// @ts-check
'use strict';

/**
 * The e2e harness: drives a real n8n (the runtime prepared by scripts/n8n-runtime.js) with this
 * package installed the way users install community packages.
 *
 * Test files are TypeScript and may not touch the OS (the n8n lint bans `process`, Node builtins, ...),
 * so everything that spawns processes or writes files lives here, in CommonJS with JSDoc types.
 *
 * Typical use:
 *   const userFolder = await createUserFolder();           // package installed, database migrated
 *   await importCredentials(userFolder, [{ id, name, type: 'cstarApi', data: { apiKey, baseUrl } }]);
 *   await importWorkflow(userFolder, workflowJson);        // workflowJson.id ≤ 21 characters
 *   const { run, log } = await executeWorkflow(userFolder, workflowJson.id);
 *   const [succeeded, failed] = nodeOutputs(run, 'Cstar Bulk');
 *   removeUserFolder(userFolder);
 */

const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const runtimeModule = require('../../../scripts/n8n-runtime');

const { PROJECT_ROOT, requireRuntime, n8nEnv, runN8n, freePort, withBrokerPort } = runtimeModule;

/** Where reusable, git-ignored e2e artefacts are kept (user-folder templates). */
const CACHE_DIR = path.join(PROJECT_ROOT, '.tmp', 'e2e');
/** Set by the e2e suite's global setup so every test file reuses one build of the package. */
const TARBALL_ENV = 'CSTAR_E2E_TARBALL';

/** @typedef {(line: string) => void} Logger */
/** @type {Logger} */
const quiet = () => undefined;
/** @type {Logger} */
const stderrLog = (line) => {
	process.stderr.write(`[e2e] ${line}\n`);
};

/**
 * @typedef {object} PackedPackage
 * @property {string} tarball  absolute path of the `.tgz` produced by `npm pack`
 * @property {string} name     package name (`n8n-nodes-cstar`)
 * @property {string} version
 * @property {string} sha256   of the tarball; names the cached user-folder template
 * @property {string[]} files  the paths inside the tarball, as `npm pack --json` lists them
 */

/**
 * Runs a command to completion and resolves with its output; rejects on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
function exec(command, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		childProcess.execFile(
			command,
			args,
			{ cwd, env: env || process.env, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error) {
					reject(
						new Error(
							`${command} ${args.join(' ')} failed in ${cwd}: ${error.message}\n${stdout}\n${stderr}`,
						),
					);
				} else {
					resolve({ stdout, stderr });
				}
			},
		);
	});
}

/** @param {string} file */
function sha256File(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Builds the package (`npm run build`) and packs it with `npm pack` into a fresh temp folder, so the
 * tarball is exactly what `npm publish` would upload. When the environment variable CSTAR_E2E_TARBALL
 * names an existing tarball (the e2e global setup sets it), that one is reused instead of building again.
 * @param {{ log?: Logger, rebuild?: boolean }} [options] `rebuild` ignores CSTAR_E2E_TARBALL
 * @returns {Promise<PackedPackage>}
 */
async function packPackage(options = {}) {
	const log = options.log || quiet;
	const reused = process.env[TARBALL_ENV];
	if (!options.rebuild && reused && fs.existsSync(reused) && fs.existsSync(`${reused}.json`)) {
		return JSON.parse(fs.readFileSync(`${reused}.json`, 'utf8'));
	}
	const env = { ...process.env };
	log('building the package (npm run build)');
	await exec('npm', ['run', 'build'], { cwd: PROJECT_ROOT, env });
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-pack-'));
	log('packing it (npm pack)');
	const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: PROJECT_ROOT,
		env,
	});
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const tarball = path.join(destination, info.filename);
	/** @type {PackedPackage} */
	const packed = {
		tarball,
		name: info.name,
		version: info.version,
		sha256: sha256File(tarball),
		files: info.files.map((/** @type {{ path: string }} */ f) => f.path),
	};
	fs.writeFileSync(`${tarball}.json`, JSON.stringify(packed, null, 2));
	log(`packed ${info.filename} (${info.files.length} files, ${info.size} bytes)`);
	return packed;
}

/**
 * Installs a packed package into `<userFolder>/.n8n/nodes` the way users install community packages
 * (`npm init -y` there, then `npm install <tarball> --ignore-scripts`), so n8n loads its node as
 * `n8n-nodes-cstar.cstarBulk`. Peer dependencies are not installed (`--legacy-peer-deps`), like n8n's
 * own installer, which strips `peerDependencies` before `npm install --ignore-scripts`
 * (n8n/dist/modules/community-packages/community-packages.service.js, downloadPackage): n8n provides
 * n8n-workflow itself.
 * @param {string} userFolder an N8N_USER_FOLDER
 * @param {PackedPackage} packed from {@link packPackage}
 * @returns {Promise<void>}
 */
async function installPackage(userFolder, packed) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const env = { ...process.env };
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		await exec('npm', ['init', '-y'], { cwd: nodesDir, env });
	}
	await exec(
		'npm',
		[
			'install',
			packed.tarball,
			'--ignore-scripts',
			'--legacy-peer-deps',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ cwd: nodesDir, env },
	);
	const installed = path.join(nodesDir, 'node_modules', packed.name, 'package.json');
	if (!fs.existsSync(installed)) throw new Error(`npm install did not create ${installed}`);
}

/**
 * Builds and packs the package ({@link packPackage}) and, when `userFolder` is given, installs the
 * tarball into `<userFolder>/.n8n/nodes` ({@link installPackage}).
 * @param {string} [userFolder]
 * @param {{ log?: Logger, rebuild?: boolean }} [options]
 * @returns {Promise<PackedPackage>}
 */
async function preparePackage(userFolder, options = {}) {
	const packed = await packPackage(options);
	if (userFolder) await installPackage(userFolder, packed);
	return packed;
}

/**
 * Makes the cached template for a package build: a user folder with the package installed and n8n's
 * database created and migrated (the first command on a new folder runs every migration). It is built
 * in a temp name and renamed into place, so concurrent runs never see a half-made template.
 * @param {PackedPackage} packed
 * @param {Logger} log
 * @returns {Promise<string>} the template folder
 */
async function templateFor(packed, log) {
	const runtime = requireRuntime();
	const key = `n8n-${runtime.n8nVersion}-node-${runtime.nodeVersion}-pkg-${packed.sha256.slice(0, 16)}`;
	const template = path.join(CACHE_DIR, key);
	if (fs.existsSync(path.join(template, '.complete'))) return template;

	fs.mkdirSync(CACHE_DIR, { recursive: true });
	// Templates of older builds are of no further use, once no run can still be copying them.
	for (const entry of fs.readdirSync(CACHE_DIR)) {
		const old = path.join(CACHE_DIR, entry);
		if (entry !== key && Date.now() - fs.statSync(old).mtimeMs > 60 * 60 * 1000) {
			fs.rmSync(old, { recursive: true, force: true });
		}
	}
	const building = fs.mkdtempSync(path.join(CACHE_DIR, 'building-'));
	try {
		log(`making a user-folder template (package install and database migrations): ${key}`);
		await installPackage(building, packed);
		const result = await runN8n(building, ['list:workflow']);
		if (result.exitCode !== 0) {
			throw new Error(
				`n8n list:workflow failed on a new user folder (exit ${result.exitCode}):\n${result.log}`,
			);
		}
		fs.writeFileSync(path.join(building, '.complete'), `${new Date().toISOString()}\n`);
		try {
			fs.renameSync(building, template);
		} catch (error) {
			// Another process made the same template meanwhile; use theirs.
			if (!fs.existsSync(path.join(template, '.complete'))) throw error;
			fs.rmSync(building, { recursive: true, force: true });
		}
	} catch (error) {
		fs.rmSync(building, { recursive: true, force: true });
		throw error;
	}
	return template;
}

/**
 * Creates a fresh temp N8N_USER_FOLDER with the package installed in `.n8n/nodes` and n8n's database
 * already migrated. The first call for a package build makes a template (in `.tmp/e2e/`, git-ignored)
 * and every call copies it, which saves the migrations and the npm install on each test. Each copy
 * shares the template's encryption key, which is harmless for tests.
 * @param {{ log?: Logger, packed?: PackedPackage }} [options] `packed` skips {@link packPackage}
 * @returns {Promise<string>} the folder; remove it with {@link removeUserFolder}
 */
async function createUserFolder(options = {}) {
	const log = options.log || quiet;
	const packed = options.packed || (await packPackage({ log }));
	const template = await templateFor(packed, log);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cstar-user-'));
	fs.cpSync(template, userFolder, { recursive: true });
	fs.rmSync(path.join(userFolder, '.complete'), { force: true });
	return userFolder;
}

/**
 * Deletes a user folder made by {@link createUserFolder}.
 * @param {string} userFolder
 */
function removeUserFolder(userFolder) {
	if (!path.basename(userFolder).startsWith('n8n-cstar-user-')) {
		throw new Error(`refusing to remove ${userFolder}: not a folder made by createUserFolder`);
	}
	fs.rmSync(userFolder, { recursive: true, force: true });
	cliLogs.delete(userFolder);
}

/** Every CLI command's output per user folder, so tests can check the whole of n8n's log. */
/** @type {Map<string, string[]>} */
const cliLogs = new Map();

/**
 * Runs an n8n CLI command for a user folder and records its output (see {@link n8nLog}).
 * @param {string} userFolder
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ exitCode: number | null, stdout: string, stderr: string, log: string }>}
 */
async function n8nCli(userFolder, args, options = {}) {
	const result = await runN8n(userFolder, args, options);
	const logs = cliLogs.get(userFolder) || [];
	logs.push(`$ n8n ${args.join(' ')}\n${result.log}`);
	cliLogs.set(userFolder, logs);
	return result;
}

/**
 * The output (stdout and stderr) of every n8n command this process ran for a user folder, including
 * the servers started with {@link startN8nServer}: what a test checks a secret never appears in.
 * @param {string} userFolder
 * @returns {string}
 */
function n8nLog(userFolder) {
	return (cliLogs.get(userFolder) || []).join('\n');
}

/**
 * Writes `data` to a file in the user folder, runs `fn` with its path, then deletes the file (import
 * files hold plain credentials).
 * @template T
 * @param {string} userFolder
 * @param {string} prefix
 * @param {unknown} data
 * @param {(file: string) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withJsonFile(userFolder, prefix, data, fn) {
	const file = path.join(userFolder, `${prefix}-${crypto.randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(data));
	try {
		return await fn(file);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/**
 * @typedef {object} CredentialImport
 * @property {string} id    referenced from a workflow node as `credentials.<type>.id`
 * @property {string} name
 * @property {string} type  for example `cstarApi`
 * @property {Record<string, unknown>} data plain (unencrypted) fields; n8n encrypts them on import
 */

/**
 * Imports credentials with `n8n import:credentials --input=<file>`. Throws when n8n reports a failure.
 * @param {string} userFolder
 * @param {CredentialImport[]} creds
 * @returns {Promise<{ log: string }>}
 */
async function importCredentials(userFolder, creds) {
	const result = await withJsonFile(userFolder, 'credentials', creds, (file) =>
		n8nCli(userFolder, ['import:credentials', `--input=${file}`]),
	);
	if (result.exitCode !== 0) {
		throw new Error(`n8n import:credentials failed (exit ${result.exitCode}):\n${result.log}`);
	}
	return { log: result.log };
}

/**
 * Imports one workflow (or an array of them) with `n8n import:workflow --input=<file>`. Each needs an
 * `id` of at most 21 characters, which {@link executeWorkflow} then takes. `active: false` is added when
 * missing (n8n requires the field).
 * @param {string} userFolder
 * @param {Record<string, unknown> | Record<string, unknown>[]} workflowJson
 * @returns {Promise<{ log: string }>}
 */
async function importWorkflow(userFolder, workflowJson) {
	const workflows = Array.isArray(workflowJson) ? workflowJson : [workflowJson];
	const prepared = workflows.map((workflow) => {
		const id = workflow.id;
		if (typeof id !== 'string' || id.length === 0 || id.length > 21) {
			throw new Error(
				`a workflow to import needs a string id of 1 to 21 characters, got ${JSON.stringify(id)}`,
			);
		}
		return { active: false, settings: {}, ...workflow };
	});
	const result = await withJsonFile(userFolder, 'workflow', prepared, (file) =>
		n8nCli(userFolder, ['import:workflow', `--input=${file}`]),
	);
	if (result.exitCode !== 0) {
		throw new Error(`n8n import:workflow failed (exit ${result.exitCode}):\n${result.log}`);
	}
	return { log: result.log };
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
 * @typedef {object} ExecuteResult
 * @property {number | null} exitCode n8n's exit code: 1 only when the run itself failed; items routed
 *   to an error output or kept by "On Error: Continue" leave it 0, so assert on `run`
 * @property {any} run the run n8n printed (an IRun: `run.data.resultData.runData[node][i].data.main`,
 *   `run.data.resultData.error` when the run failed), or undefined when n8n printed none
 * @property {string} log everything n8n wrote, stdout and stderr interleaved
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} durationMs
 */

/**
 * Runs an imported workflow with `n8n execute --id=<id> --rawOutput` and parses the run it prints.
 * @param {string} userFolder
 * @param {string} id the workflow's id
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options] extra env for n8n
 * @returns {Promise<ExecuteResult>}
 */
async function executeWorkflow(userFolder, id, options = {}) {
	const started = Date.now();
	const result = await n8nCli(userFolder, ['execute', `--id=${id}`, '--rawOutput'], options);
	return {
		exitCode: result.exitCode,
		run: parseRawOutput(result.stdout),
		log: result.log,
		stdout: result.stdout,
		stderr: result.stderr,
		durationMs: Date.now() - started,
	};
}

/**
 * @typedef {object} OutputItem
 * @property {Record<string, any>} json
 * @property {any} [pairedItem] `{ item: <input index> }`, or an array of them
 * @property {any} [error]
 */

/**
 * One node's outputs in a run: `[[items of output 0], [items of output 1], ...]`, each item with its
 * `json` and `pairedItem` (an output n8n recorded as null is given as []). Throws, naming the nodes that
 * did run and the node's error if any, when the node has no data for that run index.
 * @param {any} run the `run` from {@link executeWorkflow}
 * @param {string} nodeName as in the workflow, for example 'Cstar Bulk'
 * @param {number} [runIndex] which run of the node (0 unless it ran in a loop)
 * @returns {OutputItem[][]}
 */
function nodeOutputs(run, nodeName, runIndex = 0) {
	const runData = run?.data?.resultData?.runData;
	if (!runData) throw new Error(`no run data in this run: ${JSON.stringify(run)?.slice(0, 2000)}`);
	const taskData = runData[nodeName]?.[runIndex];
	if (!taskData) {
		throw new Error(
			`node "${nodeName}" has no run ${runIndex}; nodes that ran: ${Object.keys(runData).join(', ')}`,
		);
	}
	if (!taskData.data?.main) {
		const error = taskData.error ? `: ${taskData.error.message}` : '';
		throw new Error(`node "${nodeName}" produced no output${error}`);
	}
	return taskData.data.main.map((/** @type {OutputItem[] | null} */ items) =>
		(items || []).map((item) => {
			/** @type {OutputItem} */
			const out = { json: item.json, pairedItem: item.pairedItem };
			if (item.error !== undefined) out.error = item.error;
			return out;
		}),
	);
}

/**
 * The error of a node in a run (what n8n shows on the node when it fails), or undefined.
 * @param {any} run
 * @param {string} nodeName
 * @param {number} [runIndex]
 * @returns {{ message: string, description?: string, [key: string]: any } | undefined}
 */
function nodeError(run, nodeName, runIndex = 0) {
	return run?.data?.resultData?.runData?.[nodeName]?.[runIndex]?.error;
}

/**
 * The error that stopped the run, or undefined when the run finished.
 * @param {any} run
 * @returns {{ message: string, [key: string]: any } | undefined}
 */
function runError(run) {
	return run?.data?.resultData?.error;
}

/**
 * One HTTP request with a JSON body, answered with its status, headers and parsed body.
 * @param {string} url
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: any, text: string }>}
 */
function requestJson(url, options = {}) {
	return new Promise((resolve, reject) => {
		const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
		const req = http.request(
			url,
			{
				method: options.method || 'GET',
				headers: {
					accept: 'application/json',
					...(payload
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
						: {}),
					...options.headers,
				},
				timeout: options.timeoutMs ?? 60000,
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let body;
					try {
						body = text ? JSON.parse(text) : undefined;
					} catch {
						body = undefined;
					}
					resolve({ status: res.statusCode || 0, headers: res.headers, body, text });
				});
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} N8nServer
 * @property {string} url       for example `http://127.0.0.1:5678`
 * @property {string} email     the owner's login
 * @property {string} password
 * @property {(type: string, data: Record<string, unknown>, name?: string) => Promise<{ status: string, message: string }>} testCredential
 *   saves a credential (`POST /rest/credentials`), then tests it (`POST /rest/credentials/test`) as the
 *   editor's "Test" button does, and returns n8n's answer (`status` is 'OK' or 'Error')
 * @property {(method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>} rest
 *   an authenticated call to n8n's internal REST API (`/rest/...`), as the logged-in owner
 * @property {(method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>} request
 *   an authenticated call to any path of the server, for example `GET /types/nodes.json` (the node
 *   types the editor loads)
 * @property {() => string} log what the server has written so far (stdout and stderr)
 * @property {() => Promise<void>} stop stops the server (SIGTERM, then SIGKILL after 20 s)
 */

/**
 * Starts `n8n start` on 127.0.0.1 for a user folder, waits for `GET /healthz/readiness` (plain
 * /healthz answers before the REST API is mounted), creates the owner
 * (`POST /rest/owner/setup`) and logs in (`POST /rest/login`). Always `stop()` it (in afterAll).
 * @param {string} userFolder from {@link createUserFolder}
 * @param {{ port?: number, env?: Record<string, string>, startTimeoutMs?: number }} [options]
 *   `port` defaults to a free one
 * @returns {Promise<N8nServer>}
 */
async function startN8nServer(userFolder, options = {}) {
	const runtime = requireRuntime();
	const port = options.port || (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const extra = await withBrokerPort({
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		...options.env,
	});
	const child = childProcess.spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		cwd: userFolder,
		env: n8nEnv(userFolder, extra, runtime),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	/** @type {Buffer[]} */
	const output = [];
	child.stdout.on('data', (/** @type {Buffer} */ c) => output.push(c));
	child.stderr.on('data', (/** @type {Buffer} */ c) => output.push(c));
	const log = () => Buffer.concat(output).toString('utf8');
	/** @type {number | null} */
	let exitCode = null;
	let exited = false;
	const exitedPromise = new Promise((resolve) =>
		child.on('close', (code) => {
			exited = true;
			exitCode = code;
			const logs = cliLogs.get(userFolder) || [];
			logs.push(`$ n8n start (port ${port})\n${log()}`);
			cliLogs.set(userFolder, logs);
			resolve(undefined);
		}),
	);

	const stop = async () => {
		if (exited) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
		await exitedPromise;
		clearTimeout(timer);
	};

	try {
		const deadline = Date.now() + (options.startTimeoutMs ?? 180000);
		for (;;) {
			if (exited)
				throw new Error(
					`n8n start exited (code ${exitCode}) before it was healthy:\n${log().slice(-4000)}`,
				);
			if (Date.now() > deadline)
				throw new Error(`n8n start was not healthy in time:\n${log().slice(-4000)}`);
			try {
				// /healthz answers {"status":"ok"} as soon as the port is open, and until the database is
				// migrated every other route answers 200 "n8n is starting up. Please wait". Readiness
				// (abstract-server.js setupHealthCheck) waits for the database and the REST routes.
				const ready = await requestJson(`${url}/healthz/readiness`, { timeoutMs: 2000 });
				if (ready.status === 200) break;
			} catch {
				// not listening yet
			}
			await delay(500);
		}

		const email = 'owner@example.com';
		const password = 'E2e-Owner-Passw0rd';
		const browserId = crypto.randomUUID();
		const setup = await requestJson(`${url}/rest/owner/setup`, {
			method: 'POST',
			body: { email, firstName: 'E2E', lastName: 'Owner', password },
			headers: { 'browser-id': browserId },
		});
		if (setup.status !== 200) throw new Error(`owner setup failed: ${setup.status} ${setup.text}`);
		const login = await requestJson(`${url}/rest/login`, {
			method: 'POST',
			body: { emailOrLdapLoginId: email, password },
			headers: { 'browser-id': browserId },
		});
		const cookie = (login.headers['set-cookie'] || [])
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (login.status !== 200 || !cookie)
			throw new Error(`login failed: ${login.status} ${login.text}`);

		/** @type {N8nServer['request']} */
		const request = async (method, urlPath, body) => {
			const response = await requestJson(`${url}${urlPath}`, {
				method,
				body,
				headers: { cookie, 'browser-id': browserId },
			});
			return { status: response.status, body: response.body };
		};
		/** @type {N8nServer['rest']} */
		const rest = (method, restPath, body) => request(method, `/rest${restPath}`, body);

		let counter = 0;
		/** @type {N8nServer['testCredential']} */
		const testCredential = async (type, data, name) => {
			counter += 1;
			const credentialName = name || `${type} e2e ${counter}`;
			const saved = await rest('POST', '/credentials', { name: credentialName, type, data });
			const id = saved.body?.data?.id;
			if (saved.status !== 200 || !id) {
				throw new Error(
					`saving the credential failed: ${saved.status} ${JSON.stringify(saved.body)}`,
				);
			}
			const tested = await rest('POST', '/credentials/test', {
				credentials: { id, name: credentialName, type, data },
			});
			if (tested.status !== 200 || !tested.body?.data) {
				throw new Error(
					`testing the credential failed: ${tested.status} ${JSON.stringify(tested.body)}`,
				);
			}
			return { status: tested.body.data.status, message: tested.body.data.message };
		};

		return { url, email, password, testCredential, rest, request, log, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = {
	TARBALL_ENV,
	packPackage,
	installPackage,
	preparePackage,
	createUserFolder,
	removeUserFolder,
	importCredentials,
	importWorkflow,
	executeWorkflow,
	parseRawOutput,
	nodeOutputs,
	nodeError,
	runError,
	n8nCli,
	n8nLog,
	startN8nServer,
	freePort,
	requestJson,
	stderrLog,
};
