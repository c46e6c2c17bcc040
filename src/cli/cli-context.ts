// What a CLI command works with: the dispatcher over the store of the
// configured data folder, the import's settings, and its two output streams.
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { RequestContext } from '../dispatch/request-context.js';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { WorkerPolicy } from '../import/record-stream.js';

export interface CliContext {
  /** Every command enters the service here, as every other channel does. */
  readonly dispatcher: Dispatcher;
  /** Whether a large import reads its records in a worker thread. */
  readonly importWorkers: WorkerPolicy;
  /** The most characters one record of a batch may hold (CRM_MAX_RECORD_BYTES). */
  readonly maxRecordChars: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** The RequestContext of one command: each run is one request, on behalf of the OS user who ran it (the trusted local channel's actor). */
export function cliRequest(): RequestContext {
  return { channel: 'cli', requestId: randomUUID(), actor: osUser() };
}

/** The login name of the process's user; its uid where the system has no name for it (a container's arbitrary uid). */
function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? '?'}`;
  }
}
