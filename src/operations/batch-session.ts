// The life of one batch, for every channel (UpsertCustomers, /xml/batches,
// batch files): begin (or find it done), add records chunk by chunk, finish,
// then read the report. The replay rule lives here once, and so does the
// holding rule: a batchId is imported by one process at a time. This process
// knows which batchIds it imports itself (HELD_HERE); the store records who
// holds each running batch, so a retry after a crash resumes at once, while
// a batch a live process holds is UNAVAILABLE until its lease would run out.
import { thisProcess } from '../this-process.js';
import { leaseFrom, type BatchMode, type BatchReport, type BatchStart, type BatchSummary, type ReadThrough, type RecordGroup, type RecordResult } from '../domain/batch.js';
import { mayResumeBatch, retryAfterSeconds } from '../domain/lease-holder.js';
import { UnavailableError, ValidationFailedError } from '../errors.js';
import { finishBatch, storeChunk, storedBatch } from './batch-writes.js';
import type { RequestDeps } from './operation-deps.js';
import type { RecordContext } from './upsert-record.js';

/**
 * The batchIds this process is importing, from begin to finish (or failure).
 * Of the process, not of one server or drop folder: the pid the store records
 * is the process's, and any of them may be asked for the same batchId.
 */
const HELD_HERE = new Set<string>();

/** This host and process, as the store records a batch's holder. */
const ME = thisProcess();

export type BatchOpening =
  | { readonly kind: 'new'; readonly session: BatchSession }
  /** Done before under this batchId: replay when the fingerprint is the same, refuse otherwise. */
  | { readonly kind: 'done'; readonly replay: (fingerprint: string) => BatchSession };

export class BatchSession {
  /** Whether the records up to resumeAfter were found to be those the interrupted run stored. */
  private resumeChecked = false;

  private constructor(
    readonly key: string,
    readonly batchId: string | undefined,
    private readonly deps: RequestDeps,
    /** Records up to this index were stored by an earlier, interrupted run of this batch. */
    readonly resumeAfter = 0,
    /** This session put its batchId in HELD_HERE (not a replay, nor a takeover of a batchId this process holds already). */
    private holding = false,
    /** The fingerprint the interrupted run read its records up to resumeAfter with (unknown for a batch begun before migration 008). */
    private readonly resumedFrom?: ReadThrough,
  ) {}

