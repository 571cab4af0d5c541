// @ts-check
'use strict';

/** @typedef {import('./resources').ResourceDef} ResourceDef */
/** @typedef {import('./resources').StoredRecord} StoredRecord */
/** @typedef {import('./store').RecordStore} RecordStore */

/**
 * @typedef {Object} ListChurn   records that change between list pages, as other users change them
 * @property {'tickets' | 'customers' | 'articles'} [resource]   only lists of this resource (default: any)
 * @property {number} [afterPages]       a step runs before every list request that follows this many (default 1)
 * @property {number} [times]            steps in all (default 1)
 * @property {number} [create]           new records that match the list's filters, created at the front (newest)
 * @property {number} [deleteListed]     matching records already returned by a list call, deleted
 * @property {number} [deleteUnlisted]   matching records not yet returned, deleted
 * @property {number} [moveOutListed]    matching records already returned, changed so they no longer match
 * @property {number} [moveOutUnlisted]  matching records not yet returned, changed so they no longer match
 */

const COUNTS = /** @type {const} */ ([
	'create',
	'deleteListed',
	'deleteUnlisted',
	'moveOutListed',
	'moveOutUnlisted',
]);

/** @param {unknown} value @returns {ListChurn} */
function checkListChurn(value) {
	const churn = /** @type {Record<string, unknown>} */ (value);
	if (!churn || typeof churn !== 'object') throw new TypeError('listChurn must be an object');
	for (const [name, entry] of Object.entries(churn)) {
		if (name === 'resource') {
			if (!['tickets', 'customers', 'articles'].includes(/** @type {string} */ (entry)))
				throw new TypeError('listChurn.resource must be tickets, customers or articles');
		} else if (
			name === 'afterPages' ||
			name === 'times' ||
			COUNTS.includes(/** @type {any} */ (name))
		) {
			const min = name === 'afterPages' ? 1 : 0;
			if (!Number.isInteger(entry) || /** @type {number} */ (entry) < min)
				throw new TypeError(`listChurn.${name} must be an integer from ${min}`);
		} else {
			throw new TypeError(`listChurn has no setting "${name}"`);
		}
	}
	return /** @type {ListChurn} */ (churn);
}

/**
 * Changes records between the pages of a listing, the way other users do while a client pages
 * through: creates, deletes and changes that move records out of the filter, among records the
 * client has already been given and records it has not. Deterministic: the first candidates in
 * list order are taken.
 */
class ListChurner {
	/** @param {ListChurn} config */
	constructor(config) {
		this.config = config;
		this.requests = 0;
		this.stepsDone = 0;
		/** ids returned by list calls since the churn was set */
		this.listed = new Set();
		this.created = 0;
		/** what the steps did, for tests: ids per kind */
		this.done = {
			created: /** @type {string[]} */ ([]),
			deleted: /** @type {string[]} */ ([]),
			movedOut: /** @type {string[]} */ ([]),
		};
	}

	/**
	 * Called by a list request before it reads the store.
	 * @param {ResourceDef} def
	 * @param {RecordStore} store
	 * @param {Record<string, string>} query
	 * @param {((record: StoredRecord) => boolean)[]} predicates
	 * @param {string} nowIso
	 */
	beforeList(def, store, query, predicates, nowIso) {
		const { config } = this;
		if (config.resource !== undefined && config.resource !== def.name) return;
		const afterPages = config.afterPages ?? 1;
		const due = this.requests > 0 && this.requests % afterPages === 0;
		this.requests++;
		if (!due || this.stepsDone >= (config.times ?? 1)) return;
		this.stepsDone++;
		this.step(def, store, query, predicates, nowIso);
	}

	/** @param {string[]} ids */
	afterList(ids) {
		for (const id of ids) this.listed.add(id);
	}

