// The life of one batch, for every channel (UpsertCustomers, /xml/batches,
// batch files): begin (or find it done), add records chunk by chunk, finish,
// then read the report. The replay rule lives here once.
import type { BatchMode, BatchRecord, BatchReport, BatchSummary, RecordResult } from '../domain/batch.js';
import { ValidationFailedError } from '../errors.js';
import type { OperationDeps } from './operation-deps.js';

export type BatchOpening =
  | { readonly kind: 'new'; readonly session: BatchSession }
  /** Done before under this batchId: replay when the fingerprint is the same, refuse otherwise. */
  | { readonly kind: 'done'; readonly replay: (fingerprint: string) => BatchSession };

export class BatchSession {
  private constructor(
    readonly key: string,
    readonly batchId: string | undefined,
    private readonly deps: OperationDeps,
    /** Records up to this index were stored by an earlier, interrupted run of this batch. */
    readonly resumeAfter = 0,
  ) {}

  /** `takeover`: the caller owns the input (a claimed file), so a batch still marked running is its own. */
  static async begin(batchId: string | undefined, mode: BatchMode, deps: OperationDeps, takeover = false): Promise<BatchOpening> {
    const start = await deps.store.beginBatch(deps.newId(), batchId, mode, deps.now(), takeover);
    if (start.state === 'NEW') return { kind: 'new', session: new BatchSession(start.key, batchId, deps, start.resumeAfter) };
    return {
      kind: 'done',
      replay: (fingerprint) => {
        if (fingerprint !== start.fingerprint) {
          throw new ValidationFailedError(`batchId '${batchId ?? ''}' was already used for a batch with other content; use a new batchId for new data`);
        }
        return new BatchSession(start.key, batchId, deps);
      },
    };
  }

  /** Stores records; those an interrupted run stored already are skipped (their results stand). */
  async add(records: readonly BatchRecord[]): Promise<void> {
    const fresh = this.resumeAfter === 0 ? records : records.filter((r) => r.index > this.resumeAfter);
    if (fresh.length > 0) await this.deps.store.applyBatchChunk(this.key, fresh, this.deps.now(), this.deps.newId);
  }

  finish(fingerprint: string): Promise<BatchSummary> {
    return this.deps.store.finishBatch(this.key, fingerprint, this.deps.now(), this.deps.newId);
  }

  summary(): Promise<BatchSummary> {
    return this.deps.store.batchSummary(this.key);
  }

  /** Every result, page by page, in input order. */
  async *results(pageSize = 1000): AsyncGenerator<RecordResult> {
    for (let after = 0; ; ) {
      const page = await this.deps.store.batchResults(this.key, after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page.at(-1)?.index ?? after;
    }
  }

  /** A batch without batchId cannot be replayed: drop it once its report is read. */
  async close(): Promise<void> {
    if (this.batchId === undefined) await this.deps.store.forgetBatch(this.key);
  }

  /** The whole report in memory: for batches of bounded size (UpsertCustomers). */
  async report(): Promise<BatchReport> {
    const results: RecordResult[] = [];
    for await (const r of this.results()) results.push(r);
    return { ...(await this.summary()), results };
  }
}
