// npm run bench: measures crm-bridge and, in the same run on the same machine,
// the baselines and ceilings its figures are read against, then prints two
// markdown tables for docs/performance.md: the comparison (figure, baseline, ratio,
// target) and every figure with the machine. It reports figures and never
// judges them with its exit status: a slow run is still a run (a wrong result,
// a count the layouts or roundtrip phase checks, fails it).
//
// Phases, in this order (BENCH_PHASES selects some, e.g. BENCH_PHASES=compare):
//   ceilings  node:http and express hello-world servers under the same load;
//             xmllint --stream --schema over a BENCH_BATCH_CUSTOMERS CustomerBatch
//             file; raw better-sqlite3 inserts of the same customers, 1000 per
//             transaction, and BENCH_SINGLE_WRITES one transaction each
//   compare   crm-bridge, the node-soap baseline (bench/baseline/) and the same
//             with libxmljs2 validation, each fresh with BENCH_COMPARE_CUSTOMERS
//             customers: GetCustomer, SearchCustomers by name, CreateCustomer
//   auth      GetCustomer by id on copies of one BENCH_COMPARE_CUSTOMERS store, a server
//             without auth and one with it side by side, the load alternating between them
//             one figure at a time (users by `crm-bridge users add`, a JWKS file):
//             WS-Security PasswordText and PasswordDigest, Basic, Bearer RS256 and ES256
//             on SOAP, Basic and Bearer on GET /xml, each beside no auth; a Basic
//             user's first (scrypt) request alone
//   json      a JSON customer held to the XSD two ways in-process (the derived JSON Schema;
//             JSON -> XML -> XSD), then GET/POST /xml/customers beside /api/customers (read,
//             search, create) on one server with BENCH_COMPARE_CUSTOMERS customers, alternating
//   load      crm-bridge filled with BENCH_CUSTOMERS customers through
//             UpsertCustomers: GetCustomer, SearchCustomers (name, unfiltered),
//             GetChanges at that size
//   exchange  a BENCH_BATCH_CUSTOMERS CustomerBatch streamed to POST /xml/batches,
//             then GET /xml/export, with the server's peak RSS
//   batches   the same BENCH_BATCH_CUSTOMERS customers as a CustomerBatch to POST /xml/batches
//             and as a JSON batch to POST /api/batches, a fresh crm-bridge each, over
//             BENCH_BATCH_ROUNDS rounds in alternating order: customers/s, server CPU, peak RSS
//   layouts   BENCH_LAYOUT_CUSTOMERS customers in every layout of bench/batch-layouts.ts
//             (generator first and again last), each imported with `crm-bridge import`
//             into a fresh store: time, rate, CPU, peak RSS, rate ÷ the generator layout's
//   roundtrip at BENCH_BATCH_CUSTOMERS: crm-bridge import into an empty store A, export of A,
//             that export imported into an empty store B (all CREATED) and into A (all
//             UNCHANGED), GET /xml/export streamed into POST /xml/batches, the export dropped
//             into the drop folder (all UNCHANGED); each step timed and its counts checked
//
// Environment (all optional):
//   BENCH_PHASES            comma-separated phases (default: all nine)
//   BENCH_CUSTOMERS         customers of the load phase (default 1,000,000; 20000 for a quick run)
//   BENCH_COMPARE_CUSTOMERS customers of the compare and auth phases (default 10,000, the size the targets name)
//   BENCH_AUTH_ROUNDS       servers with auth in the auth phase, each between two without (default 1)
//   BENCH_BATCH_CUSTOMERS   customers of the exchange, batches and roundtrip phases and of the xmllint and
//                           bulk-insert ceilings (default: BENCH_CUSTOMERS; 0 skips them)
//   BENCH_BATCH_ROUNDS      rounds of the batches phase, each one XML and one JSON import (default 2)
//   BENCH_LAYOUT_CUSTOMERS  customers of each file of the layouts phase (default: BENCH_BATCH_CUSTOMERS; 0 skips it)
//   BENCH_LAYOUTS           the layouts phase's files in order, compared with the first (default: generator,
//                           every other layout, generator again; e.g. generator,pretty,generator,pretty)
//   BENCH_SINGLE_WRITES     customers of the one-transaction-each ceiling (default 2000)
//   BENCH_SECONDS           seconds counted per measurement (default 10)
//   BENCH_WARMUP_SECONDS    uncounted load before each counted window (default 2)
//   BENCH_CONNECTIONS       concurrent connections per measurement (default 32)
//   BENCH_IN_FLIGHT         requests in flight while filling a store (default 4)
//   BENCH_SERVER_NODE_ARGS  node flags for the crm-bridge process only, e.g.
//                           '--cpu-prof --cpu-prof-dir=/tmp/prof' (NODE_OPTIONS refuses --cpu-prof)
//
// A quick run: BENCH_CUSTOMERS=10000 BENCH_SECONDS=3 BENCH_WARMUP_SECONDS=1 npm run bench
import { readBenchConfig } from './bench-config.js';
import { fmt } from './format.js';
import type { LoadOptions } from './load.js';
import { loadAverage, machine, revision } from './machine.js';
import { authVerdict, runAuthPhase } from './phases/auth-phase.js';
import { runBatchesPhase } from './phases/batches-phase.js';
import { runCeilingsPhase } from './phases/ceilings-phase.js';
import { runComparePhase } from './phases/compare-phase.js';
import { runExchangePhase } from './phases/exchange-phase.js';
import { runLayoutsPhase } from './phases/layouts-phase.js';
import { runJsonPhase } from './phases/json-phase.js';
import { runLoadPhase } from './phases/load-phase.js';
import { runRoundtripPhase } from './phases/roundtrip-phase.js';
import type { BenchResults } from './report/bench-results.js';
import { printComparisonTable } from './report/comparison-table.js';
import { printFiguresTable } from './report/figures-table.js';

