import crypto, { createHash } from 'node:crypto';
import type { ApiKeyOwner } from '../store/types.js';

/**
 * The index key of a secret: its SHA-256 as base64. The one-shot `crypto.hash` to a string is
 * about 4× cheaper than a Buffer digest, and a string keys a `Map` directly. `keyHashFromIndexKey`
 * gives back the bytes the database stores.
 */
export const indexKeyOf: (secret: string) => string =
  typeof crypto.hash === 'function' ? (secret) => crypto.hash('sha256', secret, 'base64') : (secret) => createHash('sha256').update(secret).digest('base64');
export const keyHashFromIndexKey = (indexKey: string): Buffer => Buffer.from(indexKey, 'base64');
const indexKeyOfHash = (keyHash: Buffer): string => keyHash.toString('base64');

/** 100,000 keys ≈ 40 MB at most (two generations of about 200 bytes per entry). */
export const DEFAULT_KEY_INDEX_CAPACITY = 100_000;

/**
 * Verified keys held in memory, so the `/v1` check answers without the database. Bounded by two
 * generations: lookups read the young one, then the old one (moving a hit to the young one);
 * when the young one is full, the old one is dropped whole. Unlike evicting a `Map`'s oldest
 * entry one at a time, a turnover costs nothing per request, and keys in use survive it.
 *
 * `epoch` changes whenever a revocation is applied: a database read that started before it may
 * have seen a key that is now gone, so `remember` drops what such a read found.
 */
export class KeyIndex {
  #young = new Map<string, ApiKeyOwner>();
  #old = new Map<string, ApiKeyOwner>();
  #epoch = 0;

  constructor(readonly capacity = DEFAULT_KEY_INDEX_CAPACITY) {}

  get epoch(): number {
    return this.#epoch;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(indexKey: string): ApiKeyOwner | undefined {
    const owner = this.#young.get(indexKey);
    if (owner !== undefined) return owner;
    const aging = this.#old.get(indexKey);
    if (aging !== undefined) this.#add(indexKey, aging);
    return aging;
  }

  /** Adds a key the database has just vouched for, unless a revocation came in since `epoch`. */
  remember(indexKey: string, owner: ApiKeyOwner, epoch: number): void {
    if (epoch === this.#epoch) this.#add(indexKey, owner);
  }

  /** Forgets revoked keys and every key of the given users. */
  revoke(keyHashes: readonly Buffer[], userIds: readonly string[]): void {
    this.#epoch++;
    for (const hash of keyHashes) {
      const key = indexKeyOfHash(hash);
      this.#young.delete(key);
      this.#old.delete(key);
    }
    if (userIds.length === 0) return;
    const users = new Set(userIds);
    for (const generation of [this.#young, this.#old]) {
      for (const [key, owner] of generation) if (users.has(owner.userId)) generation.delete(key);
    }
  }

  clear(): void {
    this.#epoch++;
    this.#young = new Map();
    this.#old = new Map();
  }

  #add(indexKey: string, owner: ApiKeyOwner): void {
    if (this.#young.size >= this.capacity / 2) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(indexKey, owner);
  }
}
