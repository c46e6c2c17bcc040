// Keeps a running service's users current: the users file is looked at every
// `pollMs` (1 s by default; the contract allows 5 s) and read again when its
// identity, size or times changed. A file that cannot be read or is not a
// users file leaves the users as they were, reported once per change; a file
// that is removed leaves no users. The schedule is injectable so that tests
// (and the wiring) can drive check() themselves.
import fs from 'node:fs';
import { NO_USERS, readUsersFile, type Users } from './users-file.js';

/** Runs `fn` every `ms`; returns how to stop it. */
export type Every = (ms: number, fn: () => void) => () => void;

const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export interface UsersReloaderOptions {
  readonly pollMs?: number;
  readonly every?: Every;
  /** A changed file that could not be used, with why; the previous users stay. */
  readonly onError?: (err: unknown) => void;
  /** A changed file that was read: how many users it holds now. */
  readonly onReload?: (users: Users) => void;
  /**
   * Awaited once a changed file is read and before its users replace the
   * current ones; what it returns runs in the same turn as the replacement,
   * so that what goes with the users (the digest key that opens their sealed
   * passwords) changes with them and no request sees one without the other.
   */
  readonly prepare?: (next: Users) => Promise<(() => void) | undefined>;
}

export class UsersReloader {
  private users: Users = NO_USERS;
  private seen = '';
  private stopTimer: (() => void) | undefined;
  private checking: Promise<boolean> | undefined;

  constructor(
    readonly file: string,
    private readonly options: UsersReloaderOptions = {},
  ) {}

  /** Reads the file the first time; throws when it is there but not a users file (a start must not go on without its users). */
  async load(): Promise<Users> {
    this.seen = await this.signature();
    this.users = await readUsersFile(this.file);
    return this.users;
  }

  /** The users as last read. */
  current(): Users {
    return this.users;
  }

  /** Reads the file again if it changed since last seen; true when the users were replaced. One check at a time. */
  check(): Promise<boolean> {
    this.checking ??= this.checkNow().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  start(): void {
    if (this.stopTimer !== undefined) return;
    const every = this.options.every ?? realEvery;
    this.stopTimer = every(this.options.pollMs ?? 1000, () => {
      void this.check();
    });
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  private async checkNow(): Promise<boolean> {
    const signature = await this.signature();
    if (signature === this.seen) return false;
    this.seen = signature;
    let next: Users;
    let alongside: (() => void) | undefined;
    try {
      next = await readUsersFile(this.file);
      alongside = await this.options.prepare?.(next);
    } catch (err) {
      this.options.onError?.(err);
      return false;
    }
    alongside?.();
    this.users = next;
    this.options.onReload?.(this.users);
    return true;
  }

  /** What tells a changed file: a rename gives a new inode, an edit in place a new size or time. */
  private async signature(): Promise<string> {
    try {
      const s = await fs.promises.stat(this.file, { bigint: true });
      return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      return `error:${(err as NodeJS.ErrnoException).code ?? ''}`;
    }
  }
}
