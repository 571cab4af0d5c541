// @ts-check
'use strict';

/**
 * What the plain-Node floor sends, as pure functions (bench/lib/floor-child.js sends it; the goals
 * count against it): calls of 100 ids, and for a search, list pages of 100 and then those calls.
 */

/** cStar's largest page and bulk call: 100 records, 100 ids. */
const PAGE_SIZE = 100;

/** @param {string[]} ids @returns {string[][]} calls of 100 ids, in order */
function callsOf(ids) {
	const calls = [];
	for (let start = 0; start < ids.length; start += PAGE_SIZE)
		calls.push(ids.slice(start, start + PAGE_SIZE));
	return calls;
}

/**
 * The query of one list page: the filters, then the page.
 * @param {Record<string, string>} filters
 * @param {number} page 1-based
 */
function listQuery(filters, page) {
	const query = new URLSearchParams(filters);
	query.set('page', String(page));
	query.set('pageSize', String(PAGE_SIZE));
	return query.toString();
}

/**
 * The pages to read after the first, from the count the first page gave.
 * @param {number} total
 * @returns {number[]}
 */
function pagesAfterFirst(total) {
	const pages = [];
	for (let page = 2; page <= Math.ceil(total / PAGE_SIZE); page++) pages.push(page);
	return pages;
}

/**
 * The calls a search that matches `matching` records needs, at the least: every page of 100 (one,
 * even when nothing matches) and a bulk call per 100 ids.
 * @param {number} matching
 */
function searchCalls(matching) {
	const bulk = Math.ceil(matching / PAGE_SIZE);
	return { list: Math.max(1, bulk), bulk };
}

module.exports = { PAGE_SIZE, callsOf, listQuery, pagesAfterFirst, searchCalls };
