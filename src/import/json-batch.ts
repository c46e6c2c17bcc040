// A streamed JSON batch (POST /api/batches, contract v1.1): the twin of the
// XML CustomerBatch's two passes, behind the same BatchFormat
// (import-batch.ts), so the session, replay, ATOMIC/PARTIAL and resume rules
// are the XML import's own. Pass 1 cuts the whole text (json-batch-cutter.ts:
// JSON anywhere, UTF-8, shape and record limits) and reads the batch's own
// members, `batchId` and `mode`, before `customers` (quickly when it can:
// see checkJsonBatch); pass 2 cuts it again
// (json-record-cutter.ts: records only, on the checked text) and reads each
// record whole: parsed by parse-json.ts, checked by the same
// XSD-derived JSON Schema and mapped by the same customer-json.ts as POST
// /api/customers, so a record that breaks a rule fails alone with pointers
// relative to it.
import type { BatchMode, BatchRecord, RecordGroup } from '../domain/batch.js';
import { BatchFingerprint } from '../domain/batch-fingerprint.js';
import { MalformedJsonError, ValidationFailedError, type SchemaErrorDetail } from '../errors.js';
import { cutJsonBatch, JsonBatchCutter, utf16Length, type CutLimits, type TopMember } from '../json/json-batch-cutter.js';
import { cutCheckedJsonBatch, JsonRecordCutter, type CutRecord } from '../json/json-record-cutter.js';
import { jsonLocator } from '../json/locate-json.js';
import { parseJson } from '../json/parse-json.js';
import { batchMode, failedJsonRecord, type ReadRecord } from '../mapping/batch-record.js';
import { readCustomerJson } from '../mapping/customer-json.js';
import type { JsonValidator } from '../validation/json-validator.js';
import type { BatchSource } from './batch-source.js';
import { nextGroupSize, type RecordStream } from './record-stream.js';

/** The member holding the records (contract v1.1: a batch `{"batchId","mode","customers":[...]}`). */
export const RECORDS_MEMBER = 'customers';

/** The batch's own members, in the order they must come. */
const HEAD_MEMBERS = ['batchId', 'mode'];

/** Errors of the batch's own members listed at most (the body may have any number of members). */
const MAX_HEAD_ERRORS = 20;

export interface JsonBatchHead {
  readonly batchId: string | undefined;
  readonly mode: BatchMode;
}

/**
 * Pass 1: the whole text is JSON within the limits, and its own members are
 * the contract's; nothing is stored. The quick check vouches for a good
 * batch; at its first doubt the exact check reads the text from the start
 * and says what is wrong, where. So a good batch pays the quick check only,
 * and a bad one is refused in the same words either way.
 */
export async function checkJsonBatch(source: BatchSource, validator: JsonValidator, limits: CutLimits): Promise<JsonBatchHead> {
  return (await quickCheckJsonBatch(source, validator, limits)) ?? exactCheckJsonBatch(source, validator, limits);
}

/** Every token through @streamparser/json's tokenizer and grammar, with lines and columns: the words of every refusal. */
export async function exactCheckJsonBatch(source: BatchSource, validator: JsonValidator, limits: CutLimits): Promise<JsonBatchHead> {
  const head = new HeadReader();
  for await (const _records of cutJsonBatch(source.open(), RECORDS_MEMBER, head, limits)) {
    // the cutter throws at the first error of syntax or size
  }
  return head.result(validator);
}

/**
 * The batch's head when the text is surely good, else undefined (nothing
 * said about where or why). Each record is checked by V8's JSON.parse after
 * a fatal UTF-8 decode (native, about ten times the tokenizer's speed); the
 * frame, the text with every record as `0`, goes through the exact check's
 * tokenizer and grammar, which also reads the head. Good records put in
 * the places of `0`s in a good frame make a good text, so nothing passes
 * here that the exact check refuses (test/unit/json-batch-check.test.ts
 * holds them to that over mutated batches).
 */
export async function quickCheckJsonBatch(source: BatchSource, validator: JsonValidator, limits: CutLimits): Promise<JsonBatchHead | undefined> {
  const walk = new JsonRecordCutter(RECORDS_MEMBER, { limits });
  const head = new HeadReader();
  const frame = new JsonBatchCutter(RECORDS_MEMBER, head, limits);
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    for await (const chunk of source.open()) {
      for (const { bytes } of walk.push(chunk)) {
        if (bytes.length > limits.maxRecordChars && utf16Length(bytes) > limits.maxRecordChars) return undefined;
        JSON.parse(utf8.decode(bytes));
      }
      if (walk.doubt !== undefined) return undefined;
      frame.push(walk.takeFrame());
    }
    walk.finishFrame();
    frame.push(walk.takeFrame());
    frame.finish();
    return head.result(validator);
  } catch {
    // Whatever it was, the exact check finds it and says it.
    return undefined;
  }
}

/** Collects the batch's own members as pass 1 passes them, then checks them by the CustomerBatch schema. */
class HeadReader {
  private kind: string | undefined;
  private readonly members: TopMember[] = [];
  private readonly errors: SchemaErrorDetail[] = [];
  private readonly seen = new Set<string>([]);
  private readonly values: Record<string, unknown> = {};

  readonly notObject = (kind: string): void => {
    this.kind ??= kind;
  };

