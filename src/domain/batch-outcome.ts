// What a batch keeps of the records it applied, and what each reports: the
// PARTIAL and ATOMIC rules, as pure functions over the records' results. The
// operations apply records in the store's unit of work and ask here whether
// to keep them; the store only commits or rolls back.
import type { BatchMode, BatchRecord, BatchSummary, RecordError, RecordResult } from './batch.js';

export interface BatchOutcome {
  /** Whether the records' writes stay; false rolls back every one of them. */
  readonly keep: boolean;
  readonly results: readonly RecordResult[];
}

/**
 * PARTIAL: every record stands alone, its failure is its own (a failed
 * record wrote nothing, see recordFailed). ATOMIC: all or nothing; with one
 * failure, the failures keep their error and every other record says it was
 * rolled back.
 */
export function batchOutcome(mode: BatchMode, applied: readonly RecordResult[]): BatchOutcome {
  const first = applied.find((r) => r.status === 'FAILED');
  if (mode === 'PARTIAL' || first === undefined) return { keep: true, results: applied };
  return {
    keep: false,
    results: applied.map((r): RecordResult => r.status === 'FAILED' ? r : {
      index: r.index,
      externalId: r.externalId,
      status: 'FAILED',
      error: { code: 'ROLLED_BACK', message: `Not stored: record ${first.index} failed and the batch is ATOMIC` },
    }),
  };
}

/** A record that could not be read: FAILED with the reason it was not. */
export function unreadableResult(record: BatchRecord): RecordResult {
  return { index: record.index, externalId: record.input?.externalId ?? record.externalId, status: 'FAILED', error: record.error };
}

/** A record whose write the store refused (a taken externalId): FAILED alone, its write undone. */
export function recordFailed(index: number, externalId: string | undefined, error: RecordError): RecordResult {
  return { index, externalId, status: 'FAILED', error: { code: error.code, message: error.message } };
}

export type ResultCounts = Omit<BatchSummary, 'batchId'>;

/** How many results of each status, as a batch's summary counts them. */
export function countResults(results: readonly RecordResult[]): ResultCounts {
  const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const r of results) counts[r.status.toLowerCase() as keyof typeof counts] += 1;
  return counts;
}
