// @ts-check
'use strict';

const { createRandom } = require('./random');
const { toIsoSeconds } = require('./time');

/** @typedef {import('./resources').StoredRecord} StoredRecord */
/** @typedef {{ tickets: StoredRecord[], customers: StoredRecord[], articles: StoredRecord[] }} SeedData */
/** @typedef {{ tickets: number, customers: number, articles: number }} SeedSizes */

// A fixed "now" for seeded timestamps, so the same seed gives byte-identical data on any day.
const SEED_EPOCH_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const HOUR_MS = 3600 * 1000;

const FIRST_NAMES = [
	'Ada',
	'Grace',
	'Linus',
	'Margaret',
	'Alan',
	'Barbara',
	'Dennis',
	'Frances',
	'Ken',
	'Radia',
	'Tim',
	'Hedy',
	'Donald',
	'Katherine',
	'John',
	'Sophie',
];
const LAST_NAMES = [
	'Lovelace',
	'Hopper',
	'Torvalds',
	'Hamilton',
	'Turing',
	'Liskov',
	'Ritchie',
	'Allen',
	'Thompson',
	'Perlman',
	'Berners-Lee',
	'Lamarr',
	'Knuth',
	'Johnson',
	'McCarthy',
	'Wilson',
];
const DOMAINS = ['example.com', 'acme.test', 'globex.test', 'initech.test', 'umbrella.test'];
const TICKET_SUBJECTS = [
	'Cannot log in',
	'Refund request',
	'Invoice is wrong',
	'App crashes on start',
	'How do I export data?',
	'Password reset email never arrives',
	'Feature request: dark mode',
	'Charged twice',
	'Sync stopped working',
	'Cannot upload attachment',
	'Account locked',
	'Question about pricing',
];
const TAGS = [
	'billing',
	'bug',
	'urgent',
	'vip',
	'onboarding',
	'feature-request',
	'refund',
	'login',
	'mobile',
	'api',
];
const ARTICLE_TOPICS = [
	'Getting started',
	'Resetting your password',
	'Exporting your data',
	'Understanding invoices',
	'Setting up SSO',
	'Using the API',
	'Managing team members',
	'Configuring notifications',
	'Troubleshooting sync',
	'Keyboard shortcuts',
];
const CATEGORIES = ['Getting Started', 'Billing', 'Account', 'Integrations', 'Troubleshooting'];
/** ARTSUP: an article's categoryId is a UUID, and the list's category filter takes only that. */
const CATEGORY_IDS = /** @type {Record<string, string>} */ ({
	'Getting Started': '0b6f3c1e-2a4d-4e8b-9c1a-5d7e9f0a1b21',
	Billing: '1c7a4d2f-3b5e-4f9c-8d2b-6e8f0a1b2c32',
	Account: '2d8b5e3a-4c6f-4a0d-9e3c-7f9a1b2c3d43',
	Integrations: '3e9c6f4b-5d7a-4b1e-8f4d-8a0b2c3d4e54',
	Troubleshooting: '4fad7a5c-6e8b-4c2f-9a5e-9b1c3d4e5f65',
});
const MEMBER_IDS = ['mem_a1B2c3D4e5F6', 'mem_g7H8i9J0k1L2', 'mem_m3N4o5P6q7R8', 'mem_s9T0u1V2w3X4'];

/**
 * The seed's random source and the record dates drawn from it. Every generator draws from it in
 * turn, so the same seed gives the same records.
 * @typedef {Object} SeedDraw
 * @property {ReturnType<typeof createRandom>} random
 * @property {(index: number) => number} createdAtFor   newest first, a few hours apart
 * @property {(createdMs: number) => number} updatedAtFor
 */

/** @param {number} seed @returns {SeedDraw} */
function seedDraw(seed) {
	const random = createRandom(seed);
	return {
		random,
		createdAtFor: (index) => SEED_EPOCH_MS - index * 3 * HOUR_MS - random.int(0, 2 * HOUR_MS),
		updatedAtFor: (createdMs) => Math.min(SEED_EPOCH_MS, createdMs + random.int(0, 48 * HOUR_MS)),
	};
}

/** @param {SeedDraw} draw @param {number} count */
function seedCustomers({ random, createdAtFor, updatedAtFor }, count) {
	const customers = [];
	for (let i = 0; i < count; i++) {
		const first = random.pick(FIRST_NAMES);
		const last = random.pick(LAST_NAMES);
		const createdMs = createdAtFor(i);
		customers.push({
			id: `cus_${random.hex(32)}`,
			object: 'customer',
			name: `${first} ${last}`,
			// The index keeps emails unique per team, as the docs require.
			email: `${first}.${last}.${i}@${random.pick(DOMAINS)}`.toLowerCase(),
			status: random.chance(0.85) ? 'active' : 'inactive',
			sentiment: random.pick(['positive', 'neutral', 'negative']),
			tags: random.sample(TAGS, random.int(0, 2)),
			notes: random.chance(0.3) ? 'Prefers email contact.' : null,
			customFields: random.chance(0.5) ? { plan: random.pick(['free', 'pro', 'enterprise']) } : {},
			ticketCount: 0,
			metadata: {},
			createdAt: toIsoSeconds(createdMs),
			updatedAt: toIsoSeconds(updatedAtFor(createdMs)),
		});
	}

	return customers;
}

