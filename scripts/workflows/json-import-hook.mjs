// @actions/workflow-parser imports its schema as `import schema from './x.json'`, written for bundlers;
// Node needs `with { type: 'json' }`, which this loader hook supplies.
export async function load(url, context, nextLoad) {
	if (url.endsWith('.json') && !context.importAttributes?.type) {
		return nextLoad(url, { ...context, importAttributes: { type: 'json' } });
	}
	return nextLoad(url, context);
}