	/**
	 * @param {ResourceDef} def
	 * @param {RecordStore} store
	 * @param {Record<string, string>} query
	 * @param {((record: StoredRecord) => boolean)[]} predicates
	 * @param {string} nowIso
	 */
	step(def, store, query, predicates, nowIso) {
		const { config } = this;
		const matching = store.all(def.name).filter((r) => predicates.every((p) => p(r)));
		const listed = matching.filter((r) => this.listed.has(r.id));
		const unlisted = matching.filter((r) => !this.listed.has(r.id));
		const take = (/** @type {StoredRecord[]} */ from, /** @type {number | undefined} */ n) =>
			from.splice(0, n ?? 0);
		for (const record of take(listed, config.deleteListed)) this.remove(def, store, record);
		for (const record of take(unlisted, config.deleteUnlisted)) this.remove(def, store, record);
		for (const record of take(listed, config.moveOutListed))
			this.moveOut(def, store, record, query, nowIso);
		for (const record of take(unlisted, config.moveOutUnlisted))
			this.moveOut(def, store, record, query, nowIso);
		const model = matching[0] ?? store.all(def.name)[0];
		for (let i = 0; i < (config.create ?? 0) && model; i++) this.create(def, store, model, nowIso);
	}

	/** @param {ResourceDef} def @param {RecordStore} store @param {StoredRecord} record */
	remove(def, store, record) {
		store.remove(def, record.id);
		this.done.deleted.push(record.id);
	}

	/**
	 * Changes the fields the list's filters read, so the record no longer matches them.
	 * @param {ResourceDef} def
	 * @param {RecordStore} store
	 * @param {StoredRecord} record
	 * @param {Record<string, string>} query
	 * @param {string} nowIso
	 */
	moveOut(def, store, record, query, nowIso) {
		const changes = changesThatLeave(def, store, record, query);
		if (Object.keys(changes).length === 0) return;
		store.update(def, record.id, changes, nowIso);
		this.done.movedOut.push(record.id);
	}

	/**
	 * @param {ResourceDef} def
	 * @param {RecordStore} store
	 * @param {StoredRecord} model   a record that matches, copied so the new one matches too
	 * @param {string} nowIso
	 */
	create(def, store, model, nowIso) {
		let n = ++this.created;
		const idOf = (/** @type {number} */ k) => `${def.prefix}c0ffee${String(k).padStart(26, '0')}`;
		// A churn set again after an earlier one must not reuse the ids that one created.
		while (store.get(def.name, idOf(n))) n = ++this.created;
		const id = idOf(n);
		/** @type {StoredRecord} */
		const record = { ...structuredClone(model), id, createdAt: nowIso, updatedAt: nowIso };
		if (def.name === 'customers') record.email = `churn-${n}-${model.email}`;
		store.insertNewest(def, record);
		this.done.created.push(id);
	}
}

/**
 * @param {ResourceDef} def
 * @param {RecordStore} store
 * @param {StoredRecord} record
 * @param {Record<string, string>} query
 * @returns {Record<string, unknown>}
 */
function changesThatLeave(def, store, record, query) {
	/** @type {Record<string, unknown>} */
	const changes = {};
	for (const name of Object.keys(def.filters)) {
		const raw = query[name];
		if (raw === undefined) continue;
		if (name === 'tag')
			changes.tags = (record.tags ?? []).filter((/** @type {string} */ t) => t !== raw);
		else if (name === 'search')
			changes[def.name === 'customers' ? 'name' : 'title'] = 'Changed elsewhere';
		else if (name === 'isPublic') changes.isPublic = raw !== 'true';
		else if (name === 'category') changes.categoryId = null;
		else if (name === 'assignedTo') changes.assignedTo = null;
		else if (name === 'customerId') {
			const other = store.all('customers').find((c) => c.id !== raw);
			if (other) changes.customerId = other.id;
		} else changes[name] = otherValue(def, name, raw);
	}
	return changes;
}

/** An enum value other than the one filtered on, read from the resource's own validation. */
function otherValue(
	/** @type {ResourceDef} */ def,
	/** @type {string} */ field,
	/** @type {string} */ raw,
) {
	const message = def.updatable[field]?.(undefined) ?? '';
	const values = message.replace(/^must be one of: /, '').split(', ');
	return values.find((value) => value !== raw) ?? raw;
}

module.exports = { ListChurner, checkListChurn };
