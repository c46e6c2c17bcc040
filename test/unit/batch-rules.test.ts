// The batch and write rules as pure functions, without a store: what an
// ATOMIC or PARTIAL batch keeps, how a chunk is planned, what each upsert
// decision reports, and the version checks of single writes.
import { expect } from 'chai';
import type { BatchRecord, RecordResult } from '../../src/domain/batch.js';
import { batchOutcome, countResults, recordFailed, unreadableResult } from '../../src/domain/batch-outcome.js';
import { planChunk } from '../../src/domain/chunk-plan.js';
import { newCustomer, replacedCustomer, type Customer, type CustomerInput } from '../../src/domain/customer.js';
import { upsertResult } from '../../src/domain/upsert-decision.js';
import { checkDelete, checkUpdate } from '../../src/domain/version-check.js';
import { NotFoundError, ValidationFailedError, VersionConflictError } from '../../src/errors.js';

const created = (index: number): RecordResult => ({ index, externalId: `E-${index}`, id: `id-${index}`, status: 'CREATED' });
const failed = (index: number, code: 'VERSION_CONFLICT' | 'VALIDATION_FAILED' = 'VERSION_CONFLICT'): RecordResult =>
  ({ index, externalId: `E-${index}`, status: 'FAILED', error: { code, message: `record ${index} failed` } });

const person = (externalId?: string, id?: string): CustomerInput => ({ externalId, id, type: 'PERSON', name: `P ${externalId ?? id ?? ''}` });
const record = (index: number, input?: CustomerInput): BatchRecord =>
  input === undefined ? { index, externalId: `E-${index}`, error: { code: 'VALIDATION_FAILED', message: 'unreadable' } } : { index, input };

