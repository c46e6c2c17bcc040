// crm-bridge users add | remove | list: the users file (auth/users-file.ts),
// changed under its lock and written whole, mode 0600. A password is read
// from standard input, one line, its newline dropped, never from the command
// line (where ps and the shell's history would show it); users list never
// prints a hash or a sealed password. Exit: 0 done, 1 refused (the user
// exists without --update, is unknown, or no password was given), 64 usage.
import { isRole, type Role } from '../domain/caller.js';
import { DigestKey } from '../auth/digest-key.js';
import { hashPassword } from '../auth/password-hash.js';
import { changeUsersFile, isUserName, readUsersFile, type UserEntry } from '../auth/users-file.js';

export const USERS_EXIT = { OK: 0, REFUSED: 1, USAGE: 64 } as const;

export interface UsersContext {
  readonly usersFile: string;
  readonly keyFile: string;
  /** CRM_WSSE_DIGEST: when off, no password is sealed for PasswordDigest, whatever --digest says. */
  readonly digestAllowed: boolean;
  /** The first line of standard input, its newline dropped; undefined when the input ended before any character. */
  readonly readPassword: () => Promise<string | undefined>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface AddOptions {
  readonly role: string;
  readonly update?: boolean;
  /** commander's --digest / --no-digest: undefined when neither was given. */
  readonly digest?: boolean;
}

export async function usersAdd(name: string, options: AddOptions, context: UsersContext): Promise<number> {
  if (!isUserName(name)) {
    context.err(`'${name}' is not a user name: letters, digits, . _ @ - (no ':' or spaces), up to 64 characters`);
    return USERS_EXIT.USAGE;
  }
  if (!isRole(options.role)) {
    context.err(`--role must be reader or writer, got '${options.role}'`);
    return USERS_EXIT.USAGE;
  }
  const role: Role = options.role;
  const password = await context.readPassword();
  if (password === '') {
    context.err('the password is empty: give it as one line on standard input');
    return USERS_EXIT.REFUSED;
  }
  if (options.digest === true && !context.digestAllowed) context.err('CRM_WSSE_DIGEST=off: no password is kept for PasswordDigest');
  return changeUsersFile(context.usersFile, async (users) => {
    const old = users.get(name);
    if (old !== undefined && options.update !== true) {
      context.err(`user '${name}' exists; add --update to replace its password or role`);
      return { result: USERS_EXIT.REFUSED };
    }
    // Neither --digest nor --no-digest: a new user has digest, an updated one keeps what it had.
    const wantsDigest = context.digestAllowed && (options.digest ?? (old === undefined || old.digestSecret !== undefined));
    let entry: UserEntry;
    if (password !== undefined) {
      const key = wantsDigest ? await DigestKey.readOrCreate(context.keyFile) : undefined;
      entry = { role, passwordHash: await hashPassword(password), digestSecret: key?.seal(name, password) };
    } else if (old !== undefined) {
      // --update with no password: the role changes, the password stays; digest can be dropped, not added.
      if (options.digest === true && old.digestSecret === undefined && context.digestAllowed) {
        context.err(`user '${name}' has no password kept for PasswordDigest: give the password on standard input to turn digest on`);
        return { result: USERS_EXIT.REFUSED };
      }
      entry = { role, passwordHash: old.passwordHash, digestSecret: wantsDigest ? old.digestSecret : undefined };
    } else {
      context.err(`no password on standard input for the new user '${name}'`);
      return { result: USERS_EXIT.REFUSED };
    }
    const next = new Map(users);
    next.set(name, entry);
    context.out(`${old === undefined ? 'added' : 'updated'} ${describe(name, entry)}`);
    return { users: next, result: USERS_EXIT.OK };
  });
}

export async function usersRemove(name: string, context: UsersContext): Promise<number> {
  return changeUsersFile(context.usersFile, async (users) => {
    if (!users.has(name)) {
      context.err(`no user '${name}' in ${context.usersFile}`);
      return { result: USERS_EXIT.REFUSED };
    }
    const next = new Map(users);
    next.delete(name);
    context.out(`removed ${name}${next.size === 0 ? ' (no users left: password authentication is off)' : ''}`);
    return { users: next, result: USERS_EXIT.OK };
  });
}

export async function usersList(context: UsersContext): Promise<number> {
  const users = await readUsersFile(context.usersFile);
  if (users.size === 0) context.err(`no users in ${context.usersFile}`);
  for (const [name, entry] of [...users.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) context.out(describe(name, entry));
  return USERS_EXIT.OK;
}

/**
 * A new digest key (users rotate-key): every sealed password opened with the
 * current key and sealed with a new one. The key file holds both keys while
 * the users file is rewritten, so a running service opens every password
 * throughout (it reads the key again with each change of the users file),
 * then the new key alone. Refused, changing nothing, when a sealed password
 * does not open: that user needs its password again (`users add --update`).
 */
export async function usersRotateKey(context: UsersContext): Promise<number> {
  let rotated: DigestKey | undefined;
  const status = await changeUsersFile(context.usersFile, async (users) => {
    const current = await DigestKey.read(context.keyFile);
    const sealed = [...users.entries()].filter(([, entry]) => entry.digestSecret !== undefined);
    if (current === undefined) {
      if (sealed.length === 0) {
        context.out(`no digest key in ${context.keyFile} and no user with digest: nothing to rotate`);
        return { result: USERS_EXIT.OK };
      }
      context.err(`${context.keyFile} is missing: the sealed passwords of ${sealed.map(([name]) => name).join(', ')} cannot be opened; give them again with users add --update`);
      return { result: USERS_EXIT.REFUSED };
    }
    const unopened = sealed.filter(([name, entry]) => current.open(name, entry.digestSecret ?? '') === undefined).map(([name]) => name);
    if (unopened.length > 0) {
      context.err(`the sealed passwords of ${unopened.join(', ')} do not open with ${context.keyFile}: nothing rotated; give them again with users add --update`);
      return { result: USERS_EXIT.REFUSED };
    }
    const next = current.withNewKey();
    await next.write(context.keyFile);
    rotated = next;
    const resealed = new Map(users);
    for (const [name, entry] of sealed) resealed.set(name, { ...entry, digestSecret: next.seal(name, current.open(name, entry.digestSecret ?? '') ?? '') });
    context.out(`new digest key in ${context.keyFile}; ${sealed.length} sealed password${sealed.length === 1 ? '' : 's'} sealed again`);
    return { users: resealed, result: USERS_EXIT.OK };
  });
  // The users file now holds only what the new key sealed: the old key can go (a service reads the file within its poll).
  if (rotated !== undefined) await rotated.sealingKeyOnly().write(context.keyFile);
  return status;
}

/** "alice  writer  digest": never a hash or a sealed password. */
function describe(name: string, entry: UserEntry): string {
  return `${name}\t${entry.role}\t${entry.digestSecret === undefined ? 'no-digest' : 'digest'}`;
}
