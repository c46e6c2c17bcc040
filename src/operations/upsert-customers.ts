// UpsertCustomers: up to 1000 customers matched on externalId, PARTIAL or
// ATOMIC, replayed per batchId (rules: domain/upsert-decision.ts; life of a
// batch: batch-session.ts, shared with streamed batches).
import type { BatchReport, BatchRequest } from '../domain/batch.js';
import { BatchSession } from './batch-session.js';
import type { RequestDeps } from './operation-deps.js';

export async function upsertCustomers(batch: BatchRequest, deps: RequestDeps): Promise<BatchReport> {
  const opening = await BatchSession.begin(batch.batchId, batch.mode, deps);
  if (opening.kind === 'done') return opening.replay(batch.fingerprint).report();
  const session = opening.session;
  try {
    await session.add({ records: batch.records, readThrough: batch.fingerprint });
  } catch (err) {
    session.letGo();
    throw err;
  }
  await session.finish(batch.fingerprint);
  const report = await session.report();
  await session.close();
  return report;
}