describe('batch rules (pure)', () => {
  describe('batchOutcome', () => {
    it('ATOMIC without a failure keeps every record, each result as applied', () => {
      const applied = [created(1), { index: 2, externalId: 'E-2', id: 'x', status: 'UNCHANGED' as const }];
      expect(batchOutcome('ATOMIC', applied)).to.deep.equal({ keep: true, results: applied });
    });

    it('ATOMIC with failures keeps nothing: the failures keep their error, every other record is ROLLED_BACK naming the first failure', () => {
      const outcome = batchOutcome('ATOMIC', [created(1), failed(2), created(3), failed(4, 'VALIDATION_FAILED')]);
      expect(outcome.keep).to.equal(false);
      expect(outcome.results.map((r) => [r.index, r.status, r.error?.code, r.id])).to.deep.equal([
        [1, 'FAILED', 'ROLLED_BACK', undefined],
        [2, 'FAILED', 'VERSION_CONFLICT', undefined],
        [3, 'FAILED', 'ROLLED_BACK', undefined],
        [4, 'FAILED', 'VALIDATION_FAILED', undefined],
      ]);
      expect(outcome.results[0]?.error?.message).to.equal('Not stored: record 2 failed and the batch is ATOMIC');
      expect(outcome.results[0]?.externalId).to.equal('E-1');
    });

    it('PARTIAL keeps every record that succeeded beside those that failed, each result its own', () => {
      const applied = [created(1), failed(2), created(3)];
      expect(batchOutcome('PARTIAL', applied)).to.deep.equal({ keep: true, results: applied });
    });
  });

  it('counts results by status, as the summary does', () => {
    expect(countResults([created(1), failed(2), created(3), { index: 4, status: 'UPDATED' }, { index: 5, status: 'UNCHANGED' }]))
      .to.deep.equal({ created: 2, updated: 1, unchanged: 1, failed: 1 });
  });

  it('reports an unreadable record with the reason it was not read, and a refused write with its error alone', () => {
    expect(unreadableResult(record(7))).to.deep.equal({ index: 7, externalId: 'E-7', status: 'FAILED', error: { code: 'VALIDATION_FAILED', message: 'unreadable' } });
    const err = new VersionConflictError('stale');
    expect(recordFailed(3, 'E-3', err)).to.deep.equal({ index: 3, externalId: 'E-3', status: 'FAILED', error: { code: 'VERSION_CONFLICT', message: 'stale' } });
  });

  describe('planChunk', () => {
    it('decides records with new, distinct externalIds against one set read of them all', () => {
      expect(planChunk([record(1, person('A')), record(2, person('B')), record(3, person('C'))]))
        .to.deep.equal({ keys: ['A', 'B', 'C'], steps: ['set', 'set', 'set'] });
    });

    it('reads a record alone whose externalId an earlier record named, since that one may have created or changed it', () => {
      expect(planChunk([record(1, person('A')), record(2, person('B')), record(3, person('A'))]))
        .to.deep.equal({ keys: ['A', 'B'], steps: ['set', 'set', 'alone'] });
    });

    it('reads alone a record that names an id, and every record after it, whatever its externalId', () => {
      expect(planChunk([record(1, person('A')), record(2, person('B', 'id-9')), record(3, person('C')), record(4, person('D'))]))
        .to.deep.equal({ keys: ['A'], steps: ['set', 'alone', 'alone', 'alone'] });
    });

    it('fails unreadable records as read, without changing how the others are read', () => {
      expect(planChunk([record(1), record(2, person('A')), record(3), record(4, person('A'))]))
        .to.deep.equal({ keys: ['A'], steps: ['unreadable', 'set', 'unreadable', 'alone'] });
    });

    it('reads alone a record with neither externalId nor id (its decision fails it) and keeps the set read for the rest', () => {
      expect(planChunk([record(1, person()), record(2, person('A'))]))
        .to.deep.equal({ keys: ['A'], steps: ['alone', 'set'] });
    });
  });

  describe('upsertResult', () => {
    const target: Customer = newCustomer(person('A'), 'id-a', '2026-12-01T00:00:00.000Z');
    it('reports CREATED with the id stored, UPDATED and UNCHANGED with the target\'s, FAILED with the decision\'s error', () => {
      expect(upsertResult(1, 'A', { kind: 'create' }, 'id-new')).to.deep.equal({ index: 1, externalId: 'A', id: 'id-new', status: 'CREATED' });
      expect(upsertResult(2, 'A', { kind: 'update', target })).to.deep.equal({ index: 2, externalId: 'A', id: 'id-a', status: 'UPDATED' });
      expect(upsertResult(3, 'A', { kind: 'unchanged', target })).to.deep.equal({ index: 3, externalId: 'A', id: 'id-a', status: 'UNCHANGED' });
      expect(upsertResult(4, undefined, { kind: 'fail', error: new ValidationFailedError('no key') }))
        .to.deep.equal({ index: 4, externalId: undefined, status: 'FAILED', error: { code: 'VALIDATION_FAILED', message: 'no key' } });
    });
  });

  describe('customers as written', () => {
    it('creates at version 1 with the default status, whatever id and version the input carries', () => {
      const c = newCustomer({ ...person('A', 'sent-id'), version: 7 }, 'id-1', '2026-12-01T00:00:00.000Z');
      expect(c).to.include({ id: 'id-1', version: 1, status: 'ACTIVE', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z' });
    });

    it('replaces at the next version, keeping the id and createdAt', () => {
      const stored = newCustomer(person('A'), 'id-1', '2026-12-01T00:00:00.000Z');
      const c = replacedCustomer({ ...person('B'), status: 'INACTIVE' }, { ...stored, version: 3 }, '2026-12-02T00:00:00.000Z');
      expect(c).to.include({ id: 'id-1', externalId: 'B', version: 4, status: 'INACTIVE', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-02T00:00:00.000Z' });
    });
  });

  describe('version checks', () => {
    it('UpdateCustomer: NOT_FOUND without a stored customer, VERSION_CONFLICT at another version, nothing at the same', () => {
      expect(() => checkUpdate('x', 1, undefined)).to.throw(NotFoundError, "No customer with id 'x'");
      expect(() => checkUpdate('x', 1, { version: 2 })).to.throw(VersionConflictError, 'is at version 2, the update was based on version 1');
      expect(() => checkUpdate('x', 2, { version: 2 })).to.not.throw();
    });

    it('DeleteCustomer: NOT_FOUND without a stored customer, VERSION_CONFLICT only when a version is expected and not current', () => {
      expect(() => checkDelete('x', undefined, undefined)).to.throw(NotFoundError);
      expect(() => checkDelete('x', 1, undefined)).to.throw(NotFoundError);
      expect(() => checkDelete('x', 1, 2)).to.throw(VersionConflictError, "Customer 'x' is at version 2, not 1");
      expect(() => checkDelete('x', 2, 2)).to.not.throw();
      expect(() => checkDelete('x', undefined, 5)).to.not.throw();
    });
  });
});
