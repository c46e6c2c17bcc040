// What was measured and on what: the commit, the machine, and how busy it was.
// Figures without these cannot be compared with another run.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly memory: string;
  readonly system: string;
  readonly node: string;
}

/** The commit measured, and whether src/ differed from it. */
export function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'xsd', 'wsdl', 'bench') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/xsd/wsdl/bench' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    system: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** The 1-minute load average: 1 = one CPU busy all the time, from any process. */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}
