// Checks a user name and clear password (HTTP Basic, a PasswordText
// UsernameToken) against the users. An unknown user costs the same scrypt as
// a known one (a dummy hash is verified) and fails with the same error, so
// neither the answer nor its time tells which names exist. A success is
// remembered (keyed by an HMAC of name and password under a key that lives
// only in this process, and only while the user's hash is unchanged) so that
// a client sending Basic on every request pays scrypt once, not per request;
// failures are never remembered and always cost a full scrypt.
import { createHmac, randomBytes } from 'node:crypto';
import type { Caller } from '../domain/caller.js';
import { UnauthorizedError } from '../errors.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './password-hash.js';
import type { Users } from './users-file.js';

export interface PasswordCheckerOptions {
  /** How many verified name/password pairs are remembered (least recently used go first); 0 remembers none. */
  readonly rememberVerified?: number;
  /** The dummy hash's parameters: those of the users' own hashes (DEFAULT_SCRYPT), so that its cost is theirs. */
  readonly dummyParams?: ScryptParams;
}

export class PasswordChecker {
  private readonly cacheKey = randomBytes(32);
  private readonly verified = new Map<string, string>();
  /** A hash of a random password that no one knows, with the users' parameters: made at once, so the first unknown name costs no more than the next. */
  private readonly dummy: Promise<string>;

  constructor(
    private readonly users: () => Users,
    private readonly options: PasswordCheckerOptions = {},
  ) {
    this.dummy = hashPassword(randomBytes(16).toString('base64'), options.dummyParams ?? DEFAULT_SCRYPT);
  }

  /** The caller `name` is, or UnauthorizedError (AUTHENTICATION_FAILED) when the name is unknown or the password wrong. */
  async check(name: string, password: string, provenBy: Caller['provenBy'] = 'password'): Promise<Caller> {
    const user = this.users().get(name);
    const remembered = this.remembered(name, password);
    if (user !== undefined && this.verified.get(remembered) === user.passwordHash) {
      this.verified.delete(remembered);
      this.verified.set(remembered, user.passwordHash);
      return { name, role: user.role, provenBy };
    }
    const hash = user?.passwordHash ?? (await this.dummy);
    const right = await verifyPassword(password, hash);
    if (user === undefined) throw new UnauthorizedError('unknown user');
    if (!right) throw new UnauthorizedError('wrong password');
    this.remember(remembered, user.passwordHash);
    return { name, role: user.role, provenBy };
  }

  private remembered(name: string, password: string): string {
    return createHmac('sha256', this.cacheKey).update(name).update('\0').update(password).digest('base64');
  }

  private remember(key: string, hash: string): void {
    const limit = this.options.rememberVerified ?? 1000;
    if (limit <= 0) return;
    this.verified.delete(key);
    this.verified.set(key, hash);
    for (const oldest of this.verified.keys()) {
      if (this.verified.size <= limit) break;
      this.verified.delete(oldest);
    }
  }
}
