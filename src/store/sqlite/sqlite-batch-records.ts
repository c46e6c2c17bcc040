// BatchRecords on better-sqlite3: batches, their results and staged records,
// prepared once. Runs inside the store's transactions (sqlite-store.ts).
import type Database from 'better-sqlite3';
import type { BatchMode, BatchRecord, ReadThrough, RecordErrorCode, RecordResult, StoredBatch } from '../../domain/batch.js';
import type { ResultCounts } from '../../domain/batch-outcome.js';
import type { LeaseHolder } from '../../domain/lease-holder.js';
import type { BatchRecords, NewBatch } from '../batch-records.js';
import { insertFromJsonSql } from './customer-rows.js';
import { SET_ROWS } from './set-writes.js';

interface BatchRow {
  batch_key: string;
  batch_id: string | null;
  mode: BatchMode;
  state: 'RUNNING' | 'DONE';
  fingerprint: string | null;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  lease_until: string;
  holder_host: string | null;
  holder_pid: number | null;
  read_through_index: number | null;
  read_through: string | null;
}

interface ResultRow {
  idx: number;
  external_id: string | null;
  customer_id: string | null;
  status: RecordResult['status'];
  code: RecordErrorCode | null;
  message: string | null;
  errors: string | null;
}

/** batch_results' columns after the batch key, in the order of resultValues(). */
const RESULT_WRITE_COLUMNS = ['idx', 'external_id', 'customer_id', 'status', 'code', 'message', 'errors'] as const;

function resultValues(r: RecordResult): readonly [number, string | null, string | null, string, string | null, string | null, string | null] {
  const errors = r.error?.errors;
  return [r.index, r.externalId ?? null, r.id ?? null, r.status, r.error?.code ?? null, r.error?.message ?? null, errors === undefined ? null : JSON.stringify(errors)];
}

function batchOf(row: BatchRow | undefined): StoredBatch | undefined {
  if (row === undefined) return undefined;
  return {
    key: row.batch_key,
    batchId: row.batch_id ?? undefined,
    mode: row.mode,
    state: row.state,
    fingerprint: row.fingerprint ?? undefined,
    summary: { batchId: row.batch_id ?? undefined, created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed },
    running: {
      holder: row.holder_host === null || row.holder_pid === null ? undefined : { host: row.holder_host, pid: row.holder_pid },
      leaseUntil: row.lease_until,
    },
    readThrough: row.read_through_index === null || row.read_through === null ? undefined : { index: row.read_through_index, fingerprint: row.read_through },
  };
}

export class SqliteBatchRecords implements BatchRecords {
  private readonly stmt;

  /** `written(records)`: a batch of this many records was finished or deleted (the store may empty the WAL after it). */
  constructor(db: Database.Database, private readonly written: (records: number) => void) {
    this.stmt = {
      batchById: db.prepare('SELECT * FROM batches WHERE batch_id = ?'),
      batchByKey: db.prepare('SELECT * FROM batches WHERE batch_key = ?'),
      insertBatch: db.prepare(`INSERT INTO batches (batch_key, batch_id, mode, state, lease_until, created_at, holder_host, holder_pid)
        VALUES (@key, @batchId, @mode, 'RUNNING', @leaseUntil, @now, @host, @pid)`),
      lastIndex: db.prepare(`SELECT max(idx) FROM (
          SELECT max(idx) AS idx FROM batch_results WHERE batch_key = @key
          UNION ALL SELECT max(idx) FROM batch_staging WHERE batch_key = @key)`).pluck(),
      renewLease: db.prepare('UPDATE batches SET lease_until = @leaseUntil WHERE batch_key = @key'),
      takeLease: db.prepare('UPDATE batches SET lease_until = @leaseUntil, holder_host = @host, holder_pid = @pid WHERE batch_key = @key'),
      readThrough: db.prepare('UPDATE batches SET read_through_index = @index, read_through = @fingerprint WHERE batch_key = @key'),
      countResults: db.prepare(`UPDATE batches SET
        created = created + @created, updated = updated + @updated, unchanged = unchanged + @unchanged, failed = failed + @failed
        WHERE batch_key = @key`),
      finishBatch: db.prepare(`UPDATE batches SET state = 'DONE', fingerprint = @fingerprint, finished_at = @now
        WHERE batch_key = @key RETURNING created + updated + unchanged + failed`).pluck(),
      deleteBatch: db.prepare('DELETE FROM batches WHERE batch_key = ? RETURNING created + updated + unchanged + failed').pluck(),
      // Results SET_ROWS at a time: the batch key, then a JSON array of resultValues().
      insertResults: db.prepare(insertFromJsonSql('batch_results', RESULT_WRITE_COLUMNS, { shared: ['batch_key'], orReplace: true })),
      results: db.prepare(`SELECT ${RESULT_WRITE_COLUMNS.join(', ')} FROM batch_results
        WHERE batch_key = ? AND idx > ? ORDER BY idx LIMIT ?`),
      stage: db.prepare('INSERT OR REPLACE INTO batch_staging (batch_key, idx, record) VALUES (@key, @index, @record)'),
      staged: db.prepare('SELECT record FROM batch_staging WHERE batch_key = ? ORDER BY idx').pluck(),
      unstage: db.prepare('DELETE FROM batch_staging WHERE batch_key = ?'),
    };
  }

