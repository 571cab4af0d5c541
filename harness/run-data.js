// @ts-check
'use strict';

/** Reading a run that n8n printed (an IRun): a node's outputs and errors, the run's error. */

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
 * @param {any} run the `run` from executeAndParseRun
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
 * The hints a node added after its run (`this.addExecutionHints`), as the editor shows them on the
 * output panel: n8n keeps them on the node's task data (`runData[node][i].hints`).
 * @param {any} run
 * @param {string} nodeName
 * @param {number} [runIndex]
 * @returns {Array<{ message: string, type?: string, location?: string }>}
 */
function nodeHints(run, nodeName, runIndex = 0) {
	return run?.data?.resultData?.runData?.[nodeName]?.[runIndex]?.hints ?? [];
}

/**
 * The error that stopped the run, or undefined when the run finished.
 * @param {any} run
 * @returns {{ message: string, [key: string]: any } | undefined}
 */
function runError(run) {
	return run?.data?.resultData?.error;
}

module.exports = { nodeOutputs, nodeError, nodeHints, runError };
