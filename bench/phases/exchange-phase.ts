// The exchange phase: the streamed batch exchange on a fresh crm-bridge of its
// own (so its peak memory is its own): a BENCH_BATCH_CUSTOMERS CustomerBatch
// streamed to POST /xml/batches, then GET /xml/export of the same store.
import { exportAll, importBatch, type PhaseResult } from '../batch-exchange.js';
import { fmt, mib } from '../format.js';
import { startServer, withServer } from '../server-process.js';

export interface ExchangePhaseResult {
  readonly customers: number;
  readonly imported: PhaseResult & { created: number; failed: number };
  readonly exported: PhaseResult;
}

export function runExchangePhase(customers: number, serverNodeArgs: readonly string[]): Promise<ExchangePhaseResult> {
  return withServer(() => startServer(serverNodeArgs), async (server) => {
    console.log(`\nexchange phase: a ${fmt(customers)}-customer CustomerBatch streamed to POST /xml/batches, then GET /xml/export (fresh crm-bridge ${server.pid})`);
    const imported = await importBatch(server, customers, (n) => console.log(`  wrote the ${fmt(n)}-customer file to send (not timed)`));
    console.log(`  import: ${imported.seconds.toFixed(1)} s, ${fmt(Math.round(imported.perSecond))} customers/s, ${fmt(imported.created)} created, ` +
      `${fmt(imported.failed)} failed, ${(imported.bytes / 2 ** 20).toFixed(0)} MiB sent, server peak RSS ${mib(imported.peakRssBytes)}`);
    const exported = await exportAll(server);
    console.log(`  export: ${exported.seconds.toFixed(1)} s, ${fmt(Math.round(exported.perSecond))} customers/s, ${fmt(exported.items)} customers, ` +
      `${(exported.bytes / 2 ** 20).toFixed(0)} MiB, server peak RSS ${mib(exported.peakRssBytes)}`);
    return { customers, imported, exported };
  });
}

export function exchangePhaseRows(e: ExchangePhaseResult): [string, string][] {
  return [
    [`POST /xml/batches, ${fmt(e.customers)} customers streamed`, `${e.imported.seconds.toFixed(1)} s, ${fmt(Math.round(e.imported.perSecond))} customers/s`],
    ['POST /xml/batches: server peak RSS', mib(e.imported.peakRssBytes)],
    [`GET /xml/export, ${fmt(e.exported.items)} customers`, `${e.exported.seconds.toFixed(1)} s, ${fmt(Math.round(e.exported.perSecond))} customers/s`],
    ['GET /xml/export: server peak RSS', mib(e.exported.peakRssBytes)],
  ];
}
