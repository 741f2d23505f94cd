import type { Context } from '@lit/context';
import { PersoClient } from './api-client.js';

/**
 * Hosts (and stories) may provide one client to every element below them. The key is a
 * registered symbol so elements loaded from separate per-element bundles still match it
 * (what `createContext` of `@lit/context` would return for it, without importing it).
 */
export const clientContext = Symbol.for('perso.client') as Context<symbol, PersoClient>;

// One registry per page, not per bundle: `perso-signin.js` and `perso-api-keys.js` loaded
// separately must still share a session.
const registry = Symbol.for('perso.sharedClients');
const sharedClients: Map<string, PersoClient> = ((globalThis as Record<symbol, unknown>)[registry] ??= new Map()) as Map<string, PersoClient>;

/**
 * Elements without a provided client share one per server URL, so a sign-in in
 * `<perso-signin>` reaches `<perso-api-keys>` elsewhere on the page.
 */
export function sharedClient(baseUrl: string): PersoClient {
  const key = baseUrl.replace(/\/+$/, '');
  let client = sharedClients.get(key);
  if (!client) {
    client = new PersoClient(key);
    sharedClients.set(key, client);
  }
  return client;
}
