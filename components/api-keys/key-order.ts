import type { ApiKey } from '../client/types.js';
import { isExpired } from './format.js';

/** The orders the "Sort by" menu offers; `created` (newest first) is the server's own. */
export const KEY_ORDERS = ['created', 'name', 'lastUsed', 'expires'] as const;
export type KeyOrder = (typeof KEY_ORDERS)[number];

/** Up to this many keys fit a screen; beyond it the table offers "Hide expired keys" and "Sort by". */
export const MANY_KEYS = 10;

export interface Arrangement {
  /** Hide keys whose expiry has passed. */
  hideExpired: boolean;
  order: KeyOrder;
  /** The key created just now: always first and never hidden, so it is the first thing seen. */
  pinned?: string;
}

const time = (iso: string | null, missing: number) => (iso === null ? missing : Date.parse(iso));

/** Sorts for one order; ties keep the server's order (newest first), since sort is stable. */
function compare(order: KeyOrder, lang: string): (a: ApiKey, b: ApiKey) => number {
  switch (order) {
    case 'created':
      return (a, b) => time(b.createdAt, 0) - time(a.createdAt, 0);
    case 'name':
      return (a, b) => a.name.localeCompare(b.name, lang);
    case 'lastUsed':
      // Never used goes last.
      return (a, b) => time(b.lastUsedAt, -Infinity) - time(a.lastUsedAt, -Infinity);
    case 'expires':
      // No expiry goes last.
      return (a, b) => time(a.expiresAt, Infinity) - time(b.expiresAt, Infinity);
  }
}

/** The keys to show, in order, and how many expired ones were left out. */
export function arrangeKeys(keys: ApiKey[], arrangement: Arrangement, lang: string, now: Date = new Date()): { shown: ApiKey[]; hidden: number } {
  const { hideExpired, order, pinned } = arrangement;
  const kept = hideExpired ? keys.filter((key) => key.id === pinned || !isExpired(key.expiresAt, now)) : keys;
  const sorted = [...kept].sort(compare(order, lang));
  const first = sorted.findIndex((key) => key.id === pinned);
  if (first > 0) sorted.unshift(...sorted.splice(first, 1));
  return { shown: sorted, hidden: keys.length - kept.length };
}
