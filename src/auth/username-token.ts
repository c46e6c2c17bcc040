// Verifies a WS-Security 1.0 UsernameToken (OASIS Username Token Profile 1.0)
// against the users, the way WSS4J's UsernameTokenValidator and ReplayCache do:
//   PasswordText: the password is checked like HTTP Basic's (password-checker.ts).
//   PasswordDigest: Password = Base64(SHA-1(nonce bytes + Created + password)),
//     Nonce the Base64 of the nonce's bytes, Created the characters as sent;
//     checked against the user's sealed password (digest-key.ts) in constant
//     time, with the same work for an unknown user, a user without digest
//     and a wrong digest.
// Nonce and Created are required with a digest and checked whenever a token
// carries them: Created older than 5 minutes or more than 60 s ahead is
// refused; a Nonce is accepted once: claimed in the NonceLedger, only once
// the password is right, until its token's window ends. Every refusal is the
// same UnauthorizedError.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../domain/caller.js';
import type { UsernameToken } from '../domain/credentials.js';
import { UnauthorizedError } from '../errors.js';
import type { NonceLedger } from '../store/nonce-ledger.js';
import type { DigestKey } from './digest-key.js';
import type { PasswordChecker } from './password-checker.js';
import type { Users } from './users-file.js';

/** How old a token's Created may be (contract: 5 minutes), and so how long its nonce is remembered. */
export const MAX_AGE_MS = 5 * 60_000;
/** How far ahead of our clock a Created may be (contract: 60 s). */
export const MAX_AHEAD_MS = 60_000;

export interface UsernameTokenPolicy {
  /** CRM_WSSE_DIGEST: false refuses every PasswordDigest token. */
  readonly digest: boolean;
  readonly now?: () => number;
}

/** Base64(SHA-1(nonce + created + password)) (Username Token Profile 1.0, 3.1). */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(nonce).update(created, 'utf8').update(password, 'utf8').digest('base64');
}

export class UsernameTokenVerifier {
  /** Digested for an unknown user or one without digest, so that every refusal does the same work. */
  private readonly dummySecret: string;
  /** A password sealed under each key for no user (a NUL is in no user name), opened in their place. */
  private readonly dummies = new WeakMap<DigestKey, string>();

  constructor(
    private readonly users: () => Users,
    private readonly passwords: PasswordChecker,
    /** The key digest users' passwords are sealed with (CRM_USERS_KEY_FILE); undefined when there is none. */
    private readonly digestKey: () => DigestKey | undefined,
    private readonly nonces: NonceLedger,
    private readonly policy: UsernameTokenPolicy,
  ) {
    this.dummySecret = randomBytes(24).toString('base64');
  }

  async verify(token: UsernameToken): Promise<Caller> {
    const now = (this.policy.now ?? Date.now)();
    const { nonce, createdMs } = this.freshness(token, now);
    let caller: Caller;
    if (token.passwordType === 'digest') {
      if (nonce === undefined || createdMs === undefined) throw new UnauthorizedError('a PasswordDigest without Nonce and Created');
      caller = this.checkDigest(token, nonce);
    } else {
      caller = await this.passwords.check(token.username, token.password, 'username-token');
    }
    // Until the token's window ends: Created + 5 min, or 5 min from now for a PasswordText token with a nonce and no Created.
    if (nonce !== undefined && !(await this.nonces.claim(nonce.toString('base64'), (createdMs ?? now) + MAX_AGE_MS, now))) {
      throw new UnauthorizedError('a nonce already used');
    }
    return caller;
  }

  /** The token's nonce and Created, each checked when it is there (node-soap, for one, sends Created without a nonce with PasswordText). */
  private freshness(token: UsernameToken, now: number): { nonce?: Buffer; createdMs?: number } {
    let nonce: Buffer | undefined;
    let createdMs: number | undefined;
    if (token.nonce !== undefined) {
      nonce = decodeBase64(token.nonce);
      if (nonce === undefined || nonce.length === 0) throw new UnauthorizedError('a Nonce that is not Base64');
    }
    if (token.created !== undefined) {
      createdMs = parseDateTime(token.created);
      if (createdMs === undefined) throw new UnauthorizedError('a Created that is not an xs:dateTime with a time zone');
      if (createdMs < now - MAX_AGE_MS) throw new UnauthorizedError('a Created more than 5 minutes old');
      if (createdMs > now + MAX_AHEAD_MS) throw new UnauthorizedError('a Created more than 60 s ahead');
    }
    return { nonce, createdMs };
  }

  private dummySealed(key: DigestKey): string {
    let sealed = this.dummies.get(key);
    if (sealed === undefined) {
      sealed = key.seal('\0', this.dummySecret);
      this.dummies.set(key, sealed);
    }
    return sealed;
  }

  private checkDigest(token: UsernameToken, nonce: Buffer): Caller {
    const user = this.users().get(token.username);
    const key = this.policy.digest ? this.digestKey() : undefined;
    // An unknown user or one without digest opens a dummy (which fails), so every refusal decrypts once.
    const opened = key === undefined ? undefined : key.open(token.username, user?.digestSecret ?? this.dummySealed(key));
    const password = user?.digestSecret === undefined ? undefined : opened;
    const expected = Buffer.from(passwordDigest(nonce, token.created ?? '', password ?? this.dummySecret), 'base64');
    const sent = decodeBase64(token.password) ?? Buffer.alloc(0);
    const same = sent.length === expected.length && timingSafeEqual(sent, expected);
    if (!this.policy.digest) throw new UnauthorizedError('PasswordDigest is off (CRM_WSSE_DIGEST=off)');
    if (user === undefined) throw new UnauthorizedError('unknown user');
    if (password === undefined) throw new UnauthorizedError('a PasswordDigest for a user without digest');
    if (!same) throw new UnauthorizedError('wrong password digest');
    return { name: token.username, role: user.role, provenBy: 'username-token' };
  }
}

/** Bytes of strict Base64 (whitespace allowed between characters, as in XML text); undefined otherwise. */
function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** An xs:dateTime with a time zone (Z or ±hh:mm), as ms since the epoch; undefined otherwise (a Created without a zone names no instant). */
function parseDateTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text.trim());
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${(m[7] ?? '').slice(0, 4)}${m[8]}`);
  return Number.isNaN(ms) ? undefined : ms;
}
