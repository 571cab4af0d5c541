import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
			},
		},
	};

	// Bulk writes need a secret key, so a publishable key must fail here rather than at the first run.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/auth/whoami',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'data.keyType',
					value: 'publishable',
					message:
						'This is a publishable key (pk_…), which is read-only. Create a secret key (sk_live_… or sk_test_…) in cStar Settings → API Keys and paste it here.',
				},
			},
		],
	};
}
