// @ts-check
'use strict';

const { MERGED_OBJECT_FIELDS } = require('./resources');

/** @typedef {import('./resources').ResourceName} ResourceName */
/** @typedef {import('./resources').ResourceDef} ResourceDef */
/** @typedef {import('./resources').StoredRecord} StoredRecord */
/** @typedef {import('./seed').SeedData} SeedData */
/** @typedef {'test' | 'live'} Environment */

/**
 * @typedef {{ ok: true, id: string } | { ok: false, code: string, message: string }} ChangeOutcome
 *   the result of changing one record: bulk turns a failure into an errors[] entry, PATCH/DELETE into an error response
 */

/** @param {ResourceDef} def @returns {ChangeOutcome} */
const notFound = (def) => ({
	ok: false,
	code: 'resource_missing',
	message: `${def.singular} not found`,
});

/**
 * The records of one team in one environment (test and live data are separate stores, AUTHLIB).
 * Records live in insertion-ordered Maps: newest first, which is the order lists return.
 */
class RecordStore {
	/** @param {SeedData} data */
	constructor(data) {
		/** @type {Record<ResourceName, Map<string, StoredRecord>>} */
		this.tables = {
			tickets: new Map(data.tickets.map((r) => [r.id, r])),
			customers: new Map(data.customers.map((r) => [r.id, r])),
			articles: new Map(data.articles.map((r) => [r.id, r])),
		};
		/** Customer email → customer id: emails are unique per team (CUS). */
		this.customerIdByEmail = new Map(
			data.customers.map((c) => [String(c.email).toLowerCase(), c.id]),
		);
	}

	/** @param {ResourceName} resource @param {string} id */
	get(resource, id) {
		return this.tables[resource].get(id);
	}

	/** @param {ResourceName} resource @returns {StoredRecord[]} */
	all(resource) {
		return Array.from(this.tables[resource].values());
	}

	/**
	 * Applies validated changes to one record (see validation.js for what "validated" covers).
	 * @param {ResourceDef} def
	 * @param {string} id
	 * @param {Record<string, unknown>} changes
	 * @param {string} nowIso
	 * @returns {ChangeOutcome}
	 */
	update(def, id, changes, nowIso) {
		const record = this.tables[def.name].get(id);
		if (!record) return notFound(def);
		if (def.name === 'customers' && typeof changes.email === 'string') {
			const owner = this.customerIdByEmail.get(changes.email.toLowerCase());
			if (owner !== undefined && owner !== id) {
				// Emails are unique per team; a clash is a per-record conflict (ERRLIB files conflicts under 400/409).
				return {
					ok: false,
					code: 'resource_already_exists',
					message: 'A customer with this email already exists',
				};
			}
			this.customerIdByEmail.delete(String(record.email).toLowerCase());
			this.customerIdByEmail.set(changes.email.toLowerCase(), id);
		}
		if (
			def.name === 'tickets' &&
			typeof changes.customerId === 'string' &&
			changes.customerId !== record.customerId
		) {
			this.moveTicket(record, changes.customerId);
		}
		for (const field of Object.keys(changes)) {
			record[field] = copyFieldValue(field, record[field], changes[field]);
		}
		record.updatedAt = nowIso;
		if (def.afterUpdate) def.afterUpdate(record, changes, nowIso);
		return { ok: true, id };
	}

	/**
	 * @param {ResourceDef} def
	 * @param {string} id
	 * @returns {ChangeOutcome}
	 */
	remove(def, id) {
		const record = this.tables[def.name].get(id);
		if (!record) return notFound(def);
		this.tables[def.name].delete(id);
		if (def.name === 'customers') this.customerIdByEmail.delete(String(record.email).toLowerCase());
		if (def.name === 'tickets') this.adjustTicketCount(record.customerId, -1);
		return { ok: true, id };
	}

	/**
	 * Adds a record as the newest one, at the front of the list order (the list churn's creates).
	 * @param {ResourceDef} def
	 * @param {StoredRecord} record
	 */
	insertNewest(def, record) {
		this.tables[def.name] = new Map([[record.id, record], ...this.tables[def.name]]);
		if (def.name === 'customers')
			this.customerIdByEmail.set(String(record.email).toLowerCase(), record.id);
		if (def.name === 'tickets') this.adjustTicketCount(record.customerId, +1);
	}

	/** @param {StoredRecord} ticket @param {string} customerId  an existing customer (validated) */
	moveTicket(ticket, customerId) {
		this.adjustTicketCount(ticket.customerId, -1);
		this.adjustTicketCount(customerId, +1);
		const customer = this.tables.customers.get(customerId);
		if (customer) ticket.customerName = customer.name;
	}

	/** @param {unknown} customerId @param {number} delta */
	adjustTicketCount(customerId, delta) {
		const customer =
			typeof customerId === 'string' ? this.tables.customers.get(customerId) : undefined;
		if (customer) customer.ticketCount = Math.max(0, customer.ticketCount + delta);
	}
}

/**
 * The value a field takes after an update. Arrays are copied and objects merged into new objects, so
 * the records of one bulk call never share the request's objects with each other.
 * @param {string} field
 * @param {unknown} current
 * @param {unknown} incoming
 * @returns {unknown}
 */
function copyFieldValue(field, current, incoming) {
	if (Array.isArray(incoming)) return incoming.slice();
	if (MERGED_OBJECT_FIELDS.has(field) && incoming !== null && typeof incoming === 'object') {
		/** @type {Record<string, unknown>} */
		const merged = { .../** @type {object} */ (current ?? {}) };
		for (const [key, value] of Object.entries(incoming)) {
			if (value === null) delete merged[key];
			else merged[key] = value;
		}
		return merged;
	}
	return incoming;
}

module.exports = { RecordStore };
