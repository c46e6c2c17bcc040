// What WS-Security PasswordDigest needs kept: the clear password, since the
// digest is SHA-1(nonce + created + password) of the password itself and
// cannot be checked against a salted slow hash. So a user with digest on
// also has its password sealed with AES-256-GCM under a key kept in another
// file (CRM_USERS_KEY_FILE, mode 0600), bound to the user's name so that a
// sealed password moved to another user does not open. A copy of the users
// file alone (a backup, a support bundle) then gives nothing but scrypt
// hashes; whoever reads both files reads these passwords. docs/security.md
// weighs it. Knows nothing of users files or tokens.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readIfExists } from '../files/read-if-exists.js';
import { writeAtomically } from '../files/write-atomically.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/**
 * The key file holds one key a line, Base64 of 32 random bytes. The first
 * seals; every one opens: during a rotation (`crm-bridge users rotate-key`)
 * the file holds the new key and the old one, so a service that read the
 * users file before or after it was sealed again opens every password.
 */
export class DigestKey {
  private readonly key: Buffer;

  private constructor(private readonly keys: readonly Buffer[]) {
    for (const k of keys) if (k.length !== KEY_BYTES) throw new Error(`a digest key is ${KEY_BYTES} bytes, got ${k.length}`);
    const first = keys[0];
    if (first === undefined) throw new Error('a digest key file holds at least one key');
    this.key = first;
  }

  /** The keys of a key file; undefined when there is no such file. */
  static async read(file: string): Promise<DigestKey | undefined> {
    const text = await readIfExists(file);
    if (text === undefined) return undefined;
    const keys = text.split('\n').map((line) => line.trim()).filter((line) => line !== '').map((line) => Buffer.from(line, 'base64'));
    if (keys.length === 0 || keys.some((k) => k.length !== KEY_BYTES)) throw new Error(`${file}: not a digest key (Base64 of ${KEY_BYTES} random bytes a line)`);
    return new DigestKey(keys);
  }

  /** These keys behind a new random one, which seals from now on. */
  withNewKey(): DigestKey {
    return new DigestKey([randomBytes(KEY_BYTES), ...this.keys]);
  }

  /** The sealing key alone: the old ones dropped once nothing sealed with them is left. */
  sealingKeyOnly(): DigestKey {
    return new DigestKey([this.key]);
  }

  /** Writes the keys to `file`, whole or not at all, mode 0600. */
  async write(file: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const text = this.keys.map((k) => `${k.toString('base64')}\n`).join('');
    await writeAtomically(file, (async function* () { yield text; })(), { mode: 0o600 });
  }

  /** The key of `file`, made (mode 0600, never replaced) when there is none yet. */
  static async readOrCreate(file: string): Promise<DigestKey> {
    const existing = await DigestKey.read(file);
    if (existing !== undefined) return existing;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const key = randomBytes(KEY_BYTES);
    try {
      // 'wx': another process making the key at the same moment wins, and its key is read below.
      await fs.promises.writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const made = await DigestKey.read(file);
    if (made === undefined) throw new Error(`${file}: the digest key vanished as it was made`);
    return made;
  }

  /** A random key that no file holds: for tests, and to open dummies when there is no key. */
  static ephemeral(): DigestKey {
    return new DigestKey([randomBytes(KEY_BYTES)]);
  }

  /** "v1.<iv>.<ciphertext>.<tag>", Base64 parts. */
  seal(user: string, password: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(user, 'utf8'));
    const sealed = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), sealed.toString('base64'), cipher.getAuthTag().toString('base64')].join('.');
  }

  /** The password `seal(user, ...)` sealed, or undefined when it was sealed for another user, under none of these keys, or is not a sealed password. */
  open(user: string, sealed: string): string | undefined {
    for (const key of this.keys) {
      const password = openWith(key, user, sealed);
      if (password !== undefined) return password;
    }
    return undefined;
  }
}

function openWith(key: Buffer, user: string, sealed: string): string | undefined {
  const [version, iv, text, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || text === undefined || tag === undefined || rest.length > 0) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(user, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(text, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Whether `value` has the shape of a sealed password (the users file is checked with it when read). */
export function isSealedPassword(value: string): boolean {
  return /^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]*\.[A-Za-z0-9+/=]+$/.test(value);
}
