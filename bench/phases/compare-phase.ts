// The compare phase: crm-bridge (one process, and two worker processes) and
// the node-soap baseline (without and with libxmljs2 validation), each fresh,
// each filled with the same BENCH_COMPARE_CUSTOMERS synthetic customers, each
// measured with the same autocannon settings: GetCustomer by id, SearchCustomers by name substring
// (limit 50), then CreateCustomer with a new externalId per request (last, so
// the reads see exactly the filled store). One server at a time, so they
// never compete for the CPU.
import { fileURLToPath } from 'node:url';
import { nameTermFor, numberWidth, syntheticCustomer } from '../customers.js';
import { fill } from '../fill.js';
import { fillByCreate } from '../fill-by-create.js';
import { fmt } from '../format.js';
import { measure, printResult, probe, randomOf, type LoadOptions, type LoadResult, type LoadSpec } from '../load.js';
import { startChildServer, startServer, withServer, type ServerProcess } from '../server-process.js';
import { createCustomer, customerCount, getCustomerById, leafText, searchCustomers } from '../soap-requests.js';

const BASELINE_MAIN = fileURLToPath(new URL('../baseline/baseline-main.js', import.meta.url));
const PAGE_LIMIT = 50;

/** crm-bridge twice, by its CRM_WORKERS: as one process (the default), and as two worker processes (one per core here). */
export const CRM_BRIDGE_WORKERS = { 'crm-bridge': 1, 'crm-bridge, CRM_WORKERS=2': 2 } as const;
type CrmBridge = keyof typeof CRM_BRIDGE_WORKERS;
export const CRM_BRIDGES = Object.keys(CRM_BRIDGE_WORKERS) as CrmBridge[];

export const CONTENDERS = [...CRM_BRIDGES, 'node-soap', 'node-soap + libxmljs2'] as const;
export type Contender = (typeof CONTENDERS)[number];

function isCrmBridge(contender: Contender): contender is CrmBridge {
  return contender in CRM_BRIDGE_WORKERS;
}

export interface ContenderResult {
  readonly fillSeconds: number;
  readonly get: LoadResult;
  readonly search: LoadResult;
  readonly create: LoadResult;
}

export interface ComparePhaseResult {
  readonly customers: number;
  readonly results: Readonly<Record<Contender, ContenderResult>>;
}

export interface ComparePhaseOptions {
  readonly customers: number;
  readonly inFlight: number;
  readonly load: Omit<LoadOptions, 'url'>;
  readonly serverNodeArgs: readonly string[];
}

function start(contender: Contender, serverNodeArgs: readonly string[]): Promise<ServerProcess> {
  if (isCrmBridge(contender)) return startServer(serverNodeArgs, { workers: CRM_BRIDGE_WORKERS[contender] });
  return startChildServer({
    name: contender,
    script: BASELINE_MAIN,
    // `node server.js`, as the typical service is run: no tuning flags.
    nodeArgs: [],
    env: (dataDir) => ({ BASELINE_DATA_DIR: dataDir, BASELINE_VALIDATE: contender === 'node-soap' ? '0' : '1' }),
    dbFileName: 'baseline.db',
  });
}

/** Fills the store; the ids of the customers, in customer-number order. */
async function fillFor(contender: Contender, server: ServerProcess, customers: number, inFlight: number): Promise<{ seconds: number; ids: readonly string[] }> {
  if (isCrmBridge(contender)) {
    console.log(`  fill: UpsertCustomers, 1000 per request, ${inFlight} in flight`);
    const filled = await fill({ url: server.url, customers, batchSize: 1000, inFlight, keepIds: customers });
    return { seconds: filled.seconds, ids: filled.sampledIds };
  }
  console.log(`  fill: CreateCustomer, one customer per request, ${inFlight} in flight (the baseline has no UpsertCustomers)`);
  return fillByCreate(server.url, customers, inFlight);
}

/**
 * One sample call with `sampleBody` (printed, and checked: a server that
 * answers something else is not doing the work being compared; this is not a
 * judgement of its figures), then the measurement.
 */
async function runOne(spec: LoadSpec, sampleBody: string, expectedCustomers: number, server: ServerProcess, load: Omit<LoadOptions, 'url'>): Promise<LoadResult> {
  const url = server.url;
  const sample = await probe(url, spec.op, sampleBody);
  const found = customerCount(sample.body);
  const total = leafText(sample.body, 'total');
  console.log(`\n  ${spec.title}: one answer is HTTP ${sample.status}, ${found} customers${total === undefined ? '' : ` of total ${total}`}, ` +
    `${fmt(Buffer.byteLength(sample.body))} bytes`);
  if (sample.status !== 200 || found !== expectedCustomers) {
    throw new Error(`${spec.title}: expected HTTP 200 with ${expectedCustomers} customers, got:\n${sample.body.slice(0, 3000)}`);
  }
  const result = await measure(spec, { url, ...load, serverCpuSeconds: () => server.cpuSeconds() });
  printResult(result);
  return result;
}

async function measureContender(contender: Contender, options: ComparePhaseOptions): Promise<ContenderResult> {
  const { customers, load } = options;
  return withServer(() => start(contender, options.serverNodeArgs), async (server) => {
    const url = server.url;
    console.log(`\ncompare: ${contender} (pid ${server.pid}) at ${url}`);
    const filled = await fillFor(contender, server, customers, options.inFlight);
    console.log(`  filled ${fmt(customers)} customers in ${filled.seconds.toFixed(1)} s`);
    const width = numberWidth(customers);
    const getSpec: LoadSpec = { title: 'GetCustomer by id', op: 'GetCustomer', nextBody: () => getCustomerById(randomOf(filled.ids)) };
    const get = await runOne(getSpec, getSpec.nextBody(), 1, server, load);
    const searchSpec: LoadSpec = {
      title: `SearchCustomers name substring, limit ${PAGE_LIMIT}`,
      op: 'SearchCustomers',
      nextBody: () => searchCustomers(nameTermFor(Math.floor(Math.random() * customers), width), PAGE_LIMIT),
    };
    // The term of customers 0..9: ten matches in any store of ten or more.
    const search = await runOne(searchSpec, searchCustomers(nameTermFor(0, width), PAGE_LIMIT), Math.min(10, customers), server, load);
    // Numbers after the filled ones: a new externalId for every request, warm-up included.
    let nextNew = customers;
    const createSpec: LoadSpec = {
      title: 'CreateCustomer, new externalId per request',
      op: 'CreateCustomer',
      nextBody: () => createCustomer(syntheticCustomer(nextNew++, width)),
    };
    const create = await runOne(createSpec, createSpec.nextBody(), 1, server, load);
    return { fillSeconds: filled.seconds, get, search, create };
  });
}

export async function runComparePhase(options: ComparePhaseOptions): Promise<ComparePhaseResult> {
  console.log(`\ncompare phase: crm-bridge and the node-soap baselines, each fresh with the same ${fmt(options.customers)} customers, ` +
    `${options.load.connections} connections, ${options.load.warmupSeconds} s warm-up, ${options.load.seconds} s counted, one server at a time`);
  const results: Partial<Record<Contender, ContenderResult>> = {};
  for (const contender of CONTENDERS) results[contender] = await measureContender(contender, options);
  return { customers: options.customers, results: results as Record<Contender, ContenderResult> };
}
