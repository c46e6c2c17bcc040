// Turns what a request presented into its caller, with the building blocks of
// this folder: the Authorization header (Basic against the users' scrypt
// hashes, Bearer against the JWKS) and the WS-Security UsernameToken. Sent
// both, both must verify and the token's user is the caller (contract); the
// header is verified first, so a request whose header fails does not spend
// the token's nonce. Whether auth is on is read per request: it follows the
// users file (a first user turns it on, removing the last turns it off
// unless tokens are configured).
import type { Caller } from '../domain/caller.js';
import type { BasicCredentials, BearerCredentials, PresentedCredentials } from '../domain/credentials.js';
import { UnauthorizedError } from '../errors.js';
import type { NonceLedger } from '../store/nonce-ledger.js';
import { readAuthorization } from './authorization-header.js';
import { DigestKey } from './digest-key.js';
import { JwtVerifier, type JwtSettings } from './jwt-verifier.js';
import { PasswordChecker } from './password-checker.js';
import { UsernameTokenVerifier } from './username-token.js';
import { UsersReloader } from './users-reloader.js';

export interface AuthSettings {
  readonly usersFile: string;
  readonly usersKeyFile: string;
  /** CRM_WSSE_DIGEST */
  readonly wsseDigest: boolean;
  /** CRM_JWT_*, or undefined when bearer tokens are off. */
  readonly jwt: JwtSettings | undefined;
  /** How often the users file is looked at (the contract allows 5 s). */
  readonly usersPollMs?: number;
}

export interface AuthLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class Authenticator {
  private digestKey: DigestKey | undefined;
  private readonly passwords: PasswordChecker;
  private readonly tokens: UsernameTokenVerifier;
  private readonly jwt: JwtVerifier | undefined;

  private constructor(
    private readonly users: UsersReloader,
    settings: AuthSettings,
    nonces: NonceLedger,
  ) {
    this.passwords = new PasswordChecker(() => users.current());
    this.tokens = new UsernameTokenVerifier(() => users.current(), this.passwords, () => this.digestKey, nonces, { digest: settings.wsseDigest });
    this.jwt = settings.jwt === undefined ? undefined : new JwtVerifier(settings.jwt);
  }

  /** Reads the users (refusing a file that is not a users file: a start must not go on without its users) and the digest key. */
  static async open(settings: AuthSettings, nonces: NonceLedger, log: AuthLog): Promise<Authenticator> {
    let auth: Authenticator | undefined;
    const users = new UsersReloader(settings.usersFile, {
      pollMs: settings.usersPollMs,
      onError: (err) => log.error({ err, file: settings.usersFile }, 'users file changed but cannot be used; the users stay as they were'),
      onReload: (now) => log.info({ file: settings.usersFile, users: now.size }, 'users file read again'),
      // The first digest user's `users add` makes the key, and `users rotate-key` replaces it before it seals the users
      // file again: read it with every change of the users file, and swap it in with the users it opens (a request
      // between the two would find passwords sealed under a key not yet read: rotate-key's test saw it).
      prepare: async () => {
        const key = await readDigestKey(settings.usersKeyFile, log);
        return () => { if (auth !== undefined && key !== undefined) auth.digestKey = key.key; };
      },
    });
    await users.load();
    auth = new Authenticator(users, settings, nonces);
    auth.digestKey = (await readDigestKey(settings.usersKeyFile, log))?.key;
    return auth;
  }

  /** Looks at the users file every poll from now on. */
  start(): void {
    this.users.start();
  }

  stop(): void {
    this.users.stop();
  }

  /** Contract: auth is on once any user or a token issuer is configured. */
  on(): boolean {
    return this.users.current().size > 0 || this.jwt !== undefined;
  }

  /** Whether bearer tokens are accepted (a 401 then challenges Bearer too). */
  get bearer(): boolean {
    return this.jwt !== undefined;
  }

  async verify(credentials: PresentedCredentials): Promise<Caller> {
    const header = readAuthorization(credentials.authorization);
    const token = credentials.usernameToken?.();
    const byHeader = header === undefined ? undefined : await this.verifyHeader(header);
    if (token !== undefined) return this.tokens.verify(token);
    if (byHeader === undefined) throw new UnauthorizedError('no credentials');
    return byHeader;
  }

  private verifyHeader(header: BasicCredentials | BearerCredentials): Promise<Caller> {
    if (header.kind === 'basic') return this.passwords.check(header.username, header.password);
    if (this.jwt === undefined) return Promise.reject(new UnauthorizedError('a bearer token, but CRM_JWT_JWKS is not set'));
    return this.jwt.verify(header.token);
  }
}

/** The digest key file's keys (`key` undefined when there is no file), or undefined when it cannot be read, logged: PasswordDigest is then refused. */
async function readDigestKey(file: string, log: AuthLog): Promise<{ key: DigestKey | undefined } | undefined> {
  try {
    return { key: await DigestKey.read(file) };
  } catch (err) {
    log.error({ err, file }, 'digest key cannot be read; PasswordDigest tokens are refused');
    return undefined;
  }
}
