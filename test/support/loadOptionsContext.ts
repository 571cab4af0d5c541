import type { ICredentialDataDecryptedObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { authenticatedRequest, testNode } from './executeContext';

/**
 * A stand-in for n8n's load-options context (what a picker's list method gets in the editor):
 * the node's credential, or none yet, and n8n's real HTTP stack through the credential.
 */
export function loadOptionsContext(
	credentials: ICredentialDataDecryptedObject | undefined,
): ILoadOptionsFunctions {
	const node = testNode();
	const context = {
		getNode: () => node,
		getCredentials: async (type: string) => {
			if (type !== 'cstarApi') throw new Error(`unexpected credential type ${type}`);
			// What n8n-core's LoadOptionsContext throws when the node has no credential yet.
			if (credentials === undefined) throw new Error('Node does not have any credentials set');
			return credentials;
		},
		helpers: { httpRequestWithAuthentication: authenticatedRequest(node, credentials) },
	};
	return context as unknown as ILoadOptionsFunctions;
}
