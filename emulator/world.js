// @ts-check
'use strict';

const { createRandom, deriveSeed } = require('./random');
const { generateSeedData } = require('./seed');
const { generateMembers } = require('./members');
const { RecordStore } = require('./store');
const { KeyRing, formatKey } = require('./auth');

/** @typedef {import('./store').Environment} Environment */
/** @typedef {import('./seed').SeedSizes} SeedSizes */
/**
 * @typedef {Object} Team
 * @property {string} id    a UUID, as the docs use for {teamId}
 * @property {string} name
 * @property {string} slug
 * @property {Record<Environment, RecordStore>} stores
 * @property {import('./members').Member[]} members   the team's, shared by test and live keys
 */
/**
 * @typedef {Object} EmulatorKeys
 * @property {string} secret        sk_test_: full access to the test data
 * @property {string} secretLive    sk_live_: full access to the live data
 * @property {string} publishable   pk_test_: read-only
 * @property {string} publishableLive  pk_live_: read-only
 * @property {string} otherTeam     sk_test_ of another team: 403 team_access_denied on this team's paths
 */
/**
 * @typedef {Object} World
 * @property {Map<string, Team>} teams
 * @property {Team} team     the team the emulator serves data for
 * @property {KeyRing} keyRing
 * @property {EmulatorKeys} keys
 */

/**
 * Builds teams, their data and their keys from the seed. The same seed gives the same team id and
 * keys, so a credential saved in n8n keeps working across emulator restarts.
 * @param {number} seed
 * @param {SeedSizes} sizes
 * @param {number} members   of the main team
 * @returns {World}
 */
function buildWorld(seed, sizes, members) {
	const random = createRandom(deriveSeed(seed, 'identity'));
	/**
	 * @param {string} name @param {string} slug @param {SeedSizes} teamSizes @param {number} memberCount
	 * @returns {Team}
	 */
	const makeTeam = (name, slug, teamSizes, memberCount) => ({
		id: random.uuid(),
		name,
		slug,
		stores: {
			// Separate seeds: live and test ids never coincide, as in the real service.
			test: new RecordStore(generateSeedData(deriveSeed(seed, `${slug}:test`), teamSizes)),
			live: new RecordStore(generateSeedData(deriveSeed(seed, `${slug}:live`), teamSizes)),
		},
		members: generateMembers(deriveSeed(seed, `${slug}:members`), memberCount),
	});
	const team = makeTeam('Acme Corp', 'acme', sizes, members);
	const other = makeTeam(
		'Globex Corporation',
		'globex',
		{ tickets: 3, customers: 3, articles: 3 },
		3,
	);

	const keyRing = new KeyRing();
	/** @param {Team} owner @param {'sk' | 'pk'} kind @param {Environment} environment */
	const issue = (owner, kind, environment) => {
		const key = formatKey(kind, environment, random.token(32));
		keyRing.add({
			key,
			teamId: owner.id,
			keyType: kind === 'sk' ? 'secret' : 'publishable',
			environment,
		});
		return key;
	};
	const keys = {
		secret: issue(team, 'sk', 'test'),
		secretLive: issue(team, 'sk', 'live'),
		publishable: issue(team, 'pk', 'test'),
		publishableLive: issue(team, 'pk', 'live'),
		otherTeam: issue(other, 'sk', 'test'),
	};
	return {
		teams: new Map([
			[team.id, team],
			[other.id, other],
		]),
		team,
		keyRing,
		keys,
	};
}

module.exports = { buildWorld };
