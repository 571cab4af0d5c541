// @ts-check
'use strict';

/**
 * The shape of entries in the bulk result's `errors` array. The docs only ever show `errors: []`,
 * so the shape is switchable and clients can be tested against each reasonable guess.
 *
 * Default 'byId' ({ id, code, message }): the reference's [INFER] suggestion, consistent with the
 * documented error objects (code + message), and the only shape that names the failed record
 * without the client having to keep the request's order.
 *
 * 'prose': bare strings written as a person would, naming other ids of the call; alternately
 * "<id>: <message> (see <other id>)" and "Cannot merge into <other id>: <id> <message>", so a client
 * must not pin a failure on the first id a string names.
 *
 * 'fromOne': indexes counted from 1, as some APIs do; every other entry also names its id
 * ({ id, index, code, message }, then { index, code, message }), so a client can see that the
 * indexes do not fit a 0-based reading, and must then not guess the index-only ones.
 *
 * @typedef {'byId' | 'byIndex' | 'strings' | 'prose' | 'countsOnly' | 'fromOne'} ErrorsShape
 * @typedef {{ index: number, id: string, code: string, message: string }} BulkFailure  index = position in the request's ids
 */

/** @type {readonly ErrorsShape[]} */
const ERRORS_SHAPES = ['byId', 'byIndex', 'strings', 'prose', 'countsOnly', 'fromOne'];

/** @param {unknown} shape @returns {ErrorsShape} */
function checkErrorsShape(shape) {
	if (!ERRORS_SHAPES.includes(/** @type {ErrorsShape} */ (shape))) {
		throw new TypeError(`errorsShape must be one of: ${ERRORS_SHAPES.join(', ')}`);
	}
	return /** @type {ErrorsShape} */ (shape);
}

/**
 * @param {BulkFailure[]} failures
 * @param {ErrorsShape} shape
 * @param {readonly string[]} ids the call's ids, as sent
 * @returns {unknown[]}
 */
function formatBulkErrors(failures, shape, ids) {
	switch (shape) {
		case 'byId':
			return failures.map(({ id, code, message }) => ({ id, code, message }));
		case 'byIndex':
			return failures.map(({ index, code, message }) => ({ index, code, message }));
		case 'strings':
			return failures.map(({ id, message }) => `${id}: ${message}`);
		case 'prose':
			return failures.map((failure, n) => proseOf(failure, n, ids));
		case 'countsOnly':
			return [];
		case 'fromOne':
			return failures.map(({ index, id, code, message }, n) =>
				n % 2 === 0 ? { id, index: index + 1, code, message } : { index: index + 1, code, message },
			);
	}
}

/** @param {BulkFailure} failure @param {number} n @param {readonly string[]} ids */
function proseOf({ index, id, message }, n, ids) {
	const other = ids.length > 1 ? ids[(index + 1) % ids.length] : undefined;
	if (other === undefined) return `Cannot update: ${id} ${lowerFirst(message)}`;
	return n % 2 === 0
		? `${id}: ${message} (see ${other})`
		: `Cannot merge into ${other}: ${id} ${lowerFirst(message)}`;
}

/** @param {string} text */
const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

module.exports = { ERRORS_SHAPES, checkErrorsShape, formatBulkErrors };
