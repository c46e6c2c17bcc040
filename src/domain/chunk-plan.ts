// How a PARTIAL batch chunk is decided: most records against one read of
// the customers the chunk names, the others each against a read of its own.
// A chunk of 1000 records read and created in sets took ~50-56 µs a customer
// against ~82-95 record by record (docs/store.md); the plan keeps the results
// those of the records applied one by one, in order.
import type { BatchRecord } from './batch.js';

/**
 * `set`: decided against the chunk's set read (no earlier record of the chunk
 * can have changed what it matches); `alone`: read and decided on its own,
 * after every write of the records before it; `unreadable`: fails as read.
 */
export type ChunkStep = 'set' | 'alone' | 'unreadable';

export interface ChunkPlan {
  /** The externalIds to read together before the first record: those of the `set` records. */
  readonly keys: readonly string[];
  /** One step per record, in input order. */
  readonly steps: readonly ChunkStep[];
}

/**
 * A record that names an externalId and no id is decided against the set
 * read, unless an earlier record of the chunk named that externalId (it may
 * have created or changed that customer) or any earlier record named an id
 * (which may change a customer under another externalId, or free one).
 */
export function planChunk(records: readonly BatchRecord[]): ChunkPlan {
  const keys: string[] = [];
  const named = new Set<string>();
  let readIsCurrent = true;
  const steps = records.map((record): ChunkStep => {
    const input = record.input;
    if (input === undefined) return 'unreadable';
    const externalId = input.externalId;
    if (externalId !== undefined && input.id === undefined && readIsCurrent && !named.has(externalId)) {
      named.add(externalId);
      keys.push(externalId);
      return 'set';
    }
    if (externalId !== undefined) named.add(externalId);
    if (input.id !== undefined) readIsCurrent = false;
    return 'alone';
  });
  return { keys, steps };
}
