// A digest of what a batch asks for (its mode and every record as read), so a
// re-sent batchId is recognised whatever prefixes or indentation the client
// used this time, and a different body under the same batchId is not. Built
// record by record, so a streamed batch of any size is hashed as it passes.
import { createHash, type Hash } from 'node:crypto';
import type { BatchMode } from './batch.js';

export class BatchFingerprint {
  private readonly hash: Hash = createHash('sha256');

  constructor(mode: BatchMode) {
    this.hash.update(`mode:${mode}\n`);
  }

  /** A record as read, or its raw text when it could not be read. */
  add(record: unknown): void {
    this.hash.update(JSON.stringify(record));
    this.hash.update('\n');
  }

  /** The digest of what was added so far (the hash goes on): what a stored chunk's records were read with. */
  prefix(): string {
    return this.hash.copy().digest('hex');
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
