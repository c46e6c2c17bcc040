// One batch record applied in a unit of work: read what its keys name, decide
// (domain/upsert-decision.ts), write what the decision says, report it.
import type { BatchRecord, RecordResult } from '../domain/batch.js';
import type { Attribution } from '../domain/history.js';
import { recordFailed, unreadableResult } from '../domain/batch-outcome.js';
import { newCustomer, replacedCustomer, type CustomerInput } from '../domain/customer.js';
import { decideUpsert, upsertResult, type UpsertDecision } from '../domain/upsert-decision.js';
import { BridgeError } from '../errors.js';
import type { WriteUnit } from '../store/store.js';

/** The clock and ids of one chunk's writes, and who they are recorded as made by (each an UPSERT). */
export interface RecordContext {
  readonly now: string;
  readonly newId: () => string;
  readonly by: Attribution;
}

/**
 * `guarded`: the record's writes run in an attempt of their own, so one the
 * store refuses (a taken externalId) fails alone and leaves no trace (the
 * PARTIAL rule). Unguarded, such a failure throws to the caller.
 */
export function applyRecord(unit: WriteUnit, record: BatchRecord, context: RecordContext, guarded: boolean): RecordResult {
  const input = record.input;
  if (input === undefined) return unreadableResult(record);
  const byExternalId = input.externalId === undefined ? undefined : unit.customers.byExternalId(input.externalId);
  const byId = input.id === undefined ? undefined : unit.customers.byId(input.id);
  const decision = decideUpsert(input, byExternalId, byId);
  const write = (): RecordResult => applyDecision(unit, record.index, input, decision, context);
  if (!guarded || decision.kind === 'fail') return write();
  try {
    return unit.attempt(write);
  } catch (err) {
    if (!(err instanceof BridgeError)) throw err;
    return recordFailed(record.index, input.externalId, err);
  }
}

/** What a record's decision writes (nothing unless it creates or updates), and its result. */
export function applyDecision(unit: WriteUnit, index: number, input: CustomerInput, decision: UpsertDecision, context: RecordContext): RecordResult {
  if (decision.kind === 'create') {
    const customer = newCustomer(input, context.newId(), context.now);
    unit.customers.insert(customer, context.by, 'UPSERT');
    return upsertResult(index, input.externalId, decision, customer.id);
  }
  if (decision.kind === 'update') unit.customers.replace(replacedCustomer(input, decision.target, context.now), context.by, 'UPSERT');
  return upsertResult(index, input.externalId, decision);
}
