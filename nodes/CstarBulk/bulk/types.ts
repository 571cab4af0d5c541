export type CstarResource = 'tickets' | 'customers' | 'articles';

export type BulkAction = 'update' | 'delete';

export type UpdateData = Record<string, unknown>;

/** Why one id was not confirmed. `code` is cStar's own code when cStar gave one. */
export interface IdFailure {
	code: string;
	message: string;
	httpStatus?: number;
	requestId?: string;
}

export type IdOutcome =
	| { status: 'succeeded'; requestId?: string }
	| ({ status: 'failed' } & IdFailure)
	| { status: 'planned'; batch: number };

/** One input item whose ids and data are valid and will be sent. */
export interface AcceptedItem {
	itemIndex: number;
	ids: string[];
	data?: UpdateData;
}

/** One (item, id) pair that is not sent, and why. `id` is null when the item named none. */
export interface RejectedPair {
	id: string | null;
	code: string;
	message: string;
}

export interface RejectedItem {
	itemIndex: number;
	rejected: RejectedPair[];
}

export type ItemInput = AcceptedItem | RejectedItem;

export function isRejected(item: ItemInput): item is RejectedItem {
	return 'rejected' in item;
}