  get(key: string): StoredBatch | undefined {
    return batchOf(this.stmt.batchByKey.get(key) as BatchRow | undefined);
  }

  byBatchId(batchId: string): StoredBatch | undefined {
    return batchOf(this.stmt.batchById.get(batchId) as BatchRow | undefined);
  }

  lastIndex(key: string): number {
    return (this.stmt.lastIndex.get({ key }) as number | null) ?? 0;
  }

  results(key: string, afterIndex: number, limit: number): RecordResult[] {
    return (this.stmt.results.all(key, afterIndex, limit) as ResultRow[]).map((r) => ({
      index: r.idx,
      externalId: r.external_id ?? undefined,
      id: r.customer_id ?? undefined,
      status: r.status,
      error: r.code === null ? undefined : {
        code: r.code,
        message: r.message ?? '',
        ...(r.errors === null ? {} : { errors: JSON.parse(r.errors) as { path: string; message: string }[] }),
      },
    }));
  }

  insert(batch: NewBatch): void {
    const { key, batchId, mode, leaseUntil, now, holder } = batch;
    this.stmt.insertBatch.run({ key, batchId: batchId ?? null, mode, leaseUntil, now, host: holder.host, pid: holder.pid });
  }

  hold(key: string, leaseUntil: string, holder?: LeaseHolder): void {
    if (holder === undefined) this.stmt.renewLease.run({ key, leaseUntil });
    else this.stmt.takeLease.run({ key, leaseUntil, host: holder.host, pid: holder.pid });
  }

  readThrough(key: string, through: ReadThrough): void {
    this.stmt.readThrough.run({ key, index: through.index, fingerprint: through.fingerprint });
  }

  addResults(key: string, results: readonly RecordResult[], counts: ResultCounts): void {
    for (let i = 0; i < results.length; i += SET_ROWS) {
      this.stmt.insertResults.run(key, JSON.stringify(results.slice(i, i + SET_ROWS).map(resultValues)));
    }
    this.stmt.countResults.run({ key, ...counts });
  }

  stage(key: string, records: readonly BatchRecord[]): void {
    for (const r of records) this.stmt.stage.run({ key, index: r.index, record: JSON.stringify(r) });
  }

  staged(key: string): BatchRecord[] {
    return (this.stmt.staged.all(key) as string[]).map((r) => JSON.parse(r) as BatchRecord);
  }

  unstage(key: string): void {
    this.stmt.unstage.run(key);
  }

  finish(key: string, fingerprint: string, now: string): void {
    const records = this.stmt.finishBatch.get({ key, fingerprint, now }) as number | undefined;
    if (records !== undefined) this.written(records);
  }

  delete(key: string): void {
    // Deleting a large batch's results writes as much WAL as storing them did.
    const records = this.stmt.deleteBatch.get(key) as number | undefined;
    if (records !== undefined) this.written(records);
  }
}
