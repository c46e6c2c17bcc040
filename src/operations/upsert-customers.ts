// UpsertCustomers: create or update many customers matched on externalId, with
// PARTIAL or ATOMIC semantics and batchId replay (rules: domain/upsert-decision.ts,
// transaction: the store).
import type { BatchReport, BatchRequest } from '../domain/batch.js';
import type { OperationDeps } from './operation-deps.js';

export async function upsertCustomers(batch: BatchRequest, deps: OperationDeps): Promise<BatchReport> {
  return deps.store.applyBatch(batch, deps.now(), deps.newId);
}
