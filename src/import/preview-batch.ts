// A dry run of a batch: every record is checked as an import would check it
// (structure, XSD, the upsert rules against the store as it is now), and
// nothing is written. Results go to a temporary file, so a preview of any size
// runs in bounded memory. Records repeating an externalId of the same file are
// judged against the store alone (an import would see the earlier record).
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { BatchRecord, BatchSummary, RecordResult } from '../domain/batch.js';
import { unreadableResult } from '../domain/batch-outcome.js';
import { decideUpsert, upsertResult } from '../domain/upsert-decision.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import type { BatchSource } from './batch-source.js';
import { checkStructure } from './import-batch.js';
import { inlineRecordStream } from './record-stream.js';
import type { ShapeLimits } from '../xml/shape-limits.js';

export interface Preview {
  readonly summary: BatchSummary;
  readonly results: () => AsyncIterable<RecordResult>;
  readonly close: () => Promise<void>;
}

export interface PreviewOptions {
  readonly deps: OperationDeps;
  readonly validator: PayloadValidator;
  readonly maxRecordChars?: number;
  readonly shape?: ShapeLimits;
  readonly onProgress?: (n: number) => void;
}

export async function previewBatch(source: BatchSource, options: PreviewOptions): Promise<Preview> {
  const root = await checkStructure(source, options.validator, options);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'crm-preview-'));
  const file = path.join(dir, 'results.ndjson');
  const count = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const out = fs.createWriteStream(file);
  try {
    let read = 0;
    for await (const { records } of inlineRecordStream(source.open(), root.namespaces, root.mode, options.validator).groups()) {
      for (const r of await Promise.all(records.map((record) => predict(record, options.deps)))) {
        count[r.status.toLowerCase() as keyof typeof count] += 1;
        if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
      }
      read += records.length;
      options.onProgress?.(read);
    }
    await new Promise<void>((resolve) => out.end(resolve));
  } catch (err) {
    // A document that breaks mid-stream leaves no spool file behind.
    out.destroy();
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    summary: { batchId: root.batchId, ...count },
    results: () => readResults(file),
    close: () => fs.promises.rm(dir, { recursive: true, force: true }),
  };
}

async function predict(record: BatchRecord, deps: OperationDeps): Promise<RecordResult> {
  const input = record.input;
  if (input === undefined) return unreadableResult(record);
  // One read: both keys from one snapshot.
  const decision = await deps.store.read((unit) => decideUpsert(input,
    input.externalId === undefined ? undefined : unit.customers.byExternalId(input.externalId),
    input.id === undefined ? undefined : unit.customers.byId(input.id)));
  return upsertResult(record.index, input.externalId, decision);
}

async function* readResults(file: string): AsyncGenerator<RecordResult> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as RecordResult;
}
