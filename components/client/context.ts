import { createContext } from '@lit/context';
import { PersoClient } from './api-client.js';

/** Hosts (and stories) may provide one client to every element below them. */
export const clientContext = createContext<PersoClient>(Symbol('perso-client'));

const sharedClients = new Map<string, PersoClient>();

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
