import axios from 'axios';
import { runCli, spawnCli } from '../support/emulatorCli';

describe('emulator: npm run emulator (cli.js)', () => {
	it('starts with flags, prints URL, test key, team id and curl examples, and stops on Ctrl-C', async () => {
		const cli = await spawnCli([
			'--port',
			'0',
			'--seed',
			'3',
			'--tickets',
			'7',
			'--rate-limit',
			'5/60',
			'--errors-shape',
			'strings',
			'--latency',
			'0',
			'--clock-skew',
			'-400',
		]);
		try {
			expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			const secretKey = /Secret test key:\s+(sk_test_[A-Za-z0-9_-]{32})/.exec(cli.output)?.[1];
			const teamId = /Team ID:\s+([0-9a-f-]{36})/.exec(cli.output)?.[1];
			expect(secretKey).toBeDefined();
			expect(teamId).toBeDefined();
			expect(cli.output).toContain(
				`curl -s ${cli.url}/api/v1/auth/whoami -H "Authorization: Bearer ${secretKey}"`,
			);
			expect(cli.output).toContain(`${cli.url}/api/v1/teams/${teamId}/bulk`);

			const api = axios.create({
				baseURL: cli.url,
				validateStatus: () => true,
				headers: { Authorization: `Bearer ${secretKey}` },
			});
			const whoami = await api.get('/api/v1/auth/whoami');
			expect(whoami.data.data).toMatchObject({ teamId, keyType: 'secret', environment: 'test' });
			expect(whoami.headers['x-ratelimit-limit']).toBe('5');
			expect(whoami.headers['x-ratelimit-window']).toBe('60');
			expect(Date.now() - Date.parse(whoami.headers.date)).toBeGreaterThan(390_000);
			const list = await api.get(`/api/v1/teams/${teamId}/tickets`);
			expect(list.data.pagination.total).toBe(7);
			const result = await api.post(`/api/v1/teams/${teamId}/bulk`, {
				action: 'delete',
				resource: 'tickets',
				ids: ['tkt_x'],
			});
			expect(result.data.data.errors).toEqual(['tkt_x: Ticket not found']);
		} finally {
			const exit = await cli.stop();
			expect(exit.code).toBe(0);
		}
	});

	it('--help prints the flags and exits 0', async () => {
		const { code, stdout } = await runCli(['--help']);
		expect(code).toBe(0);
		for (const flag of [
			'--port',
			'--seed',
			'--tickets',
			'--customers',
			'--articles',
			'--latency',
			'--rate-limit',
			'--errors-shape',
			'--clock-skew',
		]) {
			expect(stdout).toContain(flag);
		}
	});

	it.each([
		[['--bogus'], /unknown flag: --bogus/],
		[['--rate-limit', '100'], /--rate-limit takes LIMIT\/WINDOW_SECONDS/],
		[['--errors-shape', 'byName'], /--errors-shape takes one of/],
		[['--clock-skew', '5m'], /--clock-skew takes whole seconds/],
		[['--clock-skew', '90000'], /--clock-skew takes whole seconds/],
		[['--port'], /--port needs a value/],
		[['--tickets', 'many'], /--tickets takes a non-negative integer/],
	])('%j exits 2 with a message', async (args, message) => {
		const { code, stderr } = await runCli(args);
		expect(code).toBe(2);
		expect(stderr).toMatch(message);
	});
});
