import type { Context } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, rateLimitKeyForAddress, type TrustProxy } from '../../server/http/client-address.js';
import { bearer, createKey } from './api-keys.helpers.js';
import { createHarness, type Harness, testConfig } from './helpers.js';

/** What @hono/node-server hands the app: the socket's peer and Node's parsed headers. */
const served = (remoteAddress: string, forwardedFor?: string, headers: Record<string, string> = {}) =>
  ({ env: { incoming: { socket: { remoteAddress }, headers: forwardedFor === undefined ? headers : { ...headers, 'x-forwarded-for': forwardedFor } } } }) as unknown as Context;

const trust = (value: string): TrustProxy => {
  const parsed = parseTrustProxy(value);
  if (!parsed) throw new Error(`refused ${value}`);
  return parsed;
};

describe('PERSO_TRUST_PROXY', () => {
  it('reads true, false, hop counts, addresses, CIDR ranges and named ranges', () => {
    expect(parseTrustProxy('true')).toEqual({ hops: 1 });
    expect(parseTrustProxy('false')).toEqual({ hops: 0 });
    expect(parseTrustProxy('0')).toEqual({ hops: 0 });
    expect(parseTrustProxy('2')).toEqual({ hops: 2 });
    expect(parseTrustProxy('10.0.0.0/8, 192.0.2.7, fd00::/8')).toMatchObject({ ranges: [{ prefix: 8 }, { prefix: 32 }, { prefix: 8 }] });
    expect(parseTrustProxy('loopback,uniquelocal')).toMatchObject({ ranges: { length: 6 } });
  });

  it.each(['yes', '33', '-1', '10.0.0.0/33', '10.0.0.0/8, not-an-address', '10.0.0.0/8/1', '2001:db8::/129', ' '])('refuses %j', (value) => {
    expect(parseTrustProxy(value)).toBeUndefined();
  });
});

describe('clientAddress', () => {
  it('with false (the default) believes only the socket, whatever X-Forwarded-For says', () => {
    expect(clientAddress(served('203.0.113.5', '198.51.100.1'), trust('false'))).toBe('203.0.113.5');
  });

  it('with one hop takes the entry the proxy appended and ignores the client-written left-most one', () => {
    expect(clientAddress(served('10.0.0.1', '198.51.100.1, 203.0.113.5'), trust('true'))).toBe('203.0.113.5');
    expect(clientAddress(served('10.0.0.1', '203.0.113.5'), trust('1'))).toBe('203.0.113.5');
    expect(clientAddress(served('10.0.0.1'), trust('1'))).toBe('10.0.0.1');
  });

  it('with two hops takes the second entry from the right', () => {
    expect(clientAddress(served('10.0.0.1', '198.51.100.1, 203.0.113.5, 10.0.0.2'), trust('2'))).toBe('203.0.113.5');
  });

  it('with ranges walks from the socket to the right-most untrusted hop', () => {
    const ranges = trust('10.0.0.0/8, 2001:db8:ffff::/48');
    expect(clientAddress(served('10.0.0.1', '198.51.100.1, 203.0.113.5, 10.9.9.9'), ranges)).toBe('203.0.113.5');
    expect(clientAddress(served('2001:db8:ffff::1', '198.51.100.1, 2001:db8:1::5'), ranges)).toBe('2001:db8:1:0:0:0:0:5');
    // A socket outside the ranges is the client; what it forwards is not believed.
    expect(clientAddress(served('203.0.113.9', '198.51.100.1'), ranges)).toBe('203.0.113.9');
    // All trusted: the left-most.
    expect(clientAddress(served('10.0.0.1', '10.0.0.3, 10.0.0.2'), ranges)).toBe('10.0.0.3');
  });

  it('treats a hop that is not an address as written by the client: the proxy that passed it on is the client', () => {
    expect(clientAddress(served('10.0.0.1', '203.0.113.5, <script>'), trust('2'))).toBe('10.0.0.1');
    expect(clientAddress(served('10.0.0.1', 'x'.repeat(8192)), trust('true'))).toBe('10.0.0.1');
  });

  it('gives one spelling per address: IPv4-mapped IPv6 is IPv4, IPv6 in full', () => {
    expect(clientAddress(served('::ffff:203.0.113.5'), trust('false'))).toBe('203.0.113.5');
    expect(clientAddress(served('2001:DB8::0:1'), trust('false'))).toBe('2001:db8:0:0:0:0:0:1');
    expect(clientAddress(served('10.0.0.1', '::ffff:cb00:7105'), trust('true'))).toBe('203.0.113.5');
  });
});

describe('rateLimitKeyForAddress', () => {
  it('keys IPv6 by its /64 and IPv4 by the address', () => {
    const key = rateLimitKeyForAddress('2001:db8:1:2:aaaa::1');
    expect(key).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(rateLimitKeyForAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key);
    expect(rateLimitKeyForAddress('2001:db8:1:3::1')).not.toBe(key);
    expect(rateLimitKeyForAddress('203.0.113.5')).toBe('203.0.113.5');
    expect(rateLimitKeyForAddress('203.0.113.6')).not.toBe('203.0.113.5');
  });
});

describe('per-address limits through the app', () => {
  let h: Harness;
  afterEach(() => h.close());
  const invalid = (i: number) => bearer(`pak-${i.toString(16).padStart(32, '0')}`);
  const v1From = (socket: string, headers: Record<string, string>, forwardedFor?: string) =>
    h.app.request('/v1/whoami', {}, served(socket, forwardedFor, headers).env);

  it('cannot be framed: behind one trusted hop, naming a victim in X-Forwarded-For throttles only the sender', async () => {
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) statuses.add((await v1From('10.0.0.1', invalid(i), '198.51.100.50, 203.0.113.66')).status);
    expect([...statuses].sort()).toEqual([401, 429]);
    expect((await v1From('10.0.0.1', invalid(0), '203.0.113.66')).status).toBe(429);
    expect((await v1From('10.0.0.1', invalid(0), '198.51.100.50')).status).toBe(401);
  });

  it('puts IPv6 addresses of one /64 in one bucket, and other /64s in their own', async () => {
    h = createHarness();
    for (let i = 0; i < 100; i++) expect((await v1From(`2001:db8:1:2::${i.toString(16)}`, invalid(i))).status).toBe(401);
    expect((await v1From('2001:db8:1:2:ffff::1', invalid(0))).status).toBe(429);
    expect((await v1From('2001:db8:1:3::1', invalid(0))).status).toBe(401);
  });

  it('keeps answering a valid key with 200 while its address is throttled for invalid ones', async () => {
    h = createHarness();
    await h.signUpVerified();
    const { secret } = await createKey(h);
    for (let i = 0; i < 120; i++) await v1From('192.0.2.10', invalid(i));
    expect((await v1From('192.0.2.10', invalid(999))).status).toBe(429);
    for (let i = 0; i < 20; i++) expect((await v1From('192.0.2.10', bearer(secret))).status).toBe(200);
    expect((await v1From('192.0.2.10', invalid(1000))).status).toBe(429);
  });
});
