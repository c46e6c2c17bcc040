// Imports a streamed CustomerBatch of any size in bounded memory, for
// /xml/batches and batch files alike: pass 1 checks the document's structure
// and root (a broken document stores nothing); pass 2 reads, validates and
// stores the records a chunk at a time through the same batch session as
// UpsertCustomers. Every record is validated against the XSD on its own.
import { StringDecoder } from 'node:string_decoder';
import type { BatchRecord, BatchSummary } from '../domain/batch.js';
import { BatchFingerprint } from '../domain/batch-fingerprint.js';
import { BatchSession } from '../operations/batch-session.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { RecordScanner, type RawRecord, type RootTag } from '../xml/record-scanner.js';
import { readBatchRoot, type BatchRoot } from './batch-root.js';
import type { BatchSource } from './batch-source.js';
import { readRecord, type ReadRecord } from './record-reader.js';
import { inlineReaders, type RecordReaders } from './record-readers.js';

export interface ImportOptions {
  readonly deps: OperationDeps;
  readonly validator: PayloadValidator;
  /** Who reads records; default: the calling thread. */
  readonly readers?: RecordReaders;
  /** Records per transaction. */
  readonly chunkSize?: number;
  /** Called after each stored chunk with the number of records read so far; the import waits for it. */
  readonly onProgress?: (records: number) => void | Promise<void>;
  /** Called once a new batch has begun (not for a replay), with its store key. */
  readonly onBegin?: (batchKey: string) => Promise<void>;
  /**
   * The batchId of a document whose root has none (the drop folder: the file's
   * SHA-256); asked after pass 1, so it may depend on having read the document.
   */
  readonly defaultBatchId?: () => string;
  /** The caller owns the input (a claimed file): resume its batch even if still marked running. */
  readonly takeover?: boolean;
}

export interface ImportResult {
  readonly session: BatchSession;
  readonly summary: BatchSummary;
  /** True when the batchId was done before and this is its first report again. */
  readonly replayed: boolean;
}

export async function importBatch(source: BatchSource, options: ImportOptions): Promise<ImportResult> {
  const root = await checkStructure(source, options.validator);
  const opening = await BatchSession.begin(root.batchId ?? options.defaultBatchId?.(), root.mode, options.deps, options.takeover);
  const fingerprint = new BatchFingerprint(root.mode);
  if (opening.kind === 'done') {
    await scan(source, {}, (raw) => fingerprint.add(readRecord(raw, root.namespaces, options.validator).fingerprint));
    const session = opening.replay(fingerprint.digest());
    return { session, summary: await session.summary(), replayed: true };
  }
  const session = opening.session;
  await options.onBegin?.(session.key);
  const readers = options.readers ?? inlineReaders(options.validator);
  const chunkSize = options.chunkSize ?? 1000;
  let chunk: BatchRecord[] = [];
  let group: RawRecord[] = [];
  let read = 0;
  // Groups being read (in workers) while earlier chunks are stored; taken back in order.
  const reading: Promise<ReadRecord[]>[] = [];
  const take = async (): Promise<void> => {
    for (const r of (await reading.shift()) ?? []) {
      fingerprint.add(r.fingerprint);
      chunk.push(r.record);
    }
    if (chunk.length >= chunkSize) {
      const full = chunk;
      chunk = [];
      await session.add(full);
      await options.onProgress?.(read);
    }
  };
  await scan(source, {}, (raw) => {
    group.push(raw);
    read += 1;
    if (group.length === GROUP) {
      reading.push(readers.read(group, root.namespaces));
      group = [];
    }
  }, async () => {
    while (reading.length > MAX_READING) await take();
  });
  if (group.length > 0) reading.push(readers.read(group, root.namespaces));
  while (reading.length > 0) await take();
  if (chunk.length > 0) await session.add(chunk);
  await options.onProgress?.(read);
  return { session, summary: await session.finish(fingerprint.digest()), replayed: false };
}

/** Records read together (one message to a worker). */
const GROUP = 250;
/** Groups read ahead of storing: enough to keep the workers busy, few enough to bound memory. */
const MAX_READING = 8;

/** Pass 1: the whole document's structure and its root; records are only counted. */
export async function checkStructure(source: BatchSource, validator: PayloadValidator): Promise<BatchRoot> {
  let root: BatchRoot | undefined;
  await scan(source, { root: (tag) => { root = readBatchRoot(tag, validator); } }, () => undefined);
  if (root === undefined) throw new Error('scanner ended without a root');
  return root;
}

/**
 * Feeds the document through the scanner; `onRecord` runs synchronously per
 * record, `afterChunk` (awaited) after each input chunk, so storing paces reading.
 */
export async function scan(
  source: BatchSource,
  handlers: { root?: (tag: RootTag) => void },
  onRecord: (raw: RawRecord) => void,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  const scanner = new RecordScanner({ root: (tag) => handlers.root?.(tag), record: onRecord });
  for await (const chunk of source.open()) {
    scanner.push(decoder.write(chunk));
    await afterChunk?.();
  }
  scanner.push(decoder.end());
  scanner.end();
}
