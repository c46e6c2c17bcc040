// The ceilings phase: what the parts crm-bridge stands on can do alone on this
// machine in this run: the transport (hello-world servers), schema validation
// (xmllint --stream) and the store (raw better-sqlite3). crm-bridge's figures
// are read against these in the comparison table.
import { measureSqliteCeilings, type SqliteCeilings } from '../ceilings/sqlite-ceiling.js';
import { measureTransportCeilings, type TransportCeilings } from '../ceilings/transport-ceiling.js';
import { measureXmllintCeiling, type XmllintCeiling } from '../ceilings/xmllint-ceiling.js';
import type { LoadOptions } from '../load.js';

export interface CeilingsPhaseResult {
  readonly transport: TransportCeilings;
  /** Undefined when BENCH_BATCH_CUSTOMERS is 0. */
  readonly xmllint: XmllintCeiling | undefined;
  readonly sqlite: SqliteCeilings;
}

export interface CeilingsPhaseOptions {
  readonly batchCustomers: number;
  readonly singleWrites: number;
  readonly load: Omit<LoadOptions, 'url'>;
}

export async function runCeilingsPhase(options: CeilingsPhaseOptions): Promise<CeilingsPhaseResult> {
  const transport = await measureTransportCeilings(options.load);
  const xmllint = options.batchCustomers === 0 ? undefined : await measureXmllintCeiling(options.batchCustomers);
  const sqlite = measureSqliteCeilings(options.batchCustomers, options.singleWrites);
  return { transport, xmllint, sqlite };
}
