/**
 * A steady load, in its own process: `node --import tsx bench/paced-load.ts '<json PacedSpec>'`
 * prints a `PacedResult` as JSON. Requests are sent on a fixed schedule (one every
 * 1000 / rate ms, spread over `connections` kept-alive sockets) and each latency is measured
 * from the moment the request was *due*, not from when a socket was free to send it (as wrk2
 * does): a stalled server is charged for every request that waited behind the stall, once each.
 *
 * Why not autocannon's `overallRate`: it sends each connection's share of a second back to back
 * at the start of the second, then waits, and corrects for coordinated omission with a 1 ms
 * expected interval, so one 100 ms stall is recorded as ~100 samples; its histogram also counts
 * whole milliseconds, so an idle p99 below 1 ms cannot be told from 1 ms. Both bend a ratio of
 * p99s in ways that depend on the machine's noise more than on the server.
 */
import { Agent, request } from 'node:http';

export interface PacedSpec {
  url: string;
  /** Requests per second over all connections. */
  rate: number;
  connections: number;
  durationSeconds: number;
  /** One Authorization header value per request, round robin; none for a public route. */
  authorizations?: string[];
}

export interface PacedResult {
  total: number;
  /** Answers per HTTP status. */
  statuses: Record<string, number>;
  /** Requests with no answer within 10 s, or whose socket failed. */
  errors: number;
  /** From when each request was due to its last byte, every answered request, in ms. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
}

const TIMEOUT_MS = 10_000;

const percentile = (sorted: readonly number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]! : Number.NaN);

async function main(spec: PacedSpec): Promise<PacedResult> {
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const interval = 1000 / spec.rate;
  const count = Math.round(spec.rate * spec.durationSeconds);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let pending = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const send = (i: number, due: number) => {
    pending += 1;
    const authorization = spec.authorizations?.length ? spec.authorizations[i % spec.authorizations.length] : undefined;
    const settle = (status: number | undefined) => {
      if (status === undefined) errors += 1;
      else {
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(performance.now() - due);
      }
      pending -= 1;
      if (pending === 0 && next >= count) done();
    };
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent, headers: authorization ? { authorization } : {}, timeout: TIMEOUT_MS }, (res) => {
      res.on('data', () => {});
      res.on('end', () => settle(res.statusCode));
      res.on('error', () => settle(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => settle(undefined));
    req.end();
  };

  // Warm the sockets so connection set-up is not in the figures.
  await Promise.all(
    Array.from(
      { length: spec.connections },
      () =>
        new Promise<void>((resolve) => {
          const headers: Record<string, string> = spec.authorizations?.length ? { authorization: spec.authorizations[0]! } : {};
          request({ host: url.hostname, port: url.port, path: url.pathname, agent, headers }, (res) => res.resume().on('end', resolve)).on('error', () => resolve()).end();
        }),
    ),
  );

  const start = performance.now() + 10;
  let next = 0;
  const tick = () => {
    const now = performance.now();
    // Everything due by now goes out now, each still timed from when it was due.
    while (next < count && start + next * interval <= now) {
      send(next, start + next * interval);
      next += 1;
    }
    if (next < count) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
  };
  setTimeout(tick, 10);
  await finished;
  agent.destroy();

  const sorted = latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    total: count,
    statuses,
    errors,
    latencyMs: {
      p50: round(percentile(sorted, 0.5)),
      p90: round(percentile(sorted, 0.9)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted.at(-1) ?? Number.NaN),
      average: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    },
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as PacedSpec;
process.stdout.write(`${JSON.stringify(await main(spec))}\n`);
