/**
 * One load run, in its own process so the load generator never shares an event loop with the
 * server: `node --import tsx bench/load.ts '<json LoadSpec>'` prints a `LoadResult` as JSON.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  /** One Authorization header value per connection, round robin; none for the bare route. */
  authorizations?: string[];
  /**
   * A file of Authorization header values, one per line, used in turn by every request rather
   * than one per connection: the cold case, where few requests repeat a key. Too many values
   * for a command line.
   */
  rotateAuthorizationsFile?: string;
  /**
   * POST sign-ins, each with a new email from a new client (X-Forwarded-For: a new IPv6 /64),
   * as a flood spread over many addresses would send them. Numbered from `firstIndex`.
   */
  signInFlood?: { firstIndex: number };
  /** Stop after this many requests instead of after `durationSeconds`. */
  amount?: number;
  /** Requests per second over all connections: latency at a steady load, not at saturation. */
  overallRate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  /** Answers per HTTP status. */
  statuses: Record<string, number>;
}

/** The n-th flood sign-in: its own email and its own /64. */
function floodRequest(n: number) {
  const high = ((n >>> 16) & 0xffff).toString(16);
  const low = (n & 0xffff).toString(16);
  return {
    method: 'POST',
    path: '/api/signin',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `2001:db8:${high}:${low}::1` },
    body: JSON.stringify({ email: `flood${n}@bench.example`, password: 'not the password' }),
  };
}

async function main(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const keys = spec.authorizations;
  let n = spec.signInFlood?.firstIndex ?? 0;
  const rotating = spec.rotateAuthorizationsFile ? readFileSync(spec.rotateAuthorizationsFile, 'utf8').split('\n').filter(Boolean) : undefined;
  let turn = 0;
  const requests = spec.signInFlood
    ? [{ setupRequest: (request: object) => ({ ...request, ...floodRequest(n++) }) }]
    : rotating
      ? [{ setupRequest: (request: { headers?: Record<string, string> }) => ({ ...request, headers: { ...request.headers, authorization: rotating[turn++ % rotating.length]! } }) }]
      : undefined;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    amount: spec.amount,
    overallRate: spec.overallRate,
    setupClient: keys?.length ? (client) => client.setHeaders({ authorization: keys[next++ % keys.length]! }) : undefined,
    requests,
  });
  const total = result.requests.total;
  return {
    requestsPerSecond: total / result.duration,
    total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, average: result.latency.average },
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count])),
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
process.stdout.write(`${JSON.stringify(await main(spec))}\n`);