/**
 * Tickets, each of a random customer (whose ticketCount it raises) when there are any.
 * @param {SeedDraw} draw
 * @param {number} count
 * @param {SeedData['customers']} customers
 */
function seedTickets({ random, createdAtFor, updatedAtFor }, count, customers) {
	const tickets = [];
	for (let i = 0; i < count; i++) {
		const customer = customers.length > 0 ? random.pick(customers) : undefined;
		const status = random.pick(['new', 'open', 'open', 'pending', 'resolved', 'closed']);
		const createdMs = createdAtFor(i);
		const updatedMs = updatedAtFor(createdMs);
		const done = status === 'resolved' || status === 'closed';
		if (customer) customer.ticketCount++;
		tickets.push({
			id: `tkt_${random.hex(32)}`,
			object: 'ticket',
			title: random.pick(TICKET_SUBJECTS),
			status,
			priority: random.pick(['low', 'normal', 'normal', 'high', 'urgent']),
			customerId: customer ? customer.id : null,
			customerName: customer
				? customer.name
				: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
			assignedTo: random.chance(0.7) ? random.pick(MEMBER_IDS) : null,
			tags: random.sample(TAGS, random.int(0, 3)),
			notes: random.chance(0.2) ? 'Customer called twice about this.' : null,
			messageCount: random.int(1, 12),
			responseDeadline: toIsoSeconds(createdMs + 4 * HOUR_MS),
			resolutionDeadline: toIsoSeconds(createdMs + 48 * HOUR_MS),
			firstResponseAt:
				status === 'new' ? null : toIsoSeconds(createdMs + random.int(5, 240) * 60 * 1000),
			responseTier: null,
			resolutionTier: null,
			slaPaused: status === 'pending',
			metadata: {},
			createdAt: toIsoSeconds(createdMs),
			updatedAt: toIsoSeconds(updatedMs),
			resolvedAt: done ? toIsoSeconds(updatedMs) : null,
			closedAt: status === 'closed' ? toIsoSeconds(updatedMs) : null,
		});
	}

	return tickets;
}

/** @param {SeedDraw} draw @param {number} count */
function seedArticles({ random, createdAtFor, updatedAtFor }, count) {
	const articles = [];
	for (let i = 0; i < count; i++) {
		const topic = random.pick(ARTICLE_TOPICS);
		const title = i < ARTICLE_TOPICS.length ? topic : `${topic} (part ${i})`;
		const status = random.pick(['published', 'published', 'draft', 'archived']);
		const createdMs = createdAtFor(i);
		const minutes = random.int(1, 9);
		const article = /** @type {Record<string, any>} */ ({
			id: `art_${random.hex(32)}`,
			object: 'article',
			title,
			slug: title
				.toLowerCase()
				.replace(/[^a-z0-9]+/g, '-')
				.replace(/^-|-$/g, ''),
			excerpt: `A short guide: ${topic.toLowerCase()}.`,
			content: `# ${title}\n\nThis article explains ${topic.toLowerCase()} step by step.\n`,
			category: random.pick(CATEGORIES),
			status,
			isPublic: status === 'published' && random.chance(0.8),
			tags: random.sample(TAGS, random.int(0, 2)),
			notes: null,
			viewCount: random.int(0, 5000),
			useCount: random.int(0, 300),
			readTime: `${minutes} min`,
			publishedAt: status === 'draft' ? null : toIsoSeconds(createdMs + HOUR_MS),
			metaDescription: `Learn about ${topic.toLowerCase()}.`,
			metadata: {},
			createdAt: toIsoSeconds(createdMs),
			updatedAt: toIsoSeconds(updatedAtFor(createdMs)),
		});
		// Set after the draws above, so adding it changed no other seeded value.
		article.categoryId = CATEGORY_IDS[article.category];
		articles.push(article);
	}

	return articles;
}

/**
 * Deterministic records for one team and environment.
 * @param {number} seed
 * @param {SeedSizes} sizes
 * @returns {SeedData}
 */
function generateSeedData(seed, sizes) {
	const draw = seedDraw(seed);
	const customers = seedCustomers(draw, sizes.customers);
	const tickets = seedTickets(draw, sizes.tickets, customers);
	const articles = seedArticles(draw, sizes.articles);
	return { tickets, customers, articles };
}

module.exports = { generateSeedData, CATEGORY_IDS };
