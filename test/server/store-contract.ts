import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewApiKey, NewVerificationToken, SessionRecord, Store, UserRecord } from '../../server/store/types.js';

/** A fresh, empty store of one backend and how to dispose of it. */
export interface StoreFixture {
  store: Store;
  dispose(): Promise<void>;
}

const T0 = Date.parse('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const hash = (value: string) => createHash('sha256').update(value).digest('hex');
const keyHash = (secret: string) => createHash('sha256').update(secret).digest();

const user = (email: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
  id: randomUUID(),
  email,
  organizationId: 'default',
  passwordHash: null,
  emailVerifiedAt: null,
  createdAt: T0,
  ...overrides,
});

const token = (userId: string, name: string, overrides: Partial<NewVerificationToken> = {}): NewVerificationToken => ({
  tokenHash: hash(name),
  userId,
  passwordHash: `$argon2id$${name}`,
  redirect: null,
  expiresAt: T0 + 24 * HOUR,
  createdAt: T0,
  ...overrides,
});

const session = (userId: string, name: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  idHash: hash(name),
  userId,
  createdAt: T0,
  lastSeenAt: T0,
  expiresAt: T0 + 30 * 24 * HOUR,
  ...overrides,
});

const apiKey = (userId: string, name: string, overrides: Partial<NewApiKey> = {}): NewApiKey => ({
  id: randomUUID(),
  userId,
  name,
  start: 'a1b2',
  end: '9f0e',
  keyHash: keyHash(name),
  expiresAt: null,
  createdAt: T0,
  ...overrides,
});

/**
 * The behaviour every storage backend must share (API.md §1: "Same behaviour on both"). Call it
 * once per backend with a factory for an empty store; the app relies on nothing else.
 */
