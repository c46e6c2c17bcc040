// npm run bench: starts the service, fills it through UpsertCustomers, measures
// the read operations under load and the streamed batch exchange, and prints a
// markdown table for the README. It reports figures and never judges them: a
// slow run is still a run.
//
// Phases, in this order (BENCH_PHASES selects some, e.g. BENCH_PHASES=load):
//   load      crm-bridge filled with BENCH_CUSTOMERS customers through
//             UpsertCustomers: GetCustomer, SearchCustomers (name, unfiltered),
//             GetChanges at that size
//   exchange  a BENCH_BATCH_CUSTOMERS CustomerBatch streamed to POST /xml/batches,
//             then GET /xml/export, with the server's peak RSS
//
// Environment (all optional):
//   BENCH_PHASES            comma-separated phases (default: both)
//   BENCH_CUSTOMERS         customers of the load phase (default 1,000,000; 20000 for a quick run)
//   BENCH_BATCH_CUSTOMERS   customers of the exchange phase (default: BENCH_CUSTOMERS; 0 skips it)
//   BENCH_SECONDS           seconds counted per measurement (default 10)
//   BENCH_WARMUP_SECONDS    uncounted load before each counted window (default 2)
//   BENCH_CONNECTIONS       concurrent connections per measurement (default 32)
//   BENCH_IN_FLIGHT         UpsertCustomers requests in flight during the fill (default 4)
//   BENCH_SERVER_NODE_ARGS  node flags for the crm-bridge process only, e.g.
//                           '--cpu-prof --cpu-prof-dir=/tmp/prof' (NODE_OPTIONS refuses --cpu-prof)
//
// A quick run: BENCH_CUSTOMERS=20000 npm run bench
import { readBenchConfig } from './bench-config.js';
import { fmt } from './format.js';
import type { LoadOptions } from './load.js';
import { loadAverage, machine, revision } from './machine.js';
import { runExchangePhase } from './phases/exchange-phase.js';
import { runLoadPhase } from './phases/load-phase.js';
import type { BenchResults } from './report/bench-results.js';
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
  console.log(`  load phase ${fmt(config.customers)} customers, batch ${fmt(config.batchCustomers)}`);

  const { phases } = config;
  const results: BenchResults = {
    load: phases.has('load')
      ? await runLoadPhase({ customers: config.customers, inFlight: config.inFlight, load, serverNodeArgs: config.serverNodeArgs })
      : undefined,
    exchange: phases.has('exchange') && config.batchCustomers > 0 ? await runExchangePhase(config.batchCustomers, config.serverNodeArgs) : undefined,
  };

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
