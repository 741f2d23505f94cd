/**
 * One load run, in its own process so the load generator never shares an event loop with the
 * server: `node --import tsx bench/load.ts '<json LoadSpec>'` prints a `LoadResult` as JSON.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  /** One Authorization header value per connection, round robin; none for the bare route. */
  authorizations?: string[];
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
}

async function main(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const keys = spec.authorizations;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    setupClient: keys?.length ? (client) => client.setHeaders({ authorization: keys[next++ % keys.length]! }) : undefined,
  });
  const total = result.requests.total;
  return {
    requestsPerSecond: total / result.duration,
    total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, average: result.latency.average },
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
process.stdout.write(`${JSON.stringify(await main(spec))}\n`);
