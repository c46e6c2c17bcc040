// UsernameTokenVerifier: WS-Security 1.0 UsernameToken, PasswordText and
// PasswordDigest (Base64(SHA-1(nonce bytes + Created + password))), Created
// within 5 minutes back and 60 s ahead, each nonce once; every refusal the
// same UNAUTHORIZED.
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { DigestKey } from '../../src/auth/digest-key.js';
import { PasswordChecker } from '../../src/auth/password-checker.js';
import { hashPassword } from '../../src/auth/password-hash.js';
import type { UserEntry } from '../../src/auth/users-file.js';
import { passwordDigest, UsernameTokenVerifier, type UsernameTokenPolicy } from '../../src/auth/username-token.js';
import type { UsernameToken } from '../../src/domain/credentials.js';
import { AUTHENTICATION_FAILED, UnauthorizedError } from '../../src/errors.js';
import { MemoryNonceLedger } from '../../src/store/memory-nonce-ledger.js';

const PARAMS = { ln: 4, r: 8, p: 1 };
const NOW = Date.parse('2026-12-05T12:00:00Z');

function digestToken(username: string, password: string, created = '2026-12-05T12:00:00Z', nonce = randomBytes(16)): UsernameToken {
  return { kind: 'username-token', username, passwordType: 'digest', nonce: nonce.toString('base64'), created, password: passwordDigest(nonce, created, password) };
}

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err, 'refused').to.be.instanceOf(UnauthorizedError);
  expect((err as Error).message).to.equal(AUTHENTICATION_FAILED);
  return (err as UnauthorizedError).reason;
}

