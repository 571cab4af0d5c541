import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ValueSpec } from '../bulk/typedValues';

/**
 * A parameter's spec for the typed reader, taken from its UI description, so the label, default,
 * choices and limits the reader checks are always the ones the panel shows.
 */
export function specOf(property: INodeProperties): ValueSpec {
	const label = property.displayName;
	if (property.type === 'boolean')
		return { kind: 'boolean', label, default: property.default === true };
	if (property.type === 'number') return numberSpecOf(property);
	const choices = (property.options as INodePropertyOptions[]).map(({ name, value }) => ({
		name,
		value: String(value),
	}));
	return { kind: 'choice', label, default: String(property.default), choices };
}

type NumberSpec = Extract<ValueSpec, { kind: 'number' }>;

/** A number parameter's spec: its limits are the panel's; no decimals unless the panel allows them. */
export function numberSpecOf(property: INodeProperties): NumberSpec {
	const { minValue, maxValue, numberPrecision } = property.typeOptions ?? {};
	return {
		kind: 'number',
		label: property.displayName,
		default: Number(property.default),
		min: minValue ?? Number.MIN_SAFE_INTEGER,
		max: maxValue ?? Number.MAX_SAFE_INTEGER,
		integer: numberPrecision === undefined || numberPrecision === 0,
	};
}
