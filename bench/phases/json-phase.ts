// The json phase (issue 18): JSON beside XML for the same work. First the
// two ways of holding JSON to the XSD, in-process (bench/json-validation.ts).
// Then one crm-bridge filled with BENCH_COMPARE_CUSTOMERS customers and the
// same read, search and create as GET/POST /xml/customers and /api/customers
// under the same load, in alternating order over two rounds (xml, json, then
// json, xml), so that the machine's other work weighs on both alike; figures
// as ranges over the rounds.
import { nameTermFor, numberWidth, syntheticCustomer } from '../customers.js';
import { fill } from '../fill.js';
import { fmt } from '../format.js';
import { customerDocument, customerJsonBody } from '../json-requests.js';
import { measureValidation, type ValidationFigures } from '../json-validation.js';
import { measure, printResult, randomOf, type LoadOptions, type LoadResult, type HttpLoadSpec } from '../load.js';
import { startServer, withServer } from '../server-process.js';

const ROUNDS = 2;
const PAGE_LIMIT = 50;

export interface JsonPhaseResult {
  readonly customers: number;
  readonly validation: ValidationFigures;
  /** Per work (get, search, create) and channel: one result per round. */
  readonly load: Record<string, { xml: LoadResult[]; json: LoadResult[] }>;
}

const range = (values: readonly number[]): string => {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? fmt(lo) : `${fmt(lo)}-${fmt(hi)}`;
};

export async function runJsonPhase(customers: number, load: Omit<LoadOptions, 'url'>, serverNodeArgs: readonly string[]): Promise<JsonPhaseResult> {
  console.log('\njson phase: a JSON customer held to the XSD two ways, in-process (µs per customer, parse to DTO)');
  const validation = measureValidation();
  console.log(`  (a) JSON Schema derived from the XSD (Ajv): ${validation.jsonSchema.join(', ')} µs`);
  console.log(`  (b) JSON -> Customer XML -> libxml2 + XSD: ${validation.viaXsd.join(', ')} µs`);
  console.log(`  for scale, the same customer as XML on /xml: ${validation.xml.join(', ')} µs`);

  const results = await withServer(() => startServer(serverNodeArgs), async (server) => {
    const url = server.url;
    console.log(`\njson phase: crm-bridge (pid ${server.pid}), filled with ${fmt(customers)} customers`);
    const filled = await fill({ url, customers, batchSize: 1000, inFlight: 4, keepIds: 10_000 });
    const width = numberWidth(customers * 100);
    let next = customers;
    const fresh = (): ReturnType<typeof syntheticCustomer> => syntheticCustomer(next++, width);
    const spec = (title: string, method: 'GET' | 'POST', headers: Record<string, string>, nextPath: () => string, nextBody: () => string = () => ''): HttpLoadSpec =>
      ({ title, nextRequest: () => ({ method, path: nextPath(), headers, ...(method === 'GET' ? {} : { body: nextBody() }) }) });
    const xmlType = { 'content-type': 'application/xml' };
    const jsonType = { 'content-type': 'application/json' };
    const term = (): string => encodeURIComponent(nameTermFor(Math.floor(Math.random() * customers), numberWidth(customers)));
    const works: Record<string, { xml: HttpLoadSpec; json: HttpLoadSpec }> = {
      get: {
        xml: spec('GET /xml/customers/{id}', 'GET', {}, () => `/xml/customers/${randomOf(filled.sampledIds)}`),
        json: spec('GET /api/customers/{id}', 'GET', {}, () => `/api/customers/${randomOf(filled.sampledIds)}`),
      },
      search: {
        xml: spec(`GET /xml/customers?name=&limit=${PAGE_LIMIT}`, 'GET', {}, () => `/xml/customers?name=${term()}&limit=${PAGE_LIMIT}`),
        json: spec(`GET /api/customers?name=&limit=${PAGE_LIMIT}`, 'GET', {}, () => `/api/customers?name=${term()}&limit=${PAGE_LIMIT}`),
      },
      create: {
        xml: spec('POST /xml/customers', 'POST', xmlType, () => '/xml/customers', () => customerDocument(fresh())),
        json: spec('POST /api/customers', 'POST', jsonType, () => '/api/customers', () => customerJsonBody(fresh())),
      },
    };
    const out: JsonPhaseResult['load'] = {};
    for (const [work, specs] of Object.entries(works)) {
      out[work] = { xml: [], json: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['xml', 'json'] as const) : (['json', 'xml'] as const);
        for (const channel of order) {
          const r = await measure(specs[channel], { url, ...load, serverCpuSeconds: () => server.cpuSeconds() });
          printResult(r);
          out[work]?.[channel].push(r);
        }
      }
    }
    return out;
  });
  console.log('\njson phase, ranges over the rounds (req/s; server CPU µs per answer):');
  for (const [work, r] of Object.entries(results)) {
    const cpu = (list: LoadResult[]): string => range(list.map((x) => x.serverCpuMicros ?? 0));
    console.log(`  ${work}: xml ${range(r.xml.map((x) => Math.round(x.reqPerSec)))} req/s, ${cpu(r.xml)} µs; json ${range(r.json.map((x) => Math.round(x.reqPerSec)))} req/s, ${cpu(r.json)} µs`);
  }
  return { customers, validation, load: results };
}
