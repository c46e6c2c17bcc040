// A batch's records stored, one chunk to a unit of work: staged until the
// end when the batch is ATOMIC, applied with every record's result when it is
// PARTIAL (decided mostly against one read of the customers the chunk names
// and created in sets, domain/chunk-plan.ts); the staged records applied all
// or none when an ATOMIC batch finishes (domain/batch-outcome.ts).
import { leaseFrom, type BatchRecord, type BatchSummary, type ReadThrough, type RecordResult, type StoredBatch } from '../domain/batch.js';
import { batchOutcome, countResults, unreadableResult } from '../domain/batch-outcome.js';
import { planChunk } from '../domain/chunk-plan.js';
import { newCustomer } from '../domain/customer.js';
import { decideUpsert, upsertResult } from '../domain/upsert-decision.js';
import { NotFoundError } from '../errors.js';
import type { ReadUnit, Store, WriteUnit } from '../store/store.js';
import { applyDecision, applyRecord, type RecordContext } from './upsert-record.js';

/** Batch `key` as stored: NOT_FOUND when there is none. */
export function storedBatch(unit: ReadUnit, key: string): StoredBatch {
  const batch = unit.batches.get(key);
  if (batch === undefined) throw new NotFoundError(`No batch '${key}'`);
  return batch;
}

/**
 * `readThrough`: how far the batch's records are read with this chunk, and
 * their fingerprint, kept with it (a resume is held to it); undefined only
 * where no fingerprint is known (a batch stored by hand, as tests and the
 * bench's store phase do), and then a resume is not checked.
 */
export async function storeChunk(store: Store, key: string, records: readonly BatchRecord[], context: RecordContext, readThrough: ReadThrough | undefined): Promise<void> {
  const apply = (guarded: boolean) => (unit: WriteUnit): void => {
    const batch = storedBatch(unit, key);
    unit.batches.hold(key, leaseFrom(context.now));
    if (readThrough !== undefined) unit.batches.readThrough(key, readThrough);
    if (batch.mode === 'ATOMIC') {
      unit.batches.stage(key, records);
      return;
    }
    const results = guarded ? records.map((r) => applyRecord(unit, r, context, true)) : applyChunk(unit, records, context);
    unit.batches.addResults(key, results, countResults(results));
  };
  try {
    // Fast path: records whose decision is to fail write nothing, so no
    // attempt (savepoint) per record is needed, nor one around the chunk
    // (which cost ~40 µs a record: 120 -> 79 µs without it, storing 100k
    // customers)...
    await store.write(apply(false), 'bulk');
  } catch {
    // ...unless a write itself fails: its unit of work is rolled back whole,
    // and the chunk redone with one attempt per record.
    await store.write(apply(true), 'bulk');
  }
}

/**
 * A PARTIAL chunk's records in order, with the effect of applyRecord on each
 * in turn, but reading and creating in sets as the plan says. A create
 * decided against the set read is collected and written with the others; any
 * other write, and every record read alone, comes after the creates collected
 * so far, so it sees them and the change log keeps the records' order.
 */
function applyChunk(unit: WriteUnit, records: readonly BatchRecord[], context: RecordContext): RecordResult[] {
  const plan = planChunk(records);
  const stored = new Map(unit.customers.byExternalIds(plan.keys).map((c) => [c.externalId, c]));
  const creates = unit.customers.creates(context.by, 'UPSERT');
  const results = records.map((record, i): RecordResult => {
    const input = record.input;
    const step = plan.steps[i];
    if (input === undefined || step === 'unreadable') return unreadableResult(record);
    if (step === 'alone') {
      creates.flush();
      return applyRecord(unit, record, context, false);
    }
    const decision = decideUpsert(input, stored.get(input.externalId), undefined);
    if (decision.kind === 'create') {
      const customer = newCustomer(input, context.newId(), context.now);
      creates.add(customer);
      return upsertResult(record.index, input.externalId, decision, customer.id);
    }
    if (decision.kind === 'update') creates.flush();
    return applyDecision(unit, record.index, input, decision, context);
  });
  creates.flush();
  return results;
}

/** Ends batch `key` with its fingerprint (ATOMIC: applies its staged records all or none now), and answers its summary. */
export async function finishBatch(store: Store, key: string, fingerprint: string, context: RecordContext): Promise<BatchSummary> {
  return store.write((unit): BatchSummary => {
    if (storedBatch(unit, key).mode === 'ATOMIC') {
      const staged = unit.batches.staged(key);
      const outcome = unit.attempt(
        () => batchOutcome('ATOMIC', staged.map((r) => applyRecord(unit, r, context, true))),
        (o) => o.keep,
      );
      unit.batches.unstage(key);
      unit.batches.addResults(key, outcome.results, countResults(outcome.results));
    }
    unit.batches.finish(key, fingerprint, context.now);
    return storedBatch(unit, key).summary;
  });
}
