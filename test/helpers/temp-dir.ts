// Every directory a test makes lives under one root for the run, removed when
// the process exits, so a suite run leaves nothing behind in the temp folder
// (a test that restarts a server on the same data directory still can).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let root: string | undefined;

export function tempDir(prefix: string): string {
  if (root === undefined) {
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-tests-'));
    root = made;
    // 'exit' runs synchronously after mocha ends, whether the run passed or not.
    process.once('exit', () => fs.rmSync(made, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(root, prefix));
}
