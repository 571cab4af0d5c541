// @ts-check
'use strict';

/**
 * The three resources bulk acts on, with the fields an update may set and the list filters,
 * taken from the resource pages TKT, TKTSUP, CUS, CUSSUP, ART and ARTSUP (see docs/sources.md).
 */

/** @typedef {'tickets' | 'customers' | 'articles'} ResourceName */
/** @typedef {Record<string, any>} StoredRecord */
/** @typedef {(value: unknown) => string | undefined} FieldCheck  returns why the value is invalid, or undefined */
/** @typedef {(raw: string) => ((record: StoredRecord) => boolean) | string} FilterParser  a predicate, or why the value is invalid */

/**
 * @typedef {Object} ResourceDef
 * @property {ResourceName} name
 * @property {string} singular    as used in messages: "Ticket not found"
 * @property {string} prefix      id prefix, e.g. "tkt_"
 * @property {Record<string, FieldCheck>} updatable
 * @property {Record<string, FilterParser>} filters
 * @property {(record: StoredRecord, changes: Record<string, unknown>, nowIso: string) => void} [afterUpdate]
 */

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isPlainObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @type {FieldCheck} */
const nonEmptyString = (v) =>
	typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string';
/** @type {FieldCheck} */
const string = (v) => (typeof v === 'string' ? undefined : 'must be a string');
/** @type {FieldCheck} */
const stringOrNull = (v) =>
	v === null || typeof v === 'string' ? undefined : 'must be a string or null';
/** @type {FieldCheck} */
const boolean = (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean');
/** @type {FieldCheck} */
const stringArray = (v) =>
	Array.isArray(v) && v.every((item) => typeof item === 'string')
		? undefined
		: 'must be an array of strings';
/** @type {FieldCheck} */
const object = (v) => (isPlainObject(v) ? undefined : 'must be an object');
/** @type {FieldCheck} */
const email = (v) =>
	typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)
		? undefined
		: 'must be a valid email address';
/** @param {readonly string[]} values @returns {FieldCheck} */
const oneOf = (values) => (v) =>
	typeof v === 'string' && values.includes(v) ? undefined : `must be one of: ${values.join(', ')}`;
/** @param {string} prefix @returns {FieldCheck} */
const prefixedId = (prefix) => (v) =>
	typeof v === 'string' && v.startsWith(prefix) && v.length > prefix.length
		? undefined
		: `must be an id starting with ${prefix}`;

const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'];
const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const CUSTOMER_STATUSES = ['active', 'inactive'];
// The docs disagree (CUS: positive|neutral|negative, CUSSUP: happy|neutral|frustrated|angry): accept both sets.
const CUSTOMER_SENTIMENTS = ['positive', 'neutral', 'negative', 'happy', 'frustrated', 'angry'];
// ART lists draft|published; ARTSUP's list filter also accepts archived, so archived is a valid status.
const ARTICLE_STATUSES = ['draft', 'published', 'archived'];

/**
 * @param {string} field
 * @param {readonly string[]} values
 * @returns {FilterParser}
 */
const enumFilter = (field, values) => (raw) =>
	values.includes(raw) ? (record) => record[field] === raw : `must be one of: ${values.join(', ')}`;
/** @param {string} field @returns {FilterParser} */
const exactFilter = (field) => (raw) => (record) => record[field] === raw;
/**
 * ARTSUP: the category filter takes the category's UUID; a name or slug silently matches nothing.
 * @type {FilterParser}
 */
const categoryFilter = (raw) => {
	const wanted = raw.replace(/-/g, '').toLowerCase();
	return (record) =>
		typeof record.categoryId === 'string' &&
		record.categoryId.replace(/-/g, '').toLowerCase() === wanted;
};
/** @type {FilterParser} */
const tagFilter = (raw) => (record) => Array.isArray(record.tags) && record.tags.includes(raw);
/** @param {string} field @returns {FilterParser} */
const booleanFilter = (field) => (raw) =>
	raw === 'true' || raw === 'false'
		? (record) => record[field] === (raw === 'true')
		: 'must be true or false';
