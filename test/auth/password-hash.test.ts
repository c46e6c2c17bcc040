// hashPassword / verifyPassword: scrypt in a PHC string that names its own
// parameters, a fresh salt each time, a constant-time comparison.
import { expect } from 'chai';
import { DEFAULT_SCRYPT, hashPassword, isPasswordHash, verifyPassword } from '../../src/auth/password-hash.js';

const FAST = { ln: 10, r: 8, p: 1 };

describe('hashPassword and verifyPassword', () => {
  it('verifies the password a hash was made from and no other', async () => {
    const hash = await hashPassword('correct horse', FAST);
    expect(await verifyPassword('correct horse', hash)).to.equal(true);
    expect(await verifyPassword('correct hors', hash)).to.equal(false);
    expect(await verifyPassword('', hash)).to.equal(false);
  });

  it('writes the parameters into the hash, with a new salt each time', async () => {
    const a = await hashPassword('pw', FAST);
    const b = await hashPassword('pw', FAST);
    expect(a).to.match(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).to.not.equal(b);
    expect(isPasswordHash(a)).to.equal(true);
  });

  it('uses N = 2^14, r = 8, p = 5 by default (OWASP, 16 MiB a verify)', async () => {
    expect(DEFAULT_SCRYPT).to.deep.equal({ ln: 14, r: 8, p: 5 });
    const hash = await hashPassword('pw');
    expect(hash.startsWith('$scrypt$ln=14,r=8,p=5$')).to.equal(true);
    expect(await verifyPassword('pw', hash)).to.equal(true);
  });

  it('refuses, without throwing, a hash it did not write', async () => {
    for (const bad of ['', 'pw', '$2b$10$abcdefghijklmnopqrstuv', '$scrypt$ln=99,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      expect(isPasswordHash(bad), bad).to.equal(false);
      expect(await verifyPassword('pw', bad), bad).to.equal(false);
    }
  });

  it('treats composed and decomposed forms of a password as the same (NFC)', async () => {
    const hash = await hashPassword('Müller', FAST);
    expect(await verifyPassword('Mu\u0308ller', hash)).to.equal(true);
  });
});