  readonly member = (m: TopMember): void => {
    const path = `/${m.name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (this.seen.has(m.name)) {
      this.error({ line: m.line, column: m.column, path, message: `${path}: the member is repeated in its object` });
      return;
    }
    this.seen.add(m.name);
    if (m.afterRecords && HEAD_MEMBERS.includes(m.name)) {
      this.error({ line: m.line, column: m.column, path, message: `${path}: must come before ${RECORDS_MEMBER} (a batch is {"batchId","mode","${RECORDS_MEMBER}":[...]})` });
    }
    if (this.members.length < MAX_HEAD_ERRORS + HEAD_MEMBERS.length) this.members.push(m);
    // A container stands for itself by its kind: the schema says what it should have been.
    // The records' array is read in pass 2: here it stands as an empty one.
    this.values[m.name] = typeof m.value !== 'object' || m.value === null ? m.value
      : m.value.container === 'object' ? {} : m.name === RECORDS_MEMBER ? [] : ['…'];
  };

  private error(e: SchemaErrorDetail): void {
    if (this.errors.length < MAX_HEAD_ERRORS) this.errors.push(e);
  }

  result(validator: JsonValidator): JsonBatchHead {
    if (this.kind !== undefined) {
      throw new ValidationFailedError(`The batch is ${this.kind}, not an object {"batchId","mode","${RECORDS_MEMBER}":[...]}`, [
        { line: 1, column: 1, path: '', message: `/: must be an object {"batchId","mode","${RECORDS_MEMBER}":[...]}` },
      ]);
    }
    const place = (pointer: string): { line: number; column: number } => {
      const name = pointer.slice(1).split('/')[0] ?? '';
      const m = this.members.find((x) => x.name === name.replaceAll('~1', '/').replaceAll('~0', '~'));
      return m === undefined ? { line: 1, column: 1 } : { line: m.line, column: m.column };
    };
    const checked = validator.validate('CustomerBatch', this.values, place);
    const errors = [...this.errors, ...checked.errors].slice(0, MAX_HEAD_ERRORS);
    if (errors.length > 0) {
      throw new ValidationFailedError(
        `The batch fails the schema with ${errors.length} error${errors.length === 1 ? '' : 's'}; the first: ${errors[0]?.message ?? ''}`,
        errors,
      );
    }
    const value = checked.value as { batchId?: string; mode?: string };
    return { batchId: value.batchId, mode: batchMode(value.mode) };
  }
}

/** Pass 2: the records, read GROUP_SIZE at a time on the calling thread (a group ends at `markAt`), and the batch's fingerprint. */
export function jsonRecordStream(source: BatchSource, mode: BatchMode, validator: JsonValidator, groupSize: number, markAt = 0): RecordStream {
  const fingerprint = new BatchFingerprint(mode);
  let digest: string | undefined;
  async function* groups(): AsyncGenerator<RecordGroup> {
    let index = 0;
    let group: BatchRecord[] = [];
    let size = nextGroupSize(0, groupSize, markAt);
    for await (const found of cutCheckedJsonBatch(source.open(), RECORDS_MEMBER)) {
      for (const cut of found) {
        const one = readJsonRecord(cut, ++index, validator);
        fingerprint.add(one.fingerprint);
        group.push(one.record);
        if (group.length >= size) {
          yield { records: group, readThrough: fingerprint.prefix() };
          group = [];
          size = nextGroupSize(index, groupSize, markAt);
        }
      }
    }
    if (group.length > 0) yield { records: group, readThrough: fingerprint.prefix() };
    digest = fingerprint.digest();
  }
  return {
    thread: 'calling',
    groups,
    fingerprint: () => {
      if (digest === undefined) throw new Error('fingerprint() before the records were all read');
      return digest;
    },
  };
}

/**
 * One record, as POST /api/customers reads its body: parsed whole (repeated
 * members found), checked by the Customer schema (null and [] dropped),
 * mapped. Its fingerprint is the customer as read, so the same content
 * with other member order or spacing replays; a failed record's is its
 * value with sorted members, for the same reason.
 */
export function readJsonRecord({ bytes, members }: CutRecord, index: number, validator: JsonValidator): ReadRecord {
  let document;
  try {
    document = parseJson(bytes, members);
  } catch (err) {
    // Pass 1 found the whole text to be JSON; kept for a text changed in between.
    if (!(err instanceof MalformedJsonError)) throw err;
    return failedJsonRecord(index, 'MALFORMED_JSON', err.errors.map((e) => ({ path: '', message: e.message })), Buffer.from(bytes).toString('base64'));
  }
  const { text } = document;
  const errors: { path?: string; message: string }[] = document.duplicates.map((d) => ({ path: d.path, message: `${d.path}: the member is repeated in its object` }));
  const checked = validator.validate('Customer', document.value, jsonLocator(text));
  errors.push(...checked.errors);
  if (errors.length > 0) {
    const externalId = (checked.value as { externalId?: unknown } | undefined)?.externalId;
    const echoed = typeof externalId === 'string' && !checked.errors.some((e) => e.path === '/externalId') ? externalId : undefined;
    return failedJsonRecord(index, 'VALIDATION_FAILED', errors, canonical(checked.value), echoed);
  }
  const input = readCustomerJson(checked.value);
  return { record: { index, input }, fingerprint: input };
}

/** `value` with every object's members sorted by name: what a fingerprint takes of a value whose member order is the client's. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]));
}