/** @param {string[]} fields @returns {FilterParser} */
const searchFilter = (fields) => (raw) => {
	const needle = raw.toLowerCase();
	return (record) =>
		fields.some((f) => typeof record[f] === 'string' && record[f].toLowerCase().includes(needle));
};

/** @type {Record<ResourceName, ResourceDef>} */
const RESOURCES = {
	tickets: {
		name: 'tickets',
		singular: 'Ticket',
		prefix: 'tkt_',
		// PATCH docs show status, assignedTo, tags; title, priority, notes, metadata, customerId per the reference [INFER].
		updatable: {
			title: nonEmptyString,
			status: oneOf(TICKET_STATUSES),
			priority: oneOf(TICKET_PRIORITIES),
			assignedTo: stringOrNull,
			tags: stringArray,
			notes: stringOrNull,
			metadata: object,
			customerId: prefixedId('cus_'),
		},
		filters: {
			status: enumFilter('status', TICKET_STATUSES),
			priority: enumFilter('priority', TICKET_PRIORITIES),
			assignedTo: exactFilter('assignedTo'),
			customerId: exactFilter('customerId'),
			search: searchFilter(['title', 'customerName']),
		},
		afterUpdate(record, changes, nowIso) {
			if (!('status' in changes)) return;
			// The docs name this timestamp resolvedAt (TKT) and closedAt (TKTSUP): keep both.
			const done = record.status === 'resolved' || record.status === 'closed';
			record.resolvedAt = done ? (record.resolvedAt ?? nowIso) : null;
			record.closedAt = record.status === 'closed' ? (record.closedAt ?? nowIso) : null;
		},
	},
	customers: {
		name: 'customers',
		singular: 'Customer',
		prefix: 'cus_',
		// SDKCUS shows sentiment, tags, metadata; the rest are the documented writable fields of the object.
		updatable: {
			name: nonEmptyString,
			email,
			status: oneOf(CUSTOMER_STATUSES),
			sentiment: oneOf(CUSTOMER_SENTIMENTS),
			tags: stringArray,
			notes: stringOrNull,
			customFields: object,
			metadata: object,
		},
		filters: {
			status: enumFilter('status', CUSTOMER_STATUSES),
			sentiment: enumFilter('sentiment', CUSTOMER_SENTIMENTS),
			tag: tagFilter,
			search: searchFilter(['name', 'email']),
		},
	},
	articles: {
		name: 'articles',
		singular: 'Article',
		prefix: 'art_',
		// The create example's fields plus excerpt, notes, metadata from the object (update list is undocumented).
		updatable: {
			title: nonEmptyString,
			content: string,
			status: oneOf(ARTICLE_STATUSES),
			isPublic: boolean,
			tags: stringArray,
			category: stringOrNull,
			categoryId: stringOrNull,
			excerpt: string,
			metaDescription: string,
			notes: stringOrNull,
			metadata: object,
		},
		filters: {
			status: enumFilter('status', ARTICLE_STATUSES),
			category: categoryFilter,
			isPublic: booleanFilter('isPublic'),
			tag: tagFilter,
			search: searchFilter(['title']),
		},
		afterUpdate(record, changes, nowIso) {
			if (changes.status === 'published' && !record.publishedAt) record.publishedAt = nowIso;
		},
	},
};

/** Object fields that an update merges into rather than replaces; a key set to null is removed (SDKCUS). */
const MERGED_OBJECT_FIELDS = new Set(['metadata', 'customFields']);

/** @param {string} name @returns {ResourceDef | undefined} */
function resourceByName(name) {
	return Object.prototype.hasOwnProperty.call(RESOURCES, name)
		? RESOURCES[/** @type {ResourceName} */ (name)]
		: undefined;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stored id for an id as a client may send it: single-resource endpoints accept the prefixed id
 * or the raw UUID (TKTSUP, CUSSUP, ARTSUP), so "550e8400-e29b-..." maps to "tkt_550e8400e29b...".
 * @param {ResourceDef} def
 * @param {string} id
 * @returns {string}
 */
function canonicalId(def, id) {
	return UUID_PATTERN.test(id) ? def.prefix + id.replace(/-/g, '').toLowerCase() : id;
}

module.exports = { RESOURCES, MERGED_OBJECT_FIELDS, resourceByName, canonicalId, isPlainObject };
