// Fill: BENCH_CUSTOMERS synthetic customers through SOAP UpsertCustomers, a
// full batch (the contract's maximum, 1000) per request, a few requests in
// flight so the server always has the next batch waiting.
//
// Over node:http with exactly one keep-alive socket per request in flight, not
// fetch(): undici's pool grows past that, and a socket it leaves idle for ~4 s
// and then reuses can be closed by the server's 5 s keep-alive timer while the
// server's event loop is busy with a batch, so the POST dies with ECONNRESET
// (seen in about one run in two at a million customers). Here no socket is
// ever idle for more than the time it takes to build the next batch.
import http from 'node:http';
import { numberWidth, syntheticCustomer } from './customers.js';
import { fmt } from './format.js';
import { SOAP_PATH, leafText, leafTexts, soapHeaders, upsertCustomers } from './soap-requests.js';

export interface FillOptions {
  readonly url: string;
  readonly customers: number;
  readonly batchSize: number;
  readonly inFlight: number;
  /** At most this many ids are kept, evenly spread over the fill. */
  readonly keepIds: number;
}

export interface FillResult {
  readonly customers: number;
  readonly seconds: number;
  /** Ids of customers 0, step, 2 step, ... in customer-number order. */
  readonly sampledIds: readonly string[];
  /** Customer number of sampledIds[i] is i * idStep. */
  readonly idStep: number;
}

export async function fill(options: FillOptions): Promise<FillResult> {
  const { url, customers, batchSize, inFlight } = options;
  const width = numberWidth(customers);
  const idStep = Math.max(1, Math.ceil(customers / options.keepIds));
  const sampledIds: string[] = new Array<string>(Math.ceil(customers / idStep)).fill('');
  const batches = Math.ceil(customers / batchSize);
  const progressEvery = Math.max(1, Math.ceil(batches / 10));
  const started = performance.now();
  let nextBatch = 0;
  let done = 0;
  let stored = 0;

  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const sendBatch = async (batch: number): Promise<void> => {
    const first = batch * batchSize;
    const count = Math.min(batchSize, customers - first);
    const records = Array.from({ length: count }, (_, i) => syntheticCustomer(first + i, width));
    const { status, body } = await post(agent, url + SOAP_PATH, soapHeaders('UpsertCustomers'), upsertCustomers(records));
    const failed = Number(leafText(body, 'failed') ?? NaN);
    const ids = leafTexts(body, 'id');
    if (status !== 200 || failed !== 0 || ids.length !== count) {
      throw new Error(`UpsertCustomers of customers ${first}..${first + count - 1}: HTTP ${status}, ` +
        `failed=${String(failed)}, ${ids.length} ids; answer starts:\n${body.slice(0, 3000)}`);
    }
    ids.forEach((id, i) => {
      const n = first + i;
      // Copied: a regexp capture is a slice that would keep the whole answer alive.
      if (n % idStep === 0) sampledIds[n / idStep] = Buffer.from(id, 'utf8').toString('utf8');
    });
    stored += count;
    done += 1;
    if (done % progressEvery === 0 || done === batches) {
      const seconds = (performance.now() - started) / 1000;
      console.log(`  fill: ${fmt(stored)} / ${fmt(customers)} customers (${Math.round((100 * stored) / customers)}%), ` +
        `${seconds.toFixed(1)} s, ${fmt(Math.round(stored / seconds))} customers/s so far`);
    }
  };

  // A tiny worker pool: each worker takes the next batch number until none is left.
  // After a failure the other workers stop taking batches: the first error is the report.
  let aborted = false;
  const worker = async (): Promise<void> => {
    try {
      while (!aborted && nextBatch < batches) await sendBatch(nextBatch++);
    } catch (err) {
      aborted = true;
      throw err;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, batches) }, worker));
  } finally {
    agent.destroy();
  }

  return { customers, seconds: (performance.now() - started) / 1000, sampledIds, idStep };
}

/** One POST over `agent`, the whole answer as text. */
export function post(agent: http.Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
