import type { Context } from 'hono';
import { requestHeader, socketAddress } from '../auth/node-request.js';
import { formatIp, inRange, type IpBytes, type IpRange, parseIp, parseRange } from './ip.js';

/**
 * Which proxies in front of the server may say who the client is (`PERSO_TRUST_PROXY`):
 * the last `hops` proxies (0: none, the socket's address is the client), or every proxy
 * whose address is in `ranges`.
 */
export type TrustProxy = { hops: number } | { ranges: readonly IpRange[] };

/** More proxies than any real deployment chains; also bounds the work one header can cause. */
export const MAX_PROXY_HOPS = 32;

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * `true`/`false`, a hop count, or a comma-separated list of addresses, CIDR ranges and the
 * names `loopback`, `linklocal`, `uniquelocal` (as Express's `trust proxy`). `true` is one hop.
 * Undefined when the value is none of these.
 */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'true') return { hops: 1 };
  if (value === 'false') return { hops: 0 };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= MAX_PROXY_HOPS ? { hops } : undefined;
  }
  const ranges: IpRange[] = [];
  for (const item of value.split(',').map((s) => s.trim())) {
    for (const spec of NAMED_RANGES[item] ?? [item]) {
      const range = parseRange(spec);
      if (!range) return undefined;
      ranges.push(range);
    }
  }
  return { ranges };
}

/** X-Forwarded-For entries read from the right, the end proxies append to, without splitting the whole header. */
function* fromTheRight(header: string): Generator<string> {
  let end = header.length;
  while (end > 0) {
    const comma = header.lastIndexOf(',', end - 1);
    yield header.slice(comma + 1, end).trim();
    end = comma;
  }
}

/**
 * The client as bytes, or the socket's own text when it is not an IP address: the right-most
 * X-Forwarded-For hop not written by a trusted proxy. Entries to the left of it were written by
 * the client and are never believed. When a hop that should be an address is not one, the
 * proxy that passed it on is the client.
 */
function client(c: Context, trust: TrustProxy): IpBytes | string {
  const socket = socketAddress(c) ?? 'unknown';
  const hops = 'hops' in trust ? trust.hops : MAX_PROXY_HOPS;
  const trusted = 'hops' in trust ? undefined : (address: IpBytes) => trust.ranges.some((r) => inRange(address, r));
  const header = hops > 0 ? requestHeader(c, 'x-forwarded-for') : undefined;
  let current: IpBytes | undefined;
  // With a hop count the socket is a trusted proxy whatever its address, so it is only parsed if it is the answer.
  if (trusted || !header) {
    current = parseIp(socket);
    if (!current || !header || (trusted && !trusted(current))) return current ?? socket;
  }
  let seen = 0;
  for (const entry of fromTheRight(header)) {
    const address = parseIp(entry);
    if (!address) break;
    current = address;
    if (++seen >= hops || (trusted && !trusted(current))) break;
  }
  return current ?? parseIp(socket) ?? socket;
}

/** The client's address, normalised: `::ffff:1.2.3.4` is `1.2.3.4`, one spelling per IPv6 address. */
export function clientAddress(c: Context, trust: TrustProxy): string {
  const address = client(c, trust);
  return typeof address === 'string' ? address : formatIp(address);
}

function keyFor(address: IpBytes | string): string {
  if (typeof address === 'string' || address.length === 4) return typeof address === 'string' ? address : formatIp(address);
  const prefix = new Uint8Array(16);
  prefix.set(address.subarray(0, 8));
  return `${formatIp(prefix)}/64`;
}

/**
 * The rate-limit key for an address: IPv4 as is, IPv6 by its /64, since one subscriber
 * usually holds a whole /64 (2^64 addresses) and could otherwise dodge every per-address limit.
 */
export const rateLimitKeyForAddress = (address: string): string => keyFor(parseIp(address) ?? address);

/** `rateLimitKeyForAddress(clientAddress(c, trust))` without formatting and parsing in between: what per-address limits count by. */
export const clientRateLimitKey = (c: Context, trust: TrustProxy): string => keyFor(client(c, trust));
