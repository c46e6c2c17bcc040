// `crm-bridge COMMAND ...` run as the installed command runs it, in a child
// process of its own, measured from outside: wall time, the CPU it used (all
// its threads) and its peak resident memory. The node flags are read from the
// shebang of the command's script (package.json's bin, built from
// src/main.ts), the one place they are written for the command, so the
// figures are the product's as a user runs it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** The node flags of a `#!/usr/bin/env -S node FLAGS` line; none for any other first line. */
export function shebangNodeFlags(firstLine: string): string[] {
  const m = /^#!\s*\S*env\s+-S\s+node((?:\s+\S+)*)\s*$/.exec(firstLine) ?? /^#!\s*\S*\/node((?:\s+\S+)*)\s*$/.exec(firstLine);
  return m === null ? [] : (m[1] ?? '').split(/\s+/).filter((arg) => arg.startsWith('--'));
}

const PACKAGE = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { bin: Record<string, string> };
const SCRIPT = path.resolve(PACKAGE.bin['crm-bridge'] ?? 'dist/src/main.js');

/** The command line of `crm-bridge` without its arguments: node, the shebang's flags, the script. */
export function crmBridgeCommand(): { node: string; args: string[] } {
  const firstLine = fs.readFileSync(SCRIPT, 'utf8').split('\n', 1)[0] ?? '';
  return { node: process.execPath, args: [...shebangNodeFlags(firstLine), SCRIPT] };
}

export interface CommandRun {
  /** Exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: number;
  /** User + system CPU of the process, all its threads (Linux); undefined elsewhere. */
  readonly cpuSeconds: number | undefined;
  /** Its peak resident memory (VmHWM, sampled every 0.1 s, so growth in its last 0.1 s is not seen; Linux); undefined elsewhere. */
  readonly peakRssBytes: number | undefined;
  readonly stdout: string;
  /** The last lines it wrote on stderr (its progress lines and any error). */
  readonly stderrTail: string;
}

const SAMPLE_MS = 100;
const STDERR_TAIL_CHARS = 8000;
// Clock ticks of /proc/<pid>/stat; 100 a second on every Linux Node.js runs on.
const TICKS_PER_SECOND = 100;

/**
 * CPU ticks of this process's children that have ended and been waited for
 * (cutime + cstime of /proc/self/stat). Node waits for a child before its
 * 'exit' event, so the difference across one run is that child's CPU, exact,
 * as long as no other child of the bench ends meanwhile (the bench runs one
 * thing at a time).
 */
function reapedChildTicks(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return (fields[13] ?? NaN) + (fields[14] ?? NaN);
  } catch {
    return undefined;
  }
}

function highWaterMark(pid: number): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined; // not Linux, or it has just ended
  }
}

/**
 * Runs `crm-bridge ...args` over the data folder `dataDir` and waits for it to
 * end, whatever its exit status; its stderr lines are echoed, prefixed, to the
 * bench's stderr (a long import's progress). `input`, when given, is its
 * standard input (a password for `users add`); otherwise it is empty.
 */
export async function runCrmBridge(args: readonly string[], dataDir: string, env: Record<string, string> = {}, input?: string): Promise<CommandRun> {
  const command = crmBridgeCommand();
  const label = `crm-bridge ${args[0] ?? ''}`.trim();
  const ticksBefore = reapedChildTicks();
  const started = process.hrtime.bigint();
  const child = spawn(command.node, [...command.args, ...args], {
    env: { ...process.env, CRM_DATA_DIR: dataDir, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Ended at once: no input reads as an empty standard input, as from /dev/null.
  // A command that ends before reading it must not fail the bench with EPIPE: its exit status says what happened.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input ?? '');
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.on('exit', killOnExit);
  let peak: number | undefined;
  const sample = (): void => {
    const hwm = child.pid === undefined ? undefined : highWaterMark(child.pid);
    if (hwm !== undefined) peak = Math.max(peak ?? 0, hwm);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  let stdout = '';
  let stderrTail = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail = (stderrTail + line + '\n').slice(-STDERR_TAIL_CHARS);
    process.stderr.write(`[${label}] ${line}\n`);
  });
  // 'exit' ends the clock; 'close' comes once its pipes have given their last lines too.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, sig) => resolve([code, sig]));
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const ticksAfter = reapedChildTicks();
    await closed;
    return {
      exitCode,
      signal,
      seconds,
      cpuSeconds: ticksBefore === undefined || ticksAfter === undefined || Number.isNaN(ticksAfter - ticksBefore)
        ? undefined : (ticksAfter - ticksBefore) / TICKS_PER_SECOND,
      peakRssBytes: peak,
      stdout,
      stderrTail,
    };
  } finally {
    clearInterval(timer);
    process.off('exit', killOnExit);
  }
}

/** "exit 0", "exit 1", "killed by SIGKILL". */
export function describeExit(run: Pick<CommandRun, 'exitCode' | 'signal'>): string {
  return run.signal !== null ? `killed by ${run.signal}` : `exit ${String(run.exitCode)}`;
}