  /**
   * `takeover`: the caller owns the input (a claimed file), so a batch still
   * marked running is its own. Otherwise a running batch is resumed only when
   * its holder is gone (domain/lease-holder.ts); UNAVAILABLE while a live one
   * has it.
   */
  static async begin(batchId: string | undefined, mode: BatchMode, deps: RequestDeps, takeover = false): Promise<BatchOpening> {
    // Asked and taken in one tick: of two requests of this process for one batchId, the second sees the first's.
    const heldHere = batchId !== undefined && HELD_HERE.has(batchId);
    if (batchId !== undefined && !heldHere) HELD_HERE.add(batchId);
    const now = deps.now();
    const key = deps.newId();
    const leaseUntil = leaseFrom(now);
    let start: BatchStart;
    try {
      start = await deps.store.write((unit): BatchStart => {
        const known = batchId === undefined ? undefined : unit.batches.byBatchId(batchId);
        if (known === undefined) {
          unit.batches.insert({ key, batchId, mode, now, leaseUntil, holder: ME });
          return { state: 'NEW', key, resumeAfter: 0 };
        }
        if (known.state === 'DONE') return { state: 'DONE', key: known.key, fingerprint: known.fingerprint ?? '' };
        if (!takeover && !mayResumeBatch(known.running, ME, heldHere, now)) return { state: 'HELD', key: known.key, running: known.running };
        // Its holder is gone: each stored chunk committed with its results, so go on after the last one.
        unit.batches.hold(known.key, leaseUntil, ME);
        const resumeAfter = unit.batches.lastIndex(known.key);
        const readThrough = known.readThrough?.index === resumeAfter ? known.readThrough : undefined;
        return { state: 'NEW', key: known.key, resumeAfter, readThrough };
      });
    } catch (err) {
      if (!heldHere) release(batchId);
      throw err;
    }
    if (start.state === 'NEW') return { kind: 'new', session: new BatchSession(start.key, batchId, deps, start.resumeAfter, !heldHere, start.readThrough) };
    if (!heldHere) release(batchId);
    if (start.state === 'HELD') {
      throw new UnavailableError(
        `batchId '${batchId ?? ''}' is being imported right now by a running process; send it again later (it resumes where that import stops)`,
        retryAfterSeconds(start.running.leaseUntil, now),
      );
    }
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

  /**
   * Stores a group of records; those an interrupted run stored already are
   * skipped (their results stand), once they are found to be the same
   * records: the group ending at resumeAfter must have been read with the
   * fingerprint the interrupted run stored there.
   */
  async add(group: RecordGroup): Promise<void> {
    const { records } = group;
    const last = records.at(-1)?.index ?? 0;
    if (this.resumeAfter > 0 && !this.resumeChecked && last >= this.resumeAfter) {
      if (this.resumedFrom !== undefined && (last !== this.resumeAfter || group.readThrough !== this.resumedFrom.fingerprint)) throw this.otherContent();
      this.resumeChecked = true;
    }
    const fresh = this.resumeAfter === 0 ? records : records.filter((r) => r.index > this.resumeAfter);
    if (fresh.length > 0) await storeChunk(this.deps.store, this.key, fresh, this.recordContext(), { index: last, fingerprint: group.readThrough });
  }

  /** An interrupted batch sent again with other records than those it stored: refused as a replay of other content is, nothing stored. */
  private otherContent(): ValidationFailedError {
    return new ValidationFailedError(
      `batchId '${this.batchId ?? ''}' was begun with other content and stopped part-way; send that batch again to finish it, or use a new batchId for new data`,
    );
  }

  async finish(fingerprint: string): Promise<BatchSummary> {
    // Fewer records than the interrupted run stored: not the batch it began.
    if (this.resumeAfter > 0 && !this.resumeChecked && this.resumedFrom !== undefined) {
      this.letGo();
      throw this.otherContent();
    }
    try {
      return await finishBatch(this.deps.store, this.key, fingerprint, this.recordContext());
    } finally {
      this.letGo();
    }
  }

  /** The clock, ids and author of the next write of the batch's records. */
  private recordContext(): RecordContext {
    return { now: this.deps.now(), newId: this.deps.newId, by: this.deps.by };
  }

  /**
   * This process no longer imports the batch (it ended, or failed part-way):
   * a retry here resumes it at once. A report read afterwards needs no hold.
   */
  letGo(): void {
    if (this.holding) release(this.batchId);
    this.holding = false;
  }

  summary(): Promise<BatchSummary> {
    return this.deps.store.read((unit) => storedBatch(unit, this.key).summary);
  }

  /** Every result, page by page, in input order. */
  async *results(pageSize = 1000): AsyncGenerator<RecordResult> {
    for (let after = 0; ; ) {
      const page = await this.deps.store.read((unit) => unit.batches.results(this.key, after, pageSize));
      yield* page;
      if (page.length < pageSize) return;
      after = page.at(-1)?.index ?? after;
    }
  }

  /** A batch without batchId cannot be replayed: drop it once its report is read. */
  async close(): Promise<void> {
    if (this.batchId === undefined) await this.deps.store.write((unit) => unit.batches.delete(this.key));
  }

  /** The whole report in memory: for batches of bounded size (UpsertCustomers). */
  async report(): Promise<BatchReport> {
    const results: RecordResult[] = [];
    for await (const r of this.results()) results.push(r);
    return { ...(await this.summary()), results };
  }
}

function release(batchId: string | undefined): void {
  if (batchId !== undefined) HELD_HERE.delete(batchId);
}
