import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord, NewApiKey, PasskeyRecord, PendingPasskey, SessionRecord, Store, UserRecord, VerificationRecord } from '../../server/store/types.js';

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

const attempt = (email: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord => ({
  id: randomUUID(),
  email,
  organizationId: 'default',
  purpose: 'new',
  passwordHash: '$argon2id$x',
  locale: 'en',
  redirect: null,
  bindingHash: hash(randomUUID()),
  codeFailures: 0,
  status: 'open',
  createdAt: T0,
  expiresAt: T0 + 24 * HOUR,
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

const pendingPasskey = (credentialId: string, overrides: Partial<PendingPasskey> = {}): PendingPasskey => ({
  credentialId,
  userHandle: 'aGFuZGxl',
  publicKey: new Uint8Array([165, 1, 2, 3, 38, 32, 1, 255]),
  counter: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  name: 'Chrome on macOS',
  createdAt: T0,
  ...overrides,
});

const passkey = (userId: string, credentialId: string, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord => ({
  ...pendingPasskey(credentialId),
  id: randomUUID(),
  userId,
  lastUsedAt: null,
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

    describe('sign-up attempts', () => {
      it('keeps every field, lists the open unexpired ones for an email newest first, and finds a browser’s newest', async () => {
        const first = attempt('ada@example.com', { createdAt: T0 });
        const second = attempt('ada@example.com', { createdAt: T0 + 1, bindingHash: first.bindingHash, locale: 'ko', redirect: 'https://a.test/x' });
        const expired = attempt('ada@example.com', { createdAt: T0 + 2, expiresAt: T0 + 3 });
        for (const a of [first, second, expired, attempt('grace@example.com')]) await store.createAttempt(a);
        expect(await store.findAttempt(second.id)).toEqual(second);
        expect(await store.openAttempts('ada@example.com', T0 + 10, 5)).toEqual([second, first]);
        expect(await store.openAttempts('ada@example.com', T0 + 10, 1)).toEqual([second]);
        expect(await store.newestOpenAttemptForBinding(first.bindingHash)).toEqual(second);
        expect(await store.findAttempt('nope')).toBeUndefined();
      });

      it('counts wrong codes and closes the attempt at the limit', async () => {
        const a = attempt('ada@example.com');
        await store.createAttempt(a);
        for (let i = 1; i <= 4; i++) expect(await store.recordCodeFailure(a.id, 5)).toBe(i);
        expect((await store.findAttempt(a.id))!.status).toBe('open');
        expect(await store.recordCodeFailure(a.id, 5)).toBe(5);
        expect(await store.findAttempt(a.id)).toMatchObject({ status: 'closed', codeFailures: 5 });
      });

      it('closes every other open attempt for the email, and extends one', async () => {
        const [a, b, c] = [attempt('ada@example.com'), attempt('ada@example.com'), attempt('grace@example.com')];
        for (const x of [a, b, c]) await store.createAttempt(x);
        await store.closeOpenAttempts('ada@example.com', a.id);
        expect((await store.findAttempt(a.id))!.status).toBe('open');
        expect((await store.findAttempt(b.id))!.status).toBe('closed');
        expect((await store.findAttempt(c.id))!.status).toBe('open');
        await store.extendAttempt(a.id, T0 + 99 * HOUR);
        expect((await store.findAttempt(a.id))!.expiresAt).toBe(T0 + 99 * HOUR);
      });
    });

    describe('verifications (single-use secrets)', () => {
      const secret = (name: string, overrides: Partial<VerificationRecord> = {}): VerificationRecord => ({
        kind: 'verify_link',
        secretHash: hash(name),
        subject: 'attempt-1',
        expiresAt: T0 + HOUR,
        createdAt: T0,
        ...overrides,
      });

      it('consumes a secret exactly once, by kind and hash', async () => {
        await store.createVerification(secret('a'));
        await store.createVerification(secret('a', { kind: 'verify_code' }));
        expect(await store.findVerification('verify_link', hash('a'))).toEqual(secret('a'));
        expect(await store.consumeVerification('verify_link', hash('a'), T0)).toEqual({ status: 'consumed', verification: secret('a') });
        expect(await store.consumeVerification('verify_link', hash('a'), T0)).toEqual({ status: 'invalid' });
        expect(await store.findVerification('verify_code', hash('a'))).toEqual(secret('a', { kind: 'verify_code' }));
        expect(await store.consumeVerification('password_reset', hash('a'), T0)).toEqual({ status: 'invalid' });
      });

      it('answers expired from expiresAt on, and the secret is gone either way', async () => {
        await store.createVerification(secret('b'));
        expect(await store.consumeVerification('verify_link', hash('b'), T0 + HOUR)).toEqual({ status: 'expired' });
        expect(await store.findVerification('verify_link', hash('b'))).toBeUndefined();
      });

      it('lets exactly one of two simultaneous uses win', async () => {
        await store.createVerification(secret('c'));
        const results = await Promise.all([store.consumeVerification('verify_link', hash('c'), T0), store.consumeVerification('verify_link', hash('c'), T0)]);
        expect(results.map((r) => r.status).sort()).toEqual(['consumed', 'invalid']);
      });

      it('drops a subject’s secrets of some kinds, and expired ones', async () => {
        await store.createVerification(secret('d'));
        await store.createVerification(secret('e', { kind: 'verify_code' }));
        await store.createVerification(secret('f', { subject: 'other' }));
        await store.createVerification(secret('g', { subject: 'other', kind: 'password_reset', expiresAt: T0 + 1 }));
        await store.deleteVerifications('attempt-1', ['verify_link', 'verify_code']);
        expect(await store.findVerification('verify_link', hash('d'))).toBeUndefined();
        expect(await store.findVerification('verify_code', hash('e'))).toBeUndefined();
        expect(await store.findVerification('verify_link', hash('f'))).toBeDefined();
        expect(await store.deleteExpiredVerifications(T0 + 2)).toBe(1);
        expect(await store.findVerification('password_reset', hash('g'))).toBeUndefined();
      });

      it('refuses two secrets of one kind with the same hash', async () => {
        await store.createVerification(secret('h'));
        await expect(store.createVerification(secret('h', { subject: 'x' }))).rejects.toThrow();
      });
    });

    describe('transactions', () => {
      it('commits all of fn, or none of it when fn throws', async () => {
        await store.transaction(async (tx) => {
          await tx.createUser(user('ada@example.com'));
          await tx.createAttempt(attempt('ada@example.com'));
        });
        expect(await store.findUserByEmail('ada@example.com')).toBeDefined();
        await expect(
          store.transaction(async (tx) => {
            await tx.createUser(user('grace@example.com'));
            throw new Error('rule refused');
          }),
        ).rejects.toThrow('rule refused');
        expect(await store.findUserByEmail('grace@example.com')).toBeUndefined();
      });

      it('isolates concurrent transactions as if one ran after the other: a rule checked inside holds', async () => {
        // Each removes a passkey while another would remain; run together, only one may.
        const ada = user('ada@example.com', { emailVerifiedAt: T0 });
        await store.createUser(ada);
        const keys = [passkey(ada.id, 'b25l'), passkey(ada.id, 'dHdv')];
        for (const p of keys) await store.createPasskey(p);
        // Both read before either writes where the backend runs them side by side (PostgreSQL);
        // where it runs them one after the other (SQLite), the first just waits out the timeout.
        let arrived = 0;
        const bothRead = async () => {
          arrived += 1;
          for (const started = Date.now(); arrived < 2 && Date.now() - started < 300; ) await new Promise((r) => setTimeout(r, 5));
        };
        const removeUnlessLast = (id: string) =>
          store.transaction(async (tx) => {
            const left = await tx.listPasskeys(ada.id);
            await bothRead();
            if (left.length > 1) await tx.deletePasskey(ada.id, id);
          });
        await Promise.all(keys.map((p) => removeUnlessLast(p.id)));
        expect(await store.listPasskeys(ada.id)).toHaveLength(1);
      });
    });

    describe('mail queue', () => {
      const mail = (id: string, to = 'ada@example.com', createdAt = T0) => ({ id, to, subject: 's', text: `text ${id}`, html: '<p>h</p>', links: ['https://x.test/a'], createdAt });

      it('hands a due mail to one taker at a time, in queue order, and again after its lease', async () => {
        await store.enqueueMail(mail('001'));
        await store.enqueueMail(mail('002', 'grace@example.com', T0 + 1));
        const taken = await store.claimDueMail(T0 + 1, 1, 1000);
        expect(taken).toEqual([{ ...mail('001'), tries: 1 }]);
        expect((await store.claimDueMail(T0 + 1, 10, 1000)).map((m) => m.id)).toEqual(['002']);
        expect(await store.claimDueMail(T0 + 2, 10, 1000)).toEqual([]);
        expect((await store.claimDueMail(T0 + 1001, 10, 1000)).map((m) => [m.id, m.tries])).toEqual([
          ['001', 2],
          ['002', 2],
        ]);
      });

      it('forgets a sent mail’s body, retries a failed one when due, and gives up on request', async () => {
        await store.enqueueMail(mail('001'));
        await store.enqueueMail(mail('002'));
        await store.claimDueMail(T0, 10, 1000);
        await store.markMailSent('001');
        await store.markMailFailed('002', '421 busy', T0 + 5000);
        expect(await store.claimDueMail(T0 + 4999, 10, 1000)).toEqual([]);
        expect((await store.claimDueMail(T0 + 5000, 10, 1000)).map((m) => m.id)).toEqual(['002']);
        await store.markMailFailed('002', '550 no', null);
        expect(await store.claimDueMail(T0 + 99_999, 10, 1000)).toEqual([]);
        expect(await store.countMailTo('ada@example.com', T0 - 1)).toBe(2);
        expect(await store.countMailTo('ada@example.com', T0)).toBe(0);
        expect(await store.deleteOldMail(T0)).toBe(2);
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

    describe('key revocations', () => {
      let ada: UserRecord;
      beforeEach(async () => {
        ada = user('ada@example.com', { emailVerifiedAt: T0 });
        await store.createUser(ada);
      });

      it('numbers each deleted key’s revocation, and lists those after a revision oldest first with the newest revision', async () => {
        expect(await store.revocationsSince(0)).toEqual({ revision: 0, keyHashes: [], userIds: [] });
        const keys = ['one', 'two', 'three'].map((name) => apiKey(ada.id, name));
        for (const k of keys) await store.createApiKey(k);
        for (const k of keys) expect(await store.deleteApiKey(ada.id, k.id)).toBe(true);
        // Nothing deleted, nothing revoked.
        expect(await store.deleteApiKey(ada.id, keys[0]!.id)).toBe(false);

        expect(await store.revocationsSince(0)).toEqual({ revision: 3, keyHashes: keys.map((k) => k.keyHash), userIds: [] });
        expect(await store.revocationsSince(1)).toEqual({ revision: 3, keyHashes: [keys[1]!.keyHash, keys[2]!.keyHash], userIds: [] });
        expect(await store.revocationsSince(3)).toEqual({ revision: 3, keyHashes: [], userIds: [] });
      });

      it('revokes in the same transaction as the delete: a rolled-back delete revokes nothing', async () => {
        const k = apiKey(ada.id, 'kept');
        await store.createApiKey(k);
        await expect(
          store.transaction(async (tx) => {
            await tx.deleteApiKey(ada.id, k.id);
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        expect(await store.findApiKeyByHash(k.keyHash)).toBeDefined();
        expect(await store.revocationsSince(0)).toEqual({ revision: 0, keyHashes: [], userIds: [] });
      });

      it('forgets old revocations but always keeps the newest, so revisions never go back', async () => {
        const keys = ['a', 'b', 'c'].map((name) => apiKey(ada.id, name));
        for (const k of keys) await store.createApiKey(k);
        for (const k of keys.slice(0, 2)) await store.deleteApiKey(ada.id, k.id);
        expect(await store.deleteOldRevocations(0)).toBe(0);
        expect(await store.deleteOldRevocations(Date.now() + 60_000)).toBe(1);
        expect(await store.revocationsSince(0)).toEqual({ revision: 2, keyHashes: [keys[1]!.keyHash], userIds: [] });
        await store.deleteApiKey(ada.id, keys[2]!.id);
        expect(await store.revocationsSince(2)).toEqual({ revision: 3, keyHashes: [keys[2]!.keyHash], userIds: [] });
      });
    });

    describe('passkeys', () => {
      it('keeps every field, finds one by credential id, lists a user’s oldest first and records each use', async () => {
        const ada = user('ada@example.com', { emailVerifiedAt: T0 });
        await store.createUser(ada);
        const laptop = passkey(ada.id, 'bGFwdG9w', { createdAt: T0 + 1 });
        const phone = passkey(ada.id, 'cGhvbmU', { createdAt: T0 + 2, deviceType: 'singleDevice', backedUp: false, transports: [] });
        await store.createPasskey(phone);
        await store.createPasskey(laptop);
        expect(await store.findPasskeyByCredentialId('bGFwdG9w')).toEqual(laptop);
        expect(await store.findPasskeyByCredentialId('bm9uZQ')).toBeUndefined();
        expect(await store.listPasskeys(ada.id)).toEqual([laptop, phone]);
        await store.recordPasskeyUse(laptop.id, 7, T0 + 50);
        expect(await store.findPasskeyByCredentialId('bGFwdG9w')).toEqual({ ...laptop, counter: 7, lastUsedAt: T0 + 50 });
      });

      it('refuses a credential id registered already, and deletes only its owner’s', async () => {
        const ada = user('ada@example.com');
        const eve = user('eve@example.com');
        await store.createUser(ada);
        await store.createUser(eve);
        const adas = passkey(ada.id, 'YWRh');
        await store.createPasskey(adas);
        await expect(store.createPasskey(passkey(eve.id, 'YWRh'))).rejects.toThrow();
        expect(await store.deletePasskey(eve.id, adas.id)).toBe(false);
        expect(await store.listPasskeys(ada.id)).toHaveLength(1);
        expect(await store.deletePasskey(ada.id, adas.id)).toBe(true);
        expect(await store.deletePasskey(ada.id, adas.id)).toBe(false);
        expect(await store.listPasskeys(ada.id)).toEqual([]);
      });

      it('keeps a sign-up’s pending passkey on its attempt, and a challenge’s payload', async () => {
        const pending = attempt('ada@example.com', { passwordHash: null, passkey: pendingPasskey('bmV3') });
        await store.createAttempt(pending);
        expect(await store.findAttempt(pending.id)).toEqual(pending);
        const challenge: VerificationRecord = { kind: 'webauthn_signup', secretHash: hash('c'), subject: 'default', payload: '{"email":"ada@example.com"}', expiresAt: T0 + 300_000, createdAt: T0 };
        await store.createVerification(challenge);
        expect(await store.consumeVerification('webauthn_signup', hash('c'), T0)).toEqual({ status: 'consumed', verification: challenge });
      });
    });

    describe('identities', () => {
      it('finds an identity by provider and subject only, refuses it twice, and keeps a pending one on its attempt', async () => {
        const ada = user('ada@example.com', { emailVerifiedAt: T0 });
        const eve = user('eve@example.com', { emailVerifiedAt: T0 });
        await store.createUser(ada);
        await store.createUser(eve);
        const identity = { provider: 'https://id.example', subject: 'ada-1', userId: ada.id, email: 'ada@example.com', createdAt: T0 };
        await store.createIdentity(identity);
        expect(await store.findIdentity('https://id.example', 'ada-1')).toEqual(identity);
        expect(await store.findIdentity('https://other.example', 'ada-1')).toBeUndefined();
        await expect(store.createIdentity({ ...identity, userId: eve.id })).rejects.toThrow();
        expect(await store.findIdentity('https://id.example', 'ada-1')).toEqual(identity);

        const pending = attempt('new@example.com', { passwordHash: null, identity: { provider: 'github', subject: '42', email: 'new@example.com', createdAt: T0 } });
        await store.createAttempt(pending);
        expect(await store.findAttempt(pending.id)).toEqual(pending);
      });
    });

    it('can be closed twice', async () => {
      await store.close();
      await store.close();
    });
  });
}
