// `crm-bridge serve` as an operator runs it: a process of its own, on a data
// folder, on a port of its own, for the tests that must kill it (kill -9) or
// start another beside it on the same store.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const MAIN = path.resolve('dist/src/main.js');

export interface Served {
  readonly url: string;
  readonly process: ChildProcess;
  readonly exited: Promise<unknown>;
}

/** Starts `crm-bridge serve` on `dataDir` and resolves once it listens. */
export async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_LOG_LEVEL: 'info', CRM_EXCHANGE: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`crm-bridge serve exited (${String(code)}) before listening`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const fields = JSON.parse(line) as { msg?: string; url?: string };
      if (fields.msg === 'crm-bridge listening' && fields.url !== undefined) resolve(fields.url);
    });
  });
  return { url, process: child, exited };
}

/** Sends `signal` to a server still running, and waits until it has exited. */
export async function stop(served: Served, signal: NodeJS.Signals): Promise<void> {
  if (served.process.exitCode === null && served.process.signalCode === null) served.process.kill(signal);
  await served.exited;
}