export function storeContract(backend: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${backend}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.dispose());

    describe('users', () => {
      it('finds a created user by email and by id, every field intact', async () => {
        const ada = user('ada@example.com', { organizationId: 'acme', passwordHash: '$argon2id$x', emailVerifiedAt: T0 + 5 });
        const grace = user('grace@example.com');
        await store.createUser(ada);
        await store.createUser(grace);
        expect(await store.findUserByEmail('ada@example.com')).toEqual(ada);
        expect(await store.findUserById(ada.id)).toEqual(ada);
        expect(await store.findUserById(grace.id)).toEqual(grace);
        expect(await store.findUserByEmail('nobody@example.com')).toBeUndefined();
        expect(await store.findUserById(randomUUID())).toBeUndefined();
      });

      it('refuses a second user with the same email or id', async () => {
        const ada = user('ada@example.com');
        await store.createUser(ada);
        await expect(store.createUser(user('ada@example.com'))).rejects.toThrow();
        await expect(store.createUser({ ...user('other@example.com'), id: ada.id })).rejects.toThrow();
        expect(await store.findUserByEmail('other@example.com')).toBeUndefined();
      });
    });

    describe('verification tokens', () => {
      let ada: UserRecord;
      beforeEach(async () => {
        ada = user('ada@example.com');
        await store.createUser(ada);
      });

      it('consumes a token once: verifies the email, applies its password, answers its redirect', async () => {
        await store.createVerificationToken(token(ada.id, 't1', { redirect: 'https://app.example/welcome' }));
        const result = await store.consumeVerificationToken(hash('t1'), T0 + HOUR);
        expect(result).toEqual({
          status: 'verified',
          user: { ...ada, emailVerifiedAt: T0 + HOUR, passwordHash: '$argon2id$t1' },
          redirect: 'https://app.example/welcome',
        });
        expect(await store.findUserById(ada.id)).toEqual({ ...ada, emailVerifiedAt: T0 + HOUR, passwordHash: '$argon2id$t1' });
        expect(await store.consumeVerificationToken(hash('t1'), T0 + HOUR)).toEqual({ status: 'invalid' });
      });

      it('answers invalid for an unknown token', async () => {
        expect(await store.consumeVerificationToken(hash('never issued'), T0)).toEqual({ status: 'invalid' });
      });

      it('answers expired from expiresAt on, and leaves the account as it was', async () => {
        await store.createVerificationToken(token(ada.id, 'late', { expiresAt: T0 + HOUR }));
        await store.createVerificationToken(token(ada.id, 'just-in-time', { expiresAt: T0 + HOUR + 1 }));
        expect(await store.consumeVerificationToken(hash('late'), T0 + HOUR)).toEqual({ status: 'expired' });
        expect(await store.findUserById(ada.id)).toEqual(ada);
        expect(await store.consumeVerificationToken(hash('just-in-time'), T0 + HOUR)).toMatchObject({ status: 'verified' });
      });

      it('ends every other pending token of the account when one is used', async () => {
        await store.createVerificationToken(token(ada.id, 'stranger'));
        await store.createVerificationToken(token(ada.id, 'owner'));
        const grace = user('grace@example.com');
        await store.createUser(grace);
        await store.createVerificationToken(token(grace.id, 'grace'));
        expect(await store.consumeVerificationToken(hash('owner'), T0)).toMatchObject({ status: 'verified' });
        expect(await store.consumeVerificationToken(hash('stranger'), T0)).toEqual({ status: 'invalid' });
        expect(await store.findUserById(ada.id)).toMatchObject({ passwordHash: '$argon2id$owner' });
        expect(await store.consumeVerificationToken(hash('grace'), T0)).toMatchObject({ status: 'verified' });
      });

      it('lets exactly one of two simultaneous uses of a token win', async () => {
        await store.createVerificationToken(token(ada.id, 'race'));
        const results = await Promise.all([store.consumeVerificationToken(hash('race'), T0), store.consumeVerificationToken(hash('race'), T0)]);
        expect(results.map((r) => r.status).sort()).toEqual(['invalid', 'verified']);
      });

      it('keeps the password and first verification time when a token carries no password', async () => {
        await store.createVerificationToken(token(ada.id, 'first'));
        await store.consumeVerificationToken(hash('first'), T0 + 1);
        await store.createVerificationToken(token(ada.id, 'passwordless', { passwordHash: null }));
        const result = await store.consumeVerificationToken(hash('passwordless'), T0 + 2);
        expect(result).toMatchObject({ status: 'verified', user: { passwordHash: '$argon2id$first', emailVerifiedAt: T0 + 1 } });
      });

      it('answers the newest pending sign-up, expired or not, and none once verified', async () => {
        expect(await store.pendingSignUp(ada.id)).toBeUndefined();
        await store.createVerificationToken(token(ada.id, 'older', { createdAt: T0 - 1 }));
        // Same millisecond: the later insert is the newer sign-up.
        await store.createVerificationToken(token(ada.id, 'same-ms-1', { redirect: 'https://one.example/' }));
        await store.createVerificationToken(token(ada.id, 'same-ms-2', { redirect: 'https://two.example/' }));
        expect(await store.pendingSignUp(ada.id)).toEqual({ passwordHash: '$argon2id$same-ms-2', redirect: 'https://two.example/' });
        await store.createVerificationToken(token(ada.id, 'no-password', { passwordHash: null, createdAt: T0 + 1 }));
        expect(await store.pendingSignUp(ada.id)).toEqual({ passwordHash: null, redirect: null });
        await store.createVerificationToken(token(ada.id, 'expired', { createdAt: T0 + 2, expiresAt: T0 + 3 }));
        expect(await store.pendingSignUp(ada.id)).toEqual({ passwordHash: '$argon2id$expired', redirect: null });

        expect(await store.consumeVerificationToken(hash('older'), T0 + 4)).toMatchObject({ status: 'verified' });
        expect(await store.pendingSignUp(ada.id)).toBeUndefined();
      });

      it('refuses two tokens with the same hash', async () => {
        await store.createVerificationToken(token(ada.id, 'dup'));
        await expect(store.createVerificationToken(token(ada.id, 'dup'))).rejects.toThrow();
      });
    });

    describe('sessions', () => {
      let ada: UserRecord;
      beforeEach(async () => {
        ada = user('ada@example.com', { emailVerifiedAt: T0 });
        await store.createUser(ada);
      });

      it('finds, touches and deletes a session by the hash of its id', async () => {
        const one = session(ada.id, 'one');
        await store.createSession(one);
        await store.createSession(session(ada.id, 'two'));
        expect(await store.findSession(one.idHash)).toEqual(one);
        expect(await store.findSession(hash('unknown'))).toBeUndefined();

        await store.touchSession(one.idHash, T0 + HOUR);
        expect(await store.findSession(one.idHash)).toEqual({ ...one, lastSeenAt: T0 + HOUR });

        await store.deleteSession(one.idHash);
        expect(await store.findSession(one.idHash)).toBeUndefined();
        expect(await store.findSession(hash('two'))).toBeDefined();
        await store.deleteSession(one.idHash);
      });

      it('deletes the sessions expired or idle at a time and counts them', async () => {
        await store.createSession(session(ada.id, 'expired', { expiresAt: T0 }));
        await store.createSession(session(ada.id, 'long gone', { expiresAt: T0 - HOUR }));
        await store.createSession(session(ada.id, 'idle', { lastSeenAt: T0 - 2 * HOUR, expiresAt: T0 + HOUR }));
        await store.createSession(session(ada.id, 'alive', { lastSeenAt: T0 - HOUR + 1, expiresAt: T0 + 1 }));
        expect(await store.deleteExpiredSessions(T0, HOUR)).toBe(3);
        expect(await store.findSession(hash('expired'))).toBeUndefined();
        expect(await store.findSession(hash('idle'))).toBeUndefined();
        expect(await store.findSession(hash('alive'))).toBeDefined();
        expect(await store.deleteExpiredSessions(T0, HOUR)).toBe(0);
      });

      it('refuses a session for a user that does not exist', async () => {
        await expect(store.createSession(session(randomUUID(), 'orphan'))).rejects.toThrow();
      });
    });

    describe('API keys', () => {
      let ada: UserRecord;
      let grace: UserRecord;
      beforeEach(async () => {
        ada = user('ada@example.com', { emailVerifiedAt: T0, organizationId: 'acme' });
        grace = user('grace@example.com', { emailVerifiedAt: T0 });
        await store.createUser(ada);
        await store.createUser(grace);
      });

      it('lists a user’s keys newest first, insertion order breaking ties, without the hash', async () => {
        const old = apiKey(ada.id, 'old', { createdAt: T0 - 1, expiresAt: T0 + HOUR });
        const first = apiKey(ada.id, 'same-ms-1');
        const second = apiKey(ada.id, 'same-ms-2');
        for (const k of [old, first, second, apiKey(grace.id, 'grace')]) await store.createApiKey(k);
        const { keyHash: _, ...expected } = second;
        expect(await store.listApiKeys(ada.id)).toEqual([
          { ...expected, lastUsedAt: null },
          expect.objectContaining({ id: first.id }),
          expect.objectContaining({ id: old.id, expiresAt: T0 + HOUR }),
        ]);
        expect(await store.listApiKeys(randomUUID())).toEqual([]);
      });

      it('finds a key’s owner by the hash of its secret', async () => {
        const k = apiKey(ada.id, 'ci', { expiresAt: T0 + HOUR });
        await store.createApiKey(k);
        expect(await store.findApiKeyByHash(keyHash('ci'))).toEqual({
          keyId: k.id,
          keyName: 'ci',
          expiresAt: T0 + HOUR,
          userId: ada.id,
          email: 'ada@example.com',
          organizationId: 'acme',
        });
        expect(await store.findApiKeyByHash(keyHash('other'))).toBeUndefined();
      });

      it('deletes a key only for its owner', async () => {
        const k = apiKey(ada.id, 'ci');
        await store.createApiKey(k);
        expect(await store.deleteApiKey(grace.id, k.id)).toBe(false);
        expect(await store.findApiKeyByHash(keyHash('ci'))).toBeDefined();
        expect(await store.deleteApiKey(ada.id, k.id)).toBe(true);
        expect(await store.findApiKeyByHash(keyHash('ci'))).toBeUndefined();
        expect(await store.deleteApiKey(ada.id, k.id)).toBe(false);
      });

      it('refuses two keys with the same hash', async () => {
        await store.createApiKey(apiKey(ada.id, 'same'));
        await expect(store.createApiKey(apiKey(grace.id, 'same'))).rejects.toThrow();
      });

      it('records batched uses: the latest lastUsedAt and per-day counts, skipping deleted keys', async () => {
        const a = apiKey(ada.id, 'a');
        const b = apiKey(ada.id, 'b');
        const gone = apiKey(ada.id, 'gone');
        const other = apiKey(grace.id, 'other');
        for (const k of [a, b, gone, other]) await store.createApiKey(k);
        await store.deleteApiKey(ada.id, gone.id);
        await store.recordApiKeyUsage([]);
        await store.recordApiKeyUsage([
          { keyId: a.id, lastUsedAt: T0 + 10, days: new Map([['2026-11-25', 2], ['2026-11-26', 3]]) },
          { keyId: gone.id, lastUsedAt: T0 + 10, days: new Map([['2026-11-26', 1]]) },
          { keyId: other.id, lastUsedAt: T0 + 5, days: new Map([['2026-11-26', 7]]) },
        ]);
        // An older batch landing late does not move lastUsedAt back.
        await store.recordApiKeyUsage([{ keyId: a.id, lastUsedAt: T0 + 1, days: new Map([['2026-11-26', 4]]) }]);

        const keys = await store.listApiKeys(ada.id);
        expect(keys.find((k) => k.id === a.id)!.lastUsedAt).toBe(T0 + 10);
        expect(keys.find((k) => k.id === b.id)!.lastUsedAt).toBeNull();
        const usage = await store.apiKeyUsage(ada.id, '2026-11-26');
        expect(usage).toEqual([{ keyId: a.id, day: '2026-11-26', count: 7 }]);
        expect((await store.apiKeyUsage(ada.id, '2026-11-01')).sort((x, y) => x.day.localeCompare(y.day))).toEqual([
          { keyId: a.id, day: '2026-11-25', count: 2 },
          { keyId: a.id, day: '2026-11-26', count: 7 },
        ]);
        expect(await store.apiKeyUsage(grace.id, '2026-11-01')).toEqual([{ keyId: other.id, day: '2026-11-26', count: 7 }]);
      });
    });

    it('can be closed twice', async () => {
      await store.close();
      await store.close();
    });
  });
}
