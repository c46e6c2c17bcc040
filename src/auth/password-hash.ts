// Passwords at rest: scrypt (node:crypto, built into Node, so no native
// module of our own to build or trust) with a random 16-byte salt, stored in
// the PHC string format so that a hash names its own parameters and old
// hashes keep verifying when the defaults change. Compared in constant time.
// Knows nothing of users or files.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: N = 2^ln (CPU and memory), r the block size, p the number of passes. */
export interface ScryptParams {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N = 2^14, r = 8, p = 5: one of the OWASP Password Storage Cheat Sheet's
 * equivalent scrypt settings (2^17/8/1, 2^16/8/2, 2^15/8/3, 2^14/8/5, 2^13/8/10).
 * Of those it needs the least memory, 16 MiB per verify (128 * N * r), and
 * at most 4 verify at once (libuv's thread pool), so 64 MiB at worst beside
 * an import that must stay under 200 MB; the CPU time is the same order for
 * all five. Measured in docs/security.md.
 */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 14, r: 8, p: 5 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{32,})$/;

/** "$scrypt$ln=14,r=8,p=5$<salt>$<key>" (Base64 without padding, as PHC strings write it). */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${unpadded(salt)}$${unpadded(key)}`;
}

/** Whether `password` is the one `encoded` was made from; false for an encoding this module did not write. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (parsed === undefined) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** Whether `encoded` is a hash this module can verify (the users file is checked with it when read). */
export function isPasswordHash(encoded: string): boolean {
  return parseHash(encoded) !== undefined;
}

function parseHash(encoded: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = PHC.exec(encoded);
  if (m === null) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > 24 || params.r < 1 || params.p < 1) return undefined;
  return { params, salt: Buffer.from(m[4] ?? '', 'base64'), key: Buffer.from(m[5] ?? '', 'base64') };
}

function derive(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  // Node refuses more than 32 MiB by default; allow what these parameters need.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
