import type { INodeProperties } from 'n8n-workflow';

/**
 * Team member and customer pickers: a resource locator with "From List" (loaded from cStar) and
 * "By ID". Builders, so every place that takes a member or a customer (Update Fields, search
 * filters) shows the same picker and reads it with the same `pickedValue`.
 */

/** The list method names in the node's `methods.listSearch`. */
export const LIST_METHODS = {
	members: 'searchMembers',
	membersOrNobody: 'searchMembersOrNobody',
	customers: 'searchCustomers',
} as const;

/** What "Nobody" stands for in a member picker that may unassign: the tickets get assignedTo null. */
export const NOBODY = 'none';

const MEMBER_ID_PATTERN = '^mem_[A-Za-z0-9_-]+$';
const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const CUSTOMER_ID_PATTERN = `^(cus_[A-Za-z0-9_-]+|${UUID_PATTERN})$`;

interface PickerOptions {
	name: string;
	displayName: string;
	description: string;
}

interface ModeSettings {
	listMethod: string;
	listPlaceholder: string;
	idExample: string;
	idPattern: string;
	idError: string;
}

/** A resource locator with "From List" (a searchable list method) and "By ID" (checked by a pattern). */
function locator(options: PickerOptions, modes: ModeSettings): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: modes.listPlaceholder,
				typeOptions: { searchListMethod: modes.listMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${modes.idExample}`,
				validation: [
					{ type: 'regex', properties: { regex: modes.idPattern, errorMessage: modes.idError } },
				],
			},
		],
	};
}

/**
 * A team member, from GET /members (every page). With `unassign`, the list starts with "Nobody"
 * and By ID takes `none`: the field then sends assignedTo null.
 */
export function memberLocator(options: PickerOptions & { unassign?: boolean }): INodeProperties {
	const unassign = options.unassign === true;
	const hint = unassign
		? `A member ID starts with mem_, e.g. mem_a1B2c3D4e5F6; type ${NOBODY} to unassign`
		: 'A member ID starts with mem_, e.g. mem_a1B2c3D4e5F6';
	return locator(options, {
		listMethod: unassign ? LIST_METHODS.membersOrNobody : LIST_METHODS.members,
		listPlaceholder: 'Select a team member...',
		idExample: 'mem_a1B2c3D4e5F6',
		idPattern: unassign ? `^(${NOBODY}|${MEMBER_ID_PATTERN.slice(1, -1)})$` : MEMBER_ID_PATTERN,
		idError: `Not a member ID. ${hint}.`,
	});
}

/** A customer, searched by cStar (name or email) page by page as the user scrolls. */
export function customerLocator(options: PickerOptions): INodeProperties {
	return locator(options, {
		listMethod: LIST_METHODS.customers,
		listPlaceholder: 'Search customers by name or email...',
		idExample: 'cus_7c9e667974254de0944be07fc1f90ae7',
		idPattern: CUSTOMER_ID_PATTERN,
		idError:
			'Not a customer ID. A customer ID starts with cus_ (e.g. cus_7c9e667974254de0944be07fc1f90ae7) or is a UUID.',
	});
}

/**
 * The value a picker holds, in any form n8n hands over: a locator `{ __rl, mode, value }` (any
 * mode, an expression already resolved), or the plain string a workflow saved before the pickers.
 */
export function pickedValue(value: unknown): unknown {
	if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value)
		return (value as { value: unknown }).value;
	return value;
}

export type PickedId = { ok: true; id: string | null } | { ok: false; message: string };

const UUID = new RegExp(`^${UUID_PATTERN}$`);

/**
 * The customer id to send: a cus_ id as given; a bare UUID in the prefixed form cStar's ids
 * use (cus_ + the UUID's hex), as documented at https://www.cstar.help/developers/api-reference/customers.
 */
export function customerIdFrom(value: unknown, label: string): PickedId {
	const picked = pickedText(value);
	if (picked === undefined) return emptyPicker(label, 'customer', 'cus_…');
	if (UUID.test(picked)) return { ok: true, id: `cus_${picked.replace(/-/g, '').toLowerCase()}` };
	return { ok: true, id: picked };
}

/** The member id to send; "Nobody" (none, or null from an expression) unassigns. */
export function memberIdFrom(value: unknown, label: string): PickedId {
	const raw = pickedValue(value);
	if (raw === null) return { ok: true, id: null };
	const picked = pickedText(value);
	if (picked === undefined)
		return emptyPicker(label, 'team member', `mem_…, or ${NOBODY} to unassign`);
	return { ok: true, id: picked === NOBODY ? null : picked };
}

function pickedText(value: unknown): string | undefined {
	const raw = pickedValue(value);
	if (typeof raw === 'number') return String(raw);
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	return raw.trim();
}

function emptyPicker(label: string, what: string, idForm: string): PickedId {
	return {
		ok: false,
		message: `"${label}" is empty, so nothing was sent for this item. Pick a ${what} from the list, type an ID (${idForm}) under "By ID", or remove the field from "Update Fields".`,
	};
}
