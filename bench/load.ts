// One measurement: autocannon against the SOAP endpoint at a fixed number of
// connections, each request with a fresh body so the load is spread over many
// customers rather than one cached row.
//
// autocannon (a devDependency): the usual Node.js HTTP load generator
// (mcollina/autocannon, used for Node.js's and Fastify's own HTTP benchmarks);
// unlike ab, or wrk without Lua, it rebuilds every request (setupRequest) and
// hands each response's status, body and latency to the bench.
//
// Why the figures are taken from the bench's own per-response record and not
// from autocannon's summary: a Node.js server on Linux accepts one new
// connection per event-loop turn. When autocannon opens its connections at
// once and each immediately sends an expensive request, connection k is only
// accepted after k - 1 turns that each serve every connection already in, so
// the last connections wait seconds for their first answer (at 20 ms a
// request, 32 connections take about 10 s to be all in). That is the server's
// admission of new connections, not its steady state, and it would make up
// most of a 10 s window. So every connection first asks GET /health (cheap, so
// the turns are short and all connections are in within a fraction of a
// second); when all have had an answer they switch to the operation together,
// and only answers after a warm-up that follows are counted.
import autocannon from 'autocannon';
import { fmt } from './format.js';
import { SOAP_PATH, soapHeaders, type Operation } from './soap-requests.js';

export interface LoadSpec {
  readonly title: string;
  readonly op: Operation;
  /** Called once per request. */
  readonly nextBody: () => string;
  /** A request other than a SOAP POST (the /xml and /api resources): its method, headers, and path per request. */
  readonly http?: { readonly method: 'GET' | 'POST'; readonly headers: Record<string, string>; readonly nextPath: () => string };
}

export interface LoadOptions {
  readonly url: string;
  /** Length of the counted window. */
  readonly seconds: number;
  readonly connections: number;
  /** Uncounted load after the switch, so JIT and caches are warm when the clock runs. */
  readonly warmupSeconds: number;
  /** The server's CPU time so far in seconds, when it can be read: gives CPU per answer. */
  readonly serverCpuSeconds?: () => number | undefined;
}

export interface LoadResult {
  readonly title: string;
  /** Answers counted (in the window). */
  readonly requests: number;
  readonly windowSeconds: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanBytes: number;
  /**
   * Server CPU time (all its threads) per counted answer, in µs: unlike req/s,
   * it hardly depends on what else the machine runs, so builds compare on it.
   */
  readonly serverCpuMicros: number | undefined;
  /** Milliseconds until every connection had its first answer (the admission phase). */
  readonly admissionMs: number;
  /** Non-2xx answers over the whole run, admission and warm-up included. */
  readonly non2xx: number;
  /** Connection errors and timeouts: a request with no HTTP answer at all. */
  readonly errors: number;
  readonly firstFault: { readonly status: number; readonly body: string } | undefined;
}

/** Slack for the admission phase, added to the autocannon run. */
const ADMISSION_ALLOWANCE_S = 2;