// Ctrl-C or a kill of the bench: exit through process.exit, so the 'exit'
// handlers of bench/server-process.ts kill every child server.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping the servers`);
    process.exit(130);
  });
}

async function main(): Promise<void> {
  const config = readBenchConfig();
  const load: Omit<LoadOptions, 'url'> = { seconds: config.seconds, connections: config.connections, warmupSeconds: config.warmupSeconds };
  const box = machine();
  // Other work on the machine takes CPU from the server: the load average says whether there was any.
  const loadBefore = loadAverage();
  const measured = revision();
  console.log(`crm-bridge bench: phases ${[...config.phases].join(', ')}; ${box.cpu}, ${box.memory}, ${box.system}, Node ${box.node}; ` +
    `load average ${loadBefore.toFixed(2)}; crm-bridge ${measured}`);
  console.log(`  load phase ${fmt(config.customers)} customers, compare phase ${fmt(config.compareCustomers)}, batch ${fmt(config.batchCustomers)}, ` +
    `layouts ${fmt(config.layoutCustomers)}`);

  const { phases } = config;
  const results: BenchResults = {
    ceilings: phases.has('ceilings')
      ? await runCeilingsPhase({ batchCustomers: config.batchCustomers, singleWrites: config.singleWrites, load })
      : undefined,
    compare: phases.has('compare')
      ? await runComparePhase({ customers: config.compareCustomers, inFlight: config.inFlight, load, serverNodeArgs: config.serverNodeArgs })
      : undefined,
    auth: phases.has('auth')
      ? await runAuthPhase({ customers: config.compareCustomers, rounds: config.authRounds, inFlight: config.inFlight, load, serverNodeArgs: config.serverNodeArgs })
      : undefined,
    json: phases.has('json') ? await runJsonPhase(config.compareCustomers, load, config.serverNodeArgs) : undefined,
    load: phases.has('load')
      ? await runLoadPhase({ customers: config.customers, inFlight: config.inFlight, load, serverNodeArgs: config.serverNodeArgs })
      : undefined,
    exchange: phases.has('exchange') && config.batchCustomers > 0 ? await runExchangePhase(config.batchCustomers, config.serverNodeArgs) : undefined,
    batches: phases.has('batches') && config.batchCustomers > 0 ? await runBatchesPhase(config.batchCustomers, config.batchRounds, config.serverNodeArgs) : undefined,
    layouts: phases.has('layouts') && config.layoutCustomers > 0 ? await runLayoutsPhase(config.layoutCustomers, config.layoutOrder) : undefined,
    roundtrip: phases.has('roundtrip') && config.batchCustomers > 0 ? await runRoundtripPhase(config.batchCustomers, config.serverNodeArgs) : undefined,
  };

  printComparisonTable(results);
  if (results.auth !== undefined) console.log(`\n${authVerdict(results.auth)}`);
  printFiguresTable(results, {
    revision: measured,
    machine: box,
    loadBefore,
    loadAfter: loadAverage(),
    connections: config.connections,
    seconds: config.seconds,
    warmupSeconds: config.warmupSeconds,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
