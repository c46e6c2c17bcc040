// Imports a streamed CustomerBatch of any size in bounded memory, for
// /xml/batches and batch files alike (and its JSON twin, /api/batches, by the
// same steps: BatchFormat below): pass 1 checks the document's structure
// and root (a broken document stores nothing); pass 2 reads, validates and
// stores the records a chunk at a time through the same batch session as
// UpsertCustomers. Every record is validated against the XSD on its own.
import type { BatchMode, BatchSummary } from '../domain/batch.js';
import { BatchSession } from '../operations/batch-session.js';
import type { RequestDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { readBatchRoot, type BatchRoot } from './batch-root.js';
import type { BatchSource } from './batch-source.js';
import { checkJsonBatch, jsonRecordStream } from './json-batch.js';
import { GROUP_SIZE, recordStream, type RecordStream, type WorkerPolicy } from './record-stream.js';
import { scanDocument } from './scan-document.js';
import type { JsonValidator } from '../validation/json-validator.js';
import { DEFAULT_SHAPE_LIMITS, type ShapeLimits } from '../xml/shape-limits.js';
import { MAX_CONSTRUCT_CHARS } from '../xml/record-scanner.js';

export interface ImportOptions {
  /** The request's: its records' changes are recorded as made by `deps.by`. */
  readonly deps: RequestDeps;
  readonly validator: PayloadValidator;
  /** Whether pass 2 may run in a worker thread; default: on the calling thread. */
  readonly workers?: WorkerPolicy;
  /** Records per transaction (default GROUP_SIZE). */
  readonly chunkSize?: number;
  /** Called after each stored chunk with the number of records read so far; the import waits for it. */
  readonly onProgress?: (records: number) => void | Promise<void>;
  /**
   * Awaited right before each chunk is stored and before the batch is
   * finished; throwing stops the import there (the drop folder checks it still
   * holds the file, as close to the write as it can).
   */
  readonly beforeWrite?: () => Promise<void>;
  /** Called once a new batch has begun (not for a replay), with its store key and mode. */
  readonly onBegin?: (batchKey: string, mode: BatchMode) => Promise<void>;
  /**
   * The batchId of a document whose root has none (the drop folder: the file's
   * SHA-256); asked after pass 1, so it may depend on having read the document.
   */
  readonly defaultBatchId?: () => string;
  /** The most characters one record may hold (CRM_MAX_RECORD_BYTES; default MAX_CONSTRUCT_CHARS): larger is PAYLOAD_TOO_LARGE. */
  readonly maxRecordChars?: number;
  /** Depth, attributes and text of the root tag and each record, checked in pass 1 (the dispatcher's, from the configuration). */
  readonly shape?: ShapeLimits;
  /** The caller owns the input (a claimed file): resume its batch even if still marked running. */
  readonly takeover?: boolean;
}

export interface ImportResult {
  readonly session: BatchSession;
  readonly summary: BatchSummary;
  /** True when the batchId was done before and this is its first report again. */
  readonly replayed: boolean;
}

const ON_THIS_THREAD: WorkerPolicy = { enabled: false, minBytes: 0 };

/**
 * How one format's batch is read, in two passes: `check` reads the whole
 * document (a broken one stores nothing) and answers its batchId and mode;
 * `records` reads its records for storing. Everything between the two (begin
 * or replay, chunks, resume, finish) is importWith's, once for every format.
 */
export interface BatchFormat {
  check(source: BatchSource): Promise<{ readonly batchId: string | undefined; readonly mode: BatchMode }>;
  /** `markAt`: a group ends there (where an interrupted run stopped); 0 for none. */
  records(source: BatchSource, mode: BatchMode, markAt: number): RecordStream;
}

/** What importWith needs beyond the format. */
export type SessionOptions = Omit<ImportOptions, 'validator' | 'workers'>;

/** A CustomerBatch document (XML). */
export function importBatch(source: BatchSource, options: ImportOptions): Promise<ImportResult> {
  let namespaces = '';
  return importWith({
    check: async (s) => {
      const root = await checkStructure(s, options.validator, options);
      namespaces = root.namespaces;
      return root;
    },
    records: (s, mode, markAt) => recordStream(s, namespaces, mode, options.validator, options.workers ?? ON_THIS_THREAD, options.chunkSize, markAt),
  }, source, options);
}

/** A JSON batch {"batchId","mode","customers":[...]} (POST /api/batches). */
export function importJsonBatch(source: BatchSource, options: SessionOptions & { readonly json: JsonValidator }): Promise<ImportResult> {
  const shape = options.shape ?? DEFAULT_SHAPE_LIMITS;
  const limits = { maxRecordChars: options.maxRecordChars ?? MAX_CONSTRUCT_CHARS, maxDepth: shape.maxDepth, maxTextChars: shape.maxTextChars };
  return importWith({
    check: (s) => checkJsonBatch(s, options.json, limits),
    records: (s, mode, markAt) => jsonRecordStream(s, mode, options.json, options.chunkSize ?? GROUP_SIZE, markAt),
  }, source, options);
}

/** Both passes of `format` over `source`, stored through one BatchSession. */
export async function importWith(format: BatchFormat, source: BatchSource, options: SessionOptions): Promise<ImportResult> {
  const root = await format.check(source);
  const opening = await BatchSession.begin(root.batchId ?? options.defaultBatchId?.(), root.mode, options.deps, options.takeover);
  const records = format.records(source, root.mode, opening.kind === 'new' ? opening.session.resumeAfter : 0);
  if (opening.kind === 'done') {
    for await (const _group of records.groups()) {
      // read for the fingerprint only
    }
    const session = opening.replay(records.fingerprint());
    return { session, summary: await session.summary(), replayed: true };
  }
  const session = opening.session;
  try {
    await options.onBegin?.(session.key, root.mode);
    let read = 0;
    // One group per transaction: while it is stored, the worker (if any) reads the next.
    for await (const group of records.groups()) {
      read += group.records.length;
      await options.beforeWrite?.();
      await session.add(group);
      await options.onProgress?.(read);
    }
    await options.beforeWrite?.();
  } catch (err) {
    // Failed part-way: what is stored stays, and a retry in this process resumes it at once.
    session.letGo();
    throw err;
  }
  return { session, summary: await session.finish(records.fingerprint()), replayed: false };
}

/** Pass 1: the whole document's structure and its root; records are only scanned (and measured against `limits`). */
export async function checkStructure(
  source: BatchSource,
  validator: PayloadValidator,
  limits: { readonly maxRecordChars?: number; readonly shape?: ShapeLimits } = {},
): Promise<BatchRoot> {
  let root: BatchRoot | undefined;
  for await (const _records of scanDocument(source.open(), (tag) => { root = readBatchRoot(tag, validator); }, limits)) {
    // the scanner throws at the first structural error
  }
  if (root === undefined) throw new Error('scanner ended without a root');
  return root;
}
