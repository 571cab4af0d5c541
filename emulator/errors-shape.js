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
 * @typedef {'byId' | 'byIndex' | 'strings' | 'countsOnly'} ErrorsShape
 * @typedef {{ index: number, id: string, code: string, message: string }} BulkFailure  index = position in the request's ids
 */

/** @type {readonly ErrorsShape[]} */
const ERRORS_SHAPES = ['byId', 'byIndex', 'strings', 'countsOnly'];

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
 * @returns {unknown[]}
 */
function formatBulkErrors(failures, shape) {
	switch (shape) {
		case 'byId':
			return failures.map(({ id, code, message }) => ({ id, code, message }));
		case 'byIndex':
			return failures.map(({ index, code, message }) => ({ index, code, message }));
		case 'strings':
			return failures.map(({ id, message }) => `${id}: ${message}`);
		case 'countsOnly':
			return [];
	}
}

module.exports = { ERRORS_SHAPES, checkErrorsShape, formatBulkErrors };
