import type {
	ICredentialDataDecryptedObject,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	IHttpRequestOptions,
	Icon,
} from 'n8n-workflow';

/**
 * n8n's credential tester reads both kinds of rule from one list (responseCode on an error status,
 * responseSuccessBody on a 2xx), though n8n-workflow types the list as one kind or the other.
 */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'data.keyType',
			value: 'publishable',
			message:
				'This is a publishable key (pk_…), which is read-only. Create a secret key (sk_live_… or sk_test_…) in cStar Settings → API Keys and paste it here.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message:
				'cStar did not accept this key: it is mistyped, revoked or expired. Paste a secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message:
				'cStar refused this key. Use a secret key (sk_live_… or sk_test_…) of your team from cStar Settings → API Keys.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 404,
			message:
				'No cStar API answers at this Base URL. Set it to https://www.cstar.help (or your cStar instance).',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 429,
			message:
				'cStar’s rate limit for this key is used up right now. The key itself may be fine: test again in a few minutes.',
		},
	},
];

export class CstarApi implements ICredentialType {
	name = 'cstarApi';

	displayName = 'cStar API';

	icon: Icon = { light: 'file:../icons/cstar.svg', dark: 'file:../icons/cstar.dark.svg' };

	documentationUrl = 'https://github.com/cstar-n8n/n8n-nodes-cstar#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. sk_live_...',
			description:
				'A secret key (sk_live_… or sk_test_…) from cStar Settings → API Keys. Bulk changes need a secret key; publishable keys (pk_…) are read-only.',
		},
		{
			displayName: 'Team ID',
			name: 'teamId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
			description:
				'The team UUID from cStar team settings. Leave empty to look it up from the key once per run.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://www.cstar.help',
			description: 'Where the cStar API lives. Change it only for a self-hosted or test instance.',
		},
	];

	// A function, not a declarative '=Bearer {{…}}' template: n8n evaluates a template through its
	// expression engine on every call, most of a bulk call's cost in n8n 2.40 (see bench/README.md).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const key = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${key}` },
		};
	}

	// Bulk writes need a secret key, so a publishable key must fail here rather than at the first run.
	// responseCode rules replace n8n's bare status text ("Unauthorized") with what to do.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/auth/whoami',
			method: 'GET',
		},
		rules: TEST_RULES as IAuthenticateRuleResponseCode[],
	};
}
