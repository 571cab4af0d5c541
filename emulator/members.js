// @ts-check
'use strict';

const { createRandom } = require('./random');
const { toIsoSeconds } = require('./time');

/**
 * A team's members (https://www.cstar.help/developers/api-reference/members): who a ticket's
 * assignedTo names. They belong to the team, not to the test or live data.
 */

/** @typedef {'owner' | 'admin' | 'manager' | 'librarian' | 'agent' | 'spectator'} MemberRole */
/** @typedef {Record<string, any>} Member */

/** The documented roles, with a game title of each for roleDisplayName (examples, not documented per role). */
const ROLE_TITLES = {
	owner: 'The Founder',
	admin: 'The Hero',
	manager: 'The Strategist',
	librarian: 'The Sage',
	agent: 'The Adventurer',
	spectator: 'The Watcher',
};
const ROLES = /** @type {MemberRole[]} */ (Object.keys(ROLE_TITLES));

/**
 * The seeded tickets are assigned to these four (seed.js); two share a name, as real teams do, so a
 * picker must tell them apart.
 */
const FIXED_MEMBERS = [
	{ id: 'mem_a1B2c3D4e5F6', name: 'Jane Smith', email: 'jane.smith@acme.test', role: 'owner' },
	{ id: 'mem_g7H8i9J0k1L2', name: 'Jane Smith', email: 'jane.s@acme.test', role: 'agent' },
	{ id: 'mem_m3N4o5P6q7R8', name: 'Marcus Chen', email: 'marcus.chen@acme.test', role: 'admin' },
	{ id: 'mem_s9T0u1V2w3X4', name: 'Priya Patel', email: 'priya.patel@acme.test', role: 'manager' },
];
const FIRST_NAMES = [
	'Alex',
	'Sam',
	'Robin',
	'Kim',
	'Noor',
	'Lena',
	'Omar',
	'Yuki',
	'Ines',
	'Tariq',
];
const LAST_NAMES = ['Berg', 'Costa', 'Diallo', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito'];
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const JOINED_EPOCH_MS = Date.UTC(2025, 0, 6, 9, 0, 0);
const DAY_MS = 24 * 3600 * 1000;

/**
 * `count` members, the four fixed ones first; the same seed gives the same members. Drawn from their
 * own seed, so adding members changes no ticket, customer or article.
 * @param {number} seed
 * @param {number} count
 * @returns {Member[]}
 */
function generateMembers(seed, count) {
	const random = createRandom(seed);
	const alphanumeric = (/** @type {number} */ length) =>
		Array.from({ length }, () => random.pick(ALPHANUMERIC.split(''))).join('');
	/** @type {Member[]} */
	const members = [];
	for (let i = 0; i < count; i++) {
		const fixed = FIXED_MEMBERS[i];
		const first = random.pick(FIRST_NAMES);
		const last = random.pick(LAST_NAMES);
		const role = fixed ? fixed.role : random.pick(ROLES.slice(1));
		members.push({
			id: fixed ? fixed.id : `mem_${alphanumeric(12)}`,
			userId: random.uuid(),
			name: fixed ? fixed.name : `${first} ${last}`,
			// The index keeps emails unique in the team.
			email: fixed ? fixed.email : `${first}.${last}.${i}@acme.test`.toLowerCase(),
			avatarUrl: null,
			role,
			roleDisplayName: ROLE_TITLES[/** @type {MemberRole} */ (role)],
			permissions: role === 'spectator' ? ['tickets.read'] : ['tickets.read', 'tickets.write'],
			level: random.int(1, 40),
			xp: random.int(0, 50_000),
			joinedAt: toIsoSeconds(JOINED_EPOCH_MS + i * DAY_MS),
		});
	}
	return members;
}

module.exports = { generateMembers, ROLES };
