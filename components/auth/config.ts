import type { PersoClient } from '../client/api-client.js';
import type { OrganizationConfig } from '../client/types.js';

/**
 * What an auth element needs before it can show anything: the organization's enabled
 * methods and, once per client, whether someone is already signed in.
 */
export async function loadAuthConfig(client: PersoClient, organization: string, signal: AbortSignal): Promise<OrganizationConfig> {
  const [config] = await Promise.all([client.config(organization, signal), client.user === undefined ? client.session() : null]);
  return config;
}

/** Where a "Continue with …" button sends the browser (API.md §4). */
export function oauthStartUrl(client: PersoClient, provider: string, organization: string, returnTo: string): string {
  const query = new URLSearchParams({ organization, return_to: returnTo });
  return `${client.baseUrl}/api/oauth/${encodeURIComponent(provider)}/start?${query}`;
}
