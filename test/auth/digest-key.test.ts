// DigestKey: the key digest users' passwords are sealed with, kept apart from
// the users file; a sealed password opens only for its user under its key.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { DigestKey, isSealedPassword } from '../../src/auth/digest-key.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('DigestKey', () => {
  it('opens what it sealed, for the same user only', () => {
    const key = DigestKey.ephemeral();
    const sealed = key.seal('alice', 'pässwörd');
    expect(isSealedPassword(sealed)).to.equal(true);
    expect(sealed).to.not.include('pässwörd');
    expect(key.open('alice', sealed)).to.equal('pässwörd');
    expect(key.open('bob', sealed)).to.equal(undefined);
  });

  it('opens nothing sealed under another key, tampered with, or not sealed at all', () => {
    const key = DigestKey.ephemeral();
    const sealed = key.seal('alice', 'secret');
    expect(DigestKey.ephemeral().open('alice', sealed)).to.equal(undefined);
    const [v, iv, text, tag] = sealed.split('.');
    const flipped = Buffer.from(text ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(key.open('alice', [v, iv, flipped.toString('base64'), tag].join('.'))).to.equal(undefined);
    expect(key.open('alice', 'secret')).to.equal(undefined);
    expect(key.open('alice', 'v1.a.b')).to.equal(undefined);
  });

  it('makes its file once, mode 0600, and reads the same key back', async () => {
    const file = path.join(tempDir('crm-key-'), 'sub', 'users.key');
    expect(await DigestKey.read(file)).to.equal(undefined);
    const made = await DigestKey.readOrCreate(file);
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    const again = await DigestKey.readOrCreate(file);
    expect(again.open('u', made.seal('u', 'pw'))).to.equal('pw');
  });

  it('refuses a file that is not a key', async () => {
    const file = path.join(tempDir('crm-key-'), 'users.key');
    fs.writeFileSync(file, 'c2hvcnQ=\n');
    const failed = await DigestKey.read(file).then(() => undefined, (err: Error) => err.message);
    expect(failed).to.include('not a digest key');
  });
});
