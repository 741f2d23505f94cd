import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { indexKeyOf, KeyIndex, keyHashFromIndexKey } from '../../server/api-keys/key-index.js';
import { hashApiKeySecret } from '../../server/auth/api-key-secret.js';
import type { ApiKeyOwner } from '../../server/store/types.js';

const owner = (keyId: string, userId = 'user-1'): ApiKeyOwner => ({ keyId, keyName: keyId, expiresAt: null, userId, email: 'a@example.com', organizationId: 'default' });
const secret = () => `pak-${randomBytes(16).toString('hex')}`;

describe('KeyIndex', () => {
  it('keys by the same SHA-256 the database stores', () => {
    const s = secret();
    expect(keyHashFromIndexKey(indexKeyOf(s)).equals(hashApiKeySecret(s))).toBe(true);
  });

  it('never holds more than its capacity under 10⁶ distinct keys, and keeps a key in use through every turnover', () => {
    const index = new KeyIndex(1_000);
    const hot = indexKeyOf(secret());
    index.remember(hot, owner('hot'), index.epoch);
    let largest = 0;
    for (let i = 0; i < 1_000_000; i++) {
      index.remember(`cold-${i}`, owner(`k${i}`), index.epoch);
      if (i % 100 === 0) expect(index.get(hot)?.keyId).toBe('hot');
      largest = Math.max(largest, index.size);
    }
    expect(largest).toBeLessThanOrEqual(1_000);
    expect(index.get('cold-0')).toBeUndefined();
  });

  it('drops what a read that started before a revocation found', () => {
    const index = new KeyIndex();
    const key = indexKeyOf(secret());
    const epoch = index.epoch;
    index.revoke([], []);
    index.remember(key, owner('late'), epoch);
    expect(index.get(key)).toBeUndefined();
    index.remember(key, owner('fresh'), index.epoch);
    expect(index.get(key)?.keyId).toBe('fresh');
  });

  it('forgets revoked keys by hash and every key of a revoked user, in both generations', () => {
    const index = new KeyIndex(4);
    const [a, b, c] = [secret(), secret(), secret()];
    index.remember(indexKeyOf(a), owner('a', 'alice'), index.epoch);
    index.remember(indexKeyOf(b), owner('b', 'alice'), index.epoch);
    index.remember(indexKeyOf(c), owner('c', 'bob'), index.epoch); // turns `a` and `b` into the old generation
    index.revoke([hashApiKeySecret(c)], ['alice']);
    expect([a, b, c].map((s) => index.get(indexKeyOf(s)))).toEqual([undefined, undefined, undefined]);
  });
});
