// @ts-check
'use strict';

/**
 * Runs the bench's plain-Node floor (bench/lib/floor-child.js) as the bench does, as a child process
 * with its input in a temp file, for test/tools/bench.test.ts (OS access stays in JS support files).
 */

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');

const FLOOR_CHILD = path.join(__dirname, '..', '..', 'bench', 'lib', 'floor-child.js');

/**
 * @param {Record<string, unknown>} input  floor-child's FloorInput
 * @returns {Promise<{ wallMs: number, requests: number, listCalls: number, listed: number, idsSucceeded: number, byStatus: Record<string, number> }>}
 */
async function runFloorChild(input) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-test-'));
	try {
		const file = path.join(dir, 'input.json');
		fs.writeFileSync(file, JSON.stringify(input));
		const { stdout } = await promisify(execFile)(process.execPath, [FLOOR_CHILD, file]);
		return JSON.parse(stdout.trim());
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

module.exports = { runFloorChild };