describe('UsernameTokenVerifier', () => {
  const key = DigestKey.ephemeral();
  let users: Map<string, UserEntry>;
  let now: number;
  let nonces: MemoryNonceLedger;
  const verifier = (policy: Partial<UsernameTokenPolicy> = {}): UsernameTokenVerifier =>
    new UsernameTokenVerifier(() => users, new PasswordChecker(() => users, { dummyParams: PARAMS }), () => key, nonces, { digest: true, now: () => now, ...policy });

  before(async () => {
    users = new Map<string, UserEntry>([
      ['alice', { role: 'writer', passwordHash: await hashPassword('wonder land', PARAMS), digestSecret: key.seal('alice', 'wonder land') }],
      ['bob', { role: 'reader', passwordHash: await hashPassword('builder', PARAMS) }],
    ]);
  });
  beforeEach(() => {
    now = NOW;
    nonces = new MemoryNonceLedger();
  });

  it('computes the digest as the profile defines it: SHA-1 over the nonce bytes, then Created, then the password', () => {
    const nonce = Buffer.from('YF6j8V/CAqi+1nRsGLRbuZhi', 'base64');
    const expected = createHash('sha1').update(Buffer.concat([nonce, Buffer.from('2008-04-28T10:02:11Z'), Buffer.from('secret')])).digest('base64');
    expect(passwordDigest(nonce, '2008-04-28T10:02:11Z', 'secret')).to.equal(expected);
  });

  it('accepts a PasswordDigest of the right password', async () => {
    expect(await verifier().verify(digestToken('alice', 'wonder land'))).to.deep.equal({ name: 'alice', role: 'writer', provenBy: 'username-token' });
  });

  it('accepts a PasswordText token, with or without Nonce and Created', async () => {
    const v = verifier();
    expect((await v.verify({ kind: 'username-token', username: 'bob', password: 'builder', passwordType: 'text' })).role).to.equal('reader');
    const withNonce: UsernameToken = { kind: 'username-token', username: 'bob', password: 'builder', passwordType: 'text', nonce: randomBytes(16).toString('base64'), created: '2026-12-05T11:59:00Z' };
    expect((await v.verify(withNonce)).name).to.equal('bob');
    expect(await reason(v.verify(withNonce))).to.equal('a nonce already used');
  });

  it('checks a PasswordText token\'s Created alone (the window) and Nonce alone (once, for 5 minutes)', async () => {
    const v = verifier();
    const text = { kind: 'username-token', username: 'bob', password: 'builder', passwordType: 'text' } as const;
    expect((await v.verify({ ...text, created: '2026-12-05T11:58:00Z' })).name).to.equal('bob');
    expect(await reason(v.verify({ ...text, created: '2026-12-05T11:50:00Z' }))).to.equal('a Created more than 5 minutes old');
    const nonce = randomBytes(16).toString('base64');
    expect((await v.verify({ ...text, nonce })).name).to.equal('bob');
    now += 4 * 60_000;
    expect(await reason(v.verify({ ...text, nonce }))).to.equal('a nonce already used');
    now += 2 * 60_000;
    expect((await v.verify({ ...text, nonce })).name).to.equal('bob');
  });

  it('refuses a wrong digest, an unknown user and a user without digest alike', async () => {
    const v = verifier();
    expect(await reason(v.verify(digestToken('alice', 'wrong')))).to.equal('wrong password digest');
    expect(await reason(v.verify(digestToken('mallory', 'wonder land')))).to.equal('unknown user');
    expect(await reason(v.verify(digestToken('bob', 'builder')))).to.equal('a PasswordDigest for a user without digest');
    expect(await reason(v.verify({ kind: 'username-token', username: 'alice', password: 'wrong', passwordType: 'text' }))).to.equal('wrong password');
  });

  it('refuses every PasswordDigest when digest is off (CRM_WSSE_DIGEST=off), and still takes PasswordText', async () => {
    const v = verifier({ digest: false });
    expect(await reason(v.verify(digestToken('alice', 'wonder land')))).to.include('PasswordDigest is off');
    expect((await v.verify({ kind: 'username-token', username: 'alice', password: 'wonder land', passwordType: 'text' })).name).to.equal('alice');
  });

  it('accepts a nonce once: the same token again is a replay, also within the window from another verifier on the same ledger', async () => {
    const token = digestToken('alice', 'wonder land');
    await verifier().verify(token);
    expect(await reason(verifier().verify(token))).to.equal('a nonce already used');
    now += 4 * 60_000;
    expect(await reason(verifier().verify(token))).to.equal('a nonce already used');
  });

  it('does not spend a nonce on a wrong password', async () => {
    const nonce = randomBytes(16);
    await reason(verifier().verify(digestToken('alice', 'wrong', undefined, nonce)));
    expect((await verifier().verify(digestToken('alice', 'wonder land', undefined, nonce))).name).to.equal('alice');
  });

  it('refuses a Created older than 5 minutes or more than 60 s ahead, and takes the edges', async () => {
    const v = verifier();
    expect(await reason(v.verify(digestToken('alice', 'wonder land', '2026-12-05T11:54:59Z')))).to.equal('a Created more than 5 minutes old');
    expect(await reason(v.verify(digestToken('alice', 'wonder land', '2026-12-05T12:01:01Z')))).to.equal('a Created more than 60 s ahead');
    expect((await v.verify(digestToken('alice', 'wonder land', '2026-12-05T11:55:00Z'))).name).to.equal('alice');
    expect((await v.verify(digestToken('alice', 'wonder land', '2026-12-05T12:01:00Z'))).name).to.equal('alice');
    expect((await v.verify(digestToken('alice', 'wonder land', '2026-12-05T13:00:30.123+01:00'))).name).to.equal('alice');
  });

  it('refuses a digest without Nonce or Created, a Created without a time zone, a nonce that is not Base64', async () => {
    const v = verifier();
    const token = digestToken('alice', 'wonder land');
    expect(await reason(v.verify({ ...token, nonce: undefined, created: undefined }))).to.equal('a PasswordDigest without Nonce and Created');
    expect(await reason(v.verify({ ...token, created: undefined }))).to.equal('a PasswordDigest without Nonce and Created');
    expect(await reason(v.verify(digestToken('alice', 'wonder land', '2026-12-05T12:00:00')))).to.include('time zone');
    expect(await reason(v.verify({ ...token, nonce: 'not base64!' }))).to.include('not Base64');
  });

  it('opens no digest secret sealed for another user (a secret copied between entries)', async () => {
    const alice = users.get('alice');
    const moved = new Map(users).set('bob', { role: 'reader', passwordHash: users.get('bob')!.passwordHash, digestSecret: alice?.digestSecret });
    const v = new UsernameTokenVerifier(() => moved, new PasswordChecker(() => moved, { dummyParams: PARAMS }), () => key, nonces, { digest: true, now: () => now });
    expect(await reason(v.verify(digestToken('bob', 'wonder land')))).to.equal('a PasswordDigest for a user without digest');
  });
});