export async function measure(spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  const { connections } = options;
  let non2xx = 0;
  let firstFault: LoadResult['firstFault'];
  const onResponse = (status: number, body: string): void => {
    if (status >= 200 && status <= 299) return;
    non2xx += 1;
    firstFault ??= { status, body };
  };
  const health: autocannon.Request = { method: 'GET', path: '/health', onResponse };
  const { http } = spec;
  const operation: autocannon.Request = http === undefined
    ? { setupRequest: (request) => ({ ...request, body: spec.nextBody() }), onResponse }
    : {
      setupRequest: (request) => {
        const body = http.method === 'GET' ? undefined : spec.nextBody();
        return { ...request, method: http.method, headers: http.headers, path: http.nextPath(), ...(body === undefined ? {} : { body }) };
      },
      onResponse,
    };

  const clients: autocannon.Client[] = [];
  const admitted = new Set<autocannon.Client>();
  const started = performance.now();
  let switchedAt = Number.POSITIVE_INFINITY;
  let windowStart = Number.POSITIVE_INFINITY;
  let lastCounted = 0;
  // Server CPU at the window's start and at its end, with the answers counted by then.
  let cpuAtStart: number | undefined;
  let cpuAtEnd: { seconds: number | undefined; answers: number } | undefined;
  const latencies: number[] = [];
  let bytes = 0;

  const setupClient = (client: autocannon.Client): void => {
    clients.push(client);
    client.setRequests([health]);
    // The first answer after the switch may still be a /health one: skipped by the warm-up.
    client.on('response', (_status: number, resBytes: number, responseTime: number) => {
      const now = performance.now();
      if (switchedAt === Number.POSITIVE_INFINITY) {
        admitted.add(client);
        if (admitted.size === connections) {
          switchedAt = now;
          windowStart = now + options.warmupSeconds * 1000;
          for (const c of clients) c.setRequests([operation]);
        }
      } else if (now >= windowStart && now - windowStart <= options.seconds * 1000) {
        if (latencies.length === 0) cpuAtStart = options.serverCpuSeconds?.();
        latencies.push(responseTime);
        bytes += resBytes;
        lastCounted = now;
      } else if (now >= windowStart && cpuAtEnd === undefined) {
        cpuAtEnd = { seconds: options.serverCpuSeconds?.(), answers: latencies.length };
      }
    });
  };

  const result = await autocannon({
    url: options.url + SOAP_PATH,
    connections,
    duration: ADMISSION_ALLOWANCE_S + options.warmupSeconds + options.seconds,
    // A slow answer is a figure to report, not an error: only a hung server should time out.
    timeout: 60,
    method: 'POST',
    headers: soapHeaders(spec.op),
    requests: [health],
    setupClient,
  });

  if (switchedAt === Number.POSITIVE_INFINITY) {
    throw new Error(`${spec.title}: only ${admitted.size} of ${connections} connections had an answer within ${ADMISSION_ALLOWANCE_S} s`);
  }
  const sorted = Float64Array.from(latencies).sort();
  const windowSeconds = latencies.length === 0 ? 0 : (lastCounted - windowStart) / 1000;
  return {
    title: spec.title,
    requests: latencies.length,
    windowSeconds,
    reqPerSec: windowSeconds === 0 ? 0 : latencies.length / windowSeconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: percentile(sorted, 1),
    meanBytes: latencies.length === 0 ? 0 : Math.round(bytes / latencies.length),
    serverCpuMicros: cpuAtStart === undefined || cpuAtEnd?.seconds === undefined || cpuAtEnd.answers === 0
      ? undefined
      : Math.round(((cpuAtEnd.seconds - cpuAtStart) * 1e6) / cpuAtEnd.answers),
    admissionMs: Math.round(switchedAt - started),
    non2xx,
    errors: result.errors,
    firstFault,
  };
}

/** Nearest-rank percentile, rounded to 0.1 ms. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return Math.round(value * 10) / 10;
}

/** One call outside the load, to show what a single answer of the kind measured holds. */
export async function probe(url: string, op: Operation, body: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url + SOAP_PATH, { method: 'POST', headers: soapHeaders(op), body });
  return { status: response.status, body: await response.text() };
}

/** One element of `list`, at random: spreads the load over many customers. */
export function randomOf<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
}

export function printResult(r: LoadResult): void {
  console.log(`  ${r.title}: ${fmt(Math.round(r.reqPerSec))} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (max ${r.maxMs} ms), ` +
    `non-2xx ${r.non2xx}, connection errors ${r.errors}` +
    `${r.serverCpuMicros === undefined ? '' : `; server CPU ${fmt(r.serverCpuMicros)} µs per answer`}`);
  console.log(`    ${fmt(r.requests)} answers in ${r.windowSeconds.toFixed(1)} s, ${fmt(r.meanBytes)} bytes each; ` +
    `all connections admitted after ${r.admissionMs} ms`);
  if (r.firstFault !== undefined) {
    console.log(`  first faulty answer (HTTP ${r.firstFault.status}):\n${r.firstFault.body.slice(0, 5000)}`);
  }
}
