import { matchesNodeFilters, type NodeFilters } from '../../nodes/CstarBulk/bulk/search';

/** "Closed Before/After" on tickets: closedAt, or resolvedAt when closedAt is missing or null. */
describe('matchesNodeFilters: a ticket’s close time', () => {
	const weekAgo = Date.parse('2026-11-28T00:00:00Z');
	const closedBefore: NodeFilters = { dates: [{ name: 'closedBefore', atMs: weekAgo }] };
	const old = '2026-01-15T12:00:00Z';
	const recent = '2026-12-04T12:00:00Z';

	test.each([
		['closedAt only', { closedAt: old }, true],
		['resolvedAt only (no closedAt field)', { resolvedAt: old }, true],
		[
			'closedAt null next to resolvedAt, as a resolved ticket in the emulator',
			{ closedAt: null, resolvedAt: old },
			true,
		],
		['closedAt null, resolved recently', { closedAt: null, resolvedAt: recent }, false],
		['closedAt wins over resolvedAt', { closedAt: recent, resolvedAt: old }, false],
		['neither date (an open ticket)', { closedAt: null, resolvedAt: null }, false],
	])('%s', (_what, dates, matches) => {
		expect(matchesNodeFilters({ id: 'tkt_1', ...dates }, closedBefore)).toBe(matches);
	});
});
