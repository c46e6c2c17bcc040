// Credentials for tests against a real server: a users file written as
// `crm-bridge users add` writes it (hashed cheaply), a wsse:Security header
// as SOAP clients send it, HTTP Basic.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DigestKey } from '../../src/auth/digest-key.js';
import { hashPassword } from '../../src/auth/password-hash.js';
import { passwordDigest } from '../../src/auth/username-token.js';
import { writeUsersFile, type UserEntry } from '../../src/auth/users-file.js';
import type { Role } from '../../src/domain/caller.js';
import { NS } from '../../src/xml/namespaces.js';
import type { Version } from './soap-client.js';
import { startServer, type TestServer } from './test-server.js';
import { tempDir } from './temp-dir.js';

const PARAMS = { ln: 4, r: 8, p: 1 };
export const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
const ENV_NS = { '1.1': NS.soap11, '1.2': NS.soap12 } as const;

/** The two users most auth tests need: a writer (erp) and a reader (reports). */
export const WRITER_AND_READER = { erp: { password: 'erp secret', role: 'writer' }, reports: { password: 'reports secret', role: 'reader' } } as const;

/** A crm-bridge with auth on: a fresh data folder (named from `prefix`) holding `users`. */
export async function serverWithUsers(prefix: string, users: Record<string, { password: string; role: Role }> = WRITER_AND_READER, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = tempDir(prefix);
  await writeUsers(dataDir, users);
  return startServer({ CRM_DATA_DIR: dataDir, ...env });
}

/** A users file (and digest key) in `dataDir` with `users`, hashed cheaply for the test. */
export async function writeUsers(dataDir: string, users: Record<string, { password: string; role: Role }>): Promise<void> {
  const key = await DigestKey.readOrCreate(path.join(dataDir, 'users.key'));
  const entries = new Map<string, UserEntry>();
  for (const [name, u] of Object.entries(users)) {
    entries.set(name, { role: u.role, passwordHash: await hashPassword(u.password, PARAMS), digestSecret: key.seal(name, u.password) });
  }
  await writeUsersFile(path.join(dataDir, 'users.json'), entries);
}

interface TokenOptions {
  readonly digest?: boolean;
  readonly created?: string;
  readonly nonce?: Buffer;
  readonly mustUnderstand?: boolean;
}

/** A wsse:Security header with a UsernameToken, as a client writes it for SOAP `version`. */
export function securityHeader(version: Version, user: string, password: string, opts: TokenOptions = {}): string {
  const created = opts.created ?? new Date().toISOString();
  const nonce = opts.nonce ?? randomBytes(16);
  const mu = opts.mustUnderstand === false ? '' : ` s:mustUnderstand="${version === '1.1' ? '1' : 'true'}"`;
  const pw = opts.digest === true
    ? `<wsse:Password Type="${PROFILE}#PasswordDigest">${passwordDigest(nonce, created, password)}</wsse:Password><wsse:Nonce>${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created>`
    : `<wsse:Password Type="${PROFILE}#PasswordText">${password}</wsse:Password>`;
  return `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" xmlns:s="${ENV_NS[version]}"${mu}><wsse:UsernameToken><wsse:Username>${user}</wsse:Username>${pw}</wsse:UsernameToken></wsse:Security>`;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

