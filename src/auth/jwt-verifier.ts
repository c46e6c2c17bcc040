// Verifies an OAuth 2.0 bearer token, a JWT signed with RS256 or ES256, with
// jose (panva/jose: maintained, no dependencies, WebCrypto): the signature
// against the issuer's JWKS (a file, or an https URL), the algorithm pinned
// to those two (so neither "none" nor HS256 signed with a public key's bytes
// is ever tried) and to the key's type, `iss` and `aud` (a string or an
// array) as configured, `exp` and `sub` required, `exp`/`nbf` with 60 s of
// clock tolerance. Keys are cached; a token whose `kid` is unknown makes the
// set be read again (at most once per cool-down) before it is refused.
// Scopes `crm.write` (writer) and `crm.read` (reader) from `scope` (space
// separated) or `scp` (an array, or a string as Azure AD sends it) make the
// role; a valid token with neither is FORBIDDEN. Any other failure is the
// one UNAUTHORIZED.
//
// A verified token is remembered (by its SHA-256, never past its `exp`, at
// most REMEMBER_TOKEN_MS, the least recently used first out) so that a client
// sending the same token on every request pays one signature check, not one
// a request: RS256/ES256 verification halved GetCustomer's throughput at
// worst (bench, auth phase). The price: a key removed from the JWKS keeps
// accepting the tokens it signed for up to REMEMBER_TOKEN_MS more; refusals
// are never remembered.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Caller, Role } from '../domain/caller.js';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../errors.js';

export const ALGORITHMS = ['RS256', 'ES256'];
export const CLOCK_TOLERANCE_S = 60;
/** How long a verified token is taken on trust (and never past its exp). */
export const REMEMBER_TOKEN_MS = 30_000;
const REMEMBERED_TOKENS = 1000;

interface Remembered {
  readonly caller: Caller;
  /** Epoch ms after which the token is verified again. */
  readonly until: number;
}

export interface JwtSettings {
  /** A JWKS file's path, or an https:// URL (CRM_JWT_JWKS). */
  readonly jwks: string;
  readonly issuer: string;
  readonly audience: string;
  /** How long after reading the keys an unknown kid may make them be read again (jose's default: 30 s). */
  readonly cooldownMs?: number;
  /** How long a verified token is remembered (default REMEMBER_TOKEN_MS; 0 verifies every time). */
  readonly rememberMs?: number;
  /** For tests: the time tokens are judged at. */
  readonly now?: () => Date;
}

export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly settings: JwtSettings) {
    this.keys = /^https?:\/\//i.test(settings.jwks)
      ? createRemoteJWKSet(new URL(settings.jwks), { cooldownDuration: settings.cooldownMs ?? 30_000 })
      : fileKeySet(settings.jwks, settings.cooldownMs ?? 30_000, () => (settings.now ?? (() => new Date()))().getTime());
  }

  /** The caller the token names, with the role its scopes give. */
  async verify(token: string): Promise<Caller> {
    const key = createHash('sha256').update(token).digest('base64');
    const now = this.nowMs();
    const known = this.remembered.get(key);
    if (known !== undefined) {
      this.remembered.delete(key);
      if (now < known.until) {
        this.remembered.set(key, known);
        return known.caller;
      }
    }
    const { caller, exp } = await this.verifyAnew(token);
    this.remember(key, { caller, until: Math.min(now + (this.settings.rememberMs ?? REMEMBER_TOKEN_MS), exp * 1000) });
    return caller;
  }

  private async verifyAnew(token: string): Promise<{ caller: Caller; exp: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ALGORITHMS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
        ...(this.settings.now === undefined ? {} : { currentDate: this.settings.now() }),
      }));
    } catch (err) {
      if (err instanceof errors.JWKSTimeout) throw new UnavailableError("the token issuer's keys could not be fetched in time", 5);
      if (err instanceof errors.JOSEError) throw new UnauthorizedError(`a bearer token that is not valid (${err.code}: ${err.message})`);
      throw err;
    }
    const role = roleOf(payload);
    if (role === undefined) throw new ForbiddenError('The token grants neither crm.read nor crm.write');
    return { caller: { name: payload.sub ?? '', role, provenBy: 'bearer-token' }, exp: payload.exp ?? 0 };
  }

  private remember(key: string, entry: Remembered): void {
    if (entry.until <= this.nowMs()) return;
    this.remembered.set(key, entry);
    for (const oldest of this.remembered.keys()) {
      if (this.remembered.size <= REMEMBERED_TOKENS) break;
      this.remembered.delete(oldest);
    }
  }

  private nowMs(): number {
    return (this.settings.now ?? (() => new Date()))().getTime();
  }
}

/** crm.write makes a writer, crm.read a reader; undefined with neither. */
export function roleOf(payload: JWTPayload): Role | undefined {
  const scopes = new Set<string>();
  for (const claim of [payload['scope'], payload['scp']]) {
    if (typeof claim === 'string') claim.split(/\s+/).forEach((s) => scopes.add(s));
    else if (Array.isArray(claim)) claim.forEach((s) => typeof s === 'string' && scopes.add(s));
  }
  return scopes.has('crm.write') ? 'writer' : scopes.has('crm.read') ? 'reader' : undefined;
}

/**
 * A JWKS file's keys, read when first needed and again when a token names a
 * kid none of them has (a key rotated in), at most once per `cooldownMs`.
 */
function fileKeySet(file: string, cooldownMs: number, nowMs: () => number): JWTVerifyGetKey {
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let readAt = -Infinity;
  const read = async (): Promise<ReturnType<typeof createLocalJWKSet>> => {
    readAt = nowMs();
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(await fs.promises.readFile(file, 'utf8')) as JSONWebKeySet;
    } catch (err) {
      throw new Error(`${file}: cannot read the JWKS (${(err as Error).message})`);
    }
    keys = createLocalJWKSet(jwks);
    return keys;
  };
  return async (header, token) => {
    const current = keys ?? (await read());
    try {
      return await current(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || nowMs() - readAt < cooldownMs) throw err;
      return (await read())(header, token);
    }
  };
}
