// A batch as the SQLite file shows it while a crm-bridge server of another
// process imports it (and after that server is killed): how far the import
// has got, the holder's lease, and, once done, whether each record was
// stored exactly once.
import { expect } from 'chai';
import { figure } from './db-file.js';

export interface BatchOnDisk {
  /** Records whose result is stored (0 until the batch has begun). */
  stored(): number;
  /** When its holder's lease runs out (ms since the epoch). */
  leaseUntil(): number;
}

export function batchOnDisk(dbFile: string, batchId: string): BatchOnDisk {
  const key = (): string | undefined => figure(dbFile, 'SELECT batch_key FROM batches WHERE batch_id = ?', batchId) as string | undefined;
  return {
    stored: () => Number(figure(dbFile, 'SELECT count(*) FROM batch_results WHERE batch_key = ?', key() ?? '') ?? 0),
    leaseUntil: () => Date.parse(String(figure(dbFile, 'SELECT lease_until FROM batches WHERE batch_id = ?', batchId))),
  };
}

/**
 * The batch is DONE and the `records` customers it created (externalIds
 * starting with `prefix`, one address each) are each stored exactly once:
 * one row, one change, one address, one CREATED result.
 */
export function expectCreatedOnce(dbFile: string, batchId: string, prefix: string, records: number): void {
  const like = `${prefix}%`;
  const count = (sql: string, ...params: unknown[]): unknown => figure(dbFile, sql, ...params);
  expect(count('SELECT count(*) FROM customers WHERE external_id LIKE ?', like), 'customers').to.equal(records);
  expect(count('SELECT count(DISTINCT external_id) FROM customers WHERE external_id LIKE ?', like), 'distinct externalIds').to.equal(records);
  expect(count('SELECT count(*) FROM change_log l JOIN customers c ON c.id = l.customer_id WHERE c.external_id LIKE ?', like), 'changes').to.equal(records);
  expect(count('SELECT count(*) FROM addresses a JOIN customers c ON c.id = a.customer_id WHERE c.external_id LIKE ?', like), 'addresses').to.equal(records);
  expect(count("SELECT count(*) FROM batch_results r JOIN batches b USING (batch_key) WHERE b.batch_id = ? AND r.status = 'CREATED'", batchId), 'CREATED results').to.equal(records);
  expect(count('SELECT state FROM batches WHERE batch_id = ?', batchId), 'state').to.equal('DONE');
}
