// A server under test in a child process of its own, over a fresh data folder:
// crm-bridge itself, the node-soap baseline, or a hello-world transport
// ceiling. A process of its own, not in this one, so the load generator and
// the server do not share an event loop and the figures are the server's.
// Whatever happens to the bench, the child does not outlive it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** Bytes of the SQLite file with its WAL. */
  databaseBytes(): number;
  /**
   * The server's peak resident memory in bytes, where the OS tells it (Linux);
   * undefined elsewhere. With worker processes, the sum of each one's peak.
   */
  peakRssBytes(): number | undefined;
  /** CPU time the server has used so far (user + system, all its threads and worker processes), in seconds, where the OS tells it (Linux). */
  cpuSeconds(): number | undefined;
  /** How the server ended when it ended before stop() (a crash, or a signal from outside), else undefined. */
  unexpectedExit(): string | undefined;
  /** SIGTERM (a clean shutdown), SIGKILL after a grace period, then removes the data folder. */
  stop(): Promise<void>;
}

export interface ChildServerSpec {
  /** Used in messages and as the prefix of the child's log lines. */
  readonly name: string;
  /** The compiled entry script. It must print one JSON line with `url` when it listens. */
  readonly script: string;
  readonly nodeArgs: readonly string[];
  /** Environment of the child, given its fresh data folder (added to this process's environment). */
  readonly env: (dataDir: string) => Record<string, string>;
  /** The SQLite file inside the data folder, for databaseBytes(). */
  readonly dbFileName?: string;
  /** A data folder of the caller's, kept at stop; by default a fresh one, removed at stop. */
  readonly dataDir?: string | undefined;
}

const CRM_BRIDGE_MAIN = path.resolve('dist/src/main.js');
/** The node flags of `npm start` (package.json), so the figures are the product's as it is run. */
const NPM_START_FLAGS: readonly string[] = (
  JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start.split(/\s+/).filter((arg) => arg.startsWith('--'));
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

export interface CrmBridgeOptions {
  /** CRM_WORKERS: 1 (the default) serves from one process. */
  readonly workers?: number;
  /** Serve this data folder (the caller's, kept at stop) instead of a fresh one. */
  readonly dataDir?: string;
  /** More settings (CRM_*) for the service, e.g. a faster drop-folder poll. */
  readonly env?: Readonly<Record<string, string>>;
}

/** crm-bridge as `npm start` runs it. `nodeArgs`: extra node flags, e.g. ['--cpu-prof']. */
export function startServer(nodeArgs: readonly string[] = [], options: CrmBridgeOptions = {}): Promise<ServerProcess> {
  const workers = options.workers ?? 1;
  return startChildServer({
    name: workers > 1 ? `crm-bridge, CRM_WORKERS=${workers}` : 'crm-bridge',
    dataDir: options.dataDir,
    script: CRM_BRIDGE_MAIN,
    nodeArgs: [...NPM_START_FLAGS, ...nodeArgs],
    // Port 0 and level info: the service picks a free port and says which in
    // its "listening" line (it logs nothing per request at info, so the level
    // costs nothing during the measurements).
    env: (dataDir) => ({ ...options.env, CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_HOST: '127.0.0.1', CRM_LOG_LEVEL: 'info', CRM_WORKERS: String(workers) }),
    dbFileName: 'crm.db',
  });
}

export async function startChildServer(spec: ChildServerSpec): Promise<ServerProcess> {
  const ownDir = spec.dataDir === undefined;
  const dataDir = spec.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-bench-'));
  const removeDir = (): void => { if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true }); };
  const child = spawn(process.execPath, [...spec.nodeArgs, spec.script], {
    env: { ...process.env, ...spec.env(dataDir) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

  let stopping = false;
  let exit: string | undefined;
  // crm-bridge logs "stopping" on SIGINT/SIGTERM and then drains: a request
  // that fails meanwhile fails with a bare ECONNRESET, and this says why.
  const onLine = (fields: Record<string, unknown>): void => {
    if (!stopping && fields['msg'] === 'stopping') exit ??= `was sent ${String(fields['signal'])}, not by the bench`;
  };
  const url = await listeningUrl(spec.name, child, onLine).catch((err: unknown) => {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    removeDir();
    throw err;
  });
  const pid = child.pid ?? 0;
  const dbFile = path.join(dataDir, spec.dbFileName ?? 'crm.db');
  child.once('exit', (code, signal) => {
    if (!stopping) exit ??= signal === null ? `exited with code ${String(code)}` : `was ended by ${signal}, not by the bench`;
  });

  return {
    name: spec.name,
    url,
    pid,
    dataDir,
    databaseBytes: () => [dbFile, `${dbFile}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0),
    peakRssBytes: () => peakRss(pid),
    cpuSeconds: () => cpuSeconds(pid),
    unexpectedExit: () => exit,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      removeDir();
    },
  };
}

/**
 * Runs `work` with a fresh server and always stops it afterwards; when the
 * work fails because the server died, says so first.
 */
export async function withServer<T>(start: () => Promise<ServerProcess>, work: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await work(server);
  } catch (err) {
    const exit = server.unexpectedExit();
    if (exit !== undefined) console.error(`${server.name} ${exit}; the error below is its consequence`);
    throw err;
  } finally {
    await server.stop();
  }
}

/** Reads the child's JSON log lines until the one with `url`; later lines go to stderr and to `onLine`. */
function listeningUrl(name: string, child: ChildProcess, onLine: (fields: Record<string, unknown>) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    if (child.stdout === null) throw new Error(`${name}: stdout is not piped`);
    let found = false;
    const timer = setTimeout(() => reject(new Error(`${name} did not report its URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`${name} exited before listening (code ${String(code)}, signal ${String(signal)})`));
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const fields = jsonFields(line);
      const url = fields['url'];
      if (!found && typeof url === 'string') {
        found = true;
        clearTimeout(timer);
        resolve(url);
        return;
      }
      onLine(fields);
      process.stderr.write(`[${name}] ${line}\n`);
    });
  });
}

function jsonFields(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // Not a JSON line (a stack trace, say): no fields.
  }
  return {};
}

// Clock ticks of /proc/<pid>/stat; 100 a second on every Linux Node.js runs on.
const TICKS_PER_SECOND = 100;

/** The process and its child processes (crm-bridge's workers), where Linux lists them. */
function family(pid: number): number[] {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...(children === '' ? [] : children.split(' ').map(Number))];
  } catch {
    return [pid];
  }
}

/** utime + stime, and with `reaped` the children's that have exited (cutime + cstime). */
function ticks(pid: number, reaped: boolean): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself hold spaces: utime..cstime are 14..17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return (fields[11] ?? 0) + (fields[12] ?? 0) + (reaped ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0);
}

function cpuSeconds(pid: number): number | undefined {
  try {
    const own = ticks(pid, true);
    // A worker that exits between the listing and the read is counted in the primary's reaped time.
    const children = family(pid).slice(1).reduce((sum, p) => { try { return sum + ticks(p, false); } catch { return sum; } }, 0);
    return (own + children) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function peakRss(pid: number): number | undefined {
  try {
    return family(pid).reduce((sum, p) => {
      const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      return sum + (m === null ? 0 : Number(m[1]) * 1024);
    }, 0);
  } catch {
    return undefined;
  }
}
