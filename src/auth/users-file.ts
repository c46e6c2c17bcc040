// The users file (CRM_USERS_FILE, default users.json in the data folder):
// its format, reading it with every entry checked, and writing it whole
// (write-atomically, mode 0600: it holds password hashes and, for digest
// users, sealed passwords). Changes are made under a lock file so that two
// `crm-bridge users` commands run at once do not lose one's change.
// Knows nothing of verifying a password or of the process that reloads it.
import fs from 'node:fs';
import path from 'node:path';
import { isRole, type Role } from '../domain/caller.js';
import { readIfExists } from '../files/read-if-exists.js';
import { writeAtomically } from '../files/write-atomically.js';
import { isSealedPassword } from './digest-key.js';
import { isPasswordHash } from './password-hash.js';

export interface UserEntry {
  readonly role: Role;
  /** scrypt, PHC string (password-hash.ts). */
  readonly passwordHash: string;
  /** The password sealed for PasswordDigest (digest-key.ts); absent when digest is off for this user. */
  readonly digestSecret?: string | undefined;
}

/** Every user by name; a user name is what Basic and UsernameToken send. */
export type Users = ReadonlyMap<string, UserEntry>;

export const NO_USERS: Users = new Map();

/** Letters, digits and . _ @ - (no ':' which Basic cannot carry, no spaces), up to 64. */
export function isUserName(name: string): boolean {
  return /^[A-Za-z0-9._@-]{1,64}$/.test(name);
}

/** The users of `file`; none when the file does not exist. Throws, naming the file and the entry, when it is not a users file. */
export async function readUsersFile(file: string): Promise<Users> {
  const text = await readIfExists(file);
  return text === undefined ? NO_USERS : parseUsers(text, file);
}

export function parseUsers(text: string, file: string): Users {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  const users = isObject(doc) ? doc['users'] : undefined;
  if (!isObject(doc) || doc['version'] !== 1 || !isObject(users)) {
    throw new Error(`${file}: not a users file (expected {"version": 1, "users": {...}})`);
  }
  const out = new Map<string, UserEntry>();
  for (const [name, entry] of Object.entries(users)) {
    if (!isUserName(name)) throw new Error(`${file}: '${name}' is not a user name (letters, digits, . _ @ -, up to 64)`);
    if (!isObject(entry)) throw new Error(`${file}: user '${name}' is not an object`);
    const { role, passwordHash, digestSecret } = entry;
    if (typeof role !== 'string' || !isRole(role)) throw new Error(`${file}: user '${name}' has no role reader or writer`);
    if (typeof passwordHash !== 'string' || !isPasswordHash(passwordHash)) throw new Error(`${file}: user '${name}' has no scrypt passwordHash`);
    if (digestSecret !== undefined && (typeof digestSecret !== 'string' || !isSealedPassword(digestSecret))) {
      throw new Error(`${file}: user '${name}' has a digestSecret that is not a sealed password`);
    }
    out.set(name, { role, passwordHash, digestSecret });
  }
  return out;
}

/** The file's text: users sorted by name, one key order, so that a change shows as a small diff. */
export function formatUsers(users: Users): string {
  const sorted = Object.fromEntries(
    [...users.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, u]) => [name, u.digestSecret === undefined ? { role: u.role, passwordHash: u.passwordHash } : { role: u.role, passwordHash: u.passwordHash, digestSecret: u.digestSecret }]),
  );
  return `${JSON.stringify({ version: 1, users: sorted }, null, 2)}\n`;
}

export async function writeUsersFile(file: string, users: Users): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, once(formatUsers(users)), { mode: 0o600 });
}

/**
 * Reads the file, lets `change` return the new users (or undefined to leave
 * the file as it is), writes them: all under `<file>.lock`, made with O_EXCL
 * and removed after, so changes from two processes apply one after the other.
 * A lock older than `staleMs` (a killed command's) is taken over.
 */
export async function changeUsersFile<T>(
  file: string,
  change: (users: Users) => Promise<{ users?: Users; result: T }>,
  options: { waitMs?: number; staleMs?: number } = {},
): Promise<T> {
  const lock = `${file}.lock`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await takeLock(lock, options.waitMs ?? 10_000, options.staleMs ?? 60_000);
  try {
    const { users, result } = await change(await readUsersFile(file));
    if (users !== undefined) await writeUsersFile(file, users);
    return result;
  } finally {
    await fs.promises.rm(lock, { force: true });
  }
}

async function takeLock(lock: string, waitMs: number, staleMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      await fs.promises.writeFile(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await fs.promises.stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) {
      await fs.promises.rm(lock, { force: true });
      continue;
    }
    if (Date.now() > until) throw new Error(`${lock} is held by another crm-bridge users command; remove it if none is running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}
