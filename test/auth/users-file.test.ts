// The users file: read with every entry checked, written whole with mode
// 0600, changed under a lock so that concurrent changes are not lost.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../src/auth/password-hash.js';
import { changeUsersFile, formatUsers, isUserName, parseUsers, readUsersFile, writeUsersFile, type UserEntry } from '../../src/auth/users-file.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('users file', () => {
  let hash: string;
  before(async () => { hash = await hashPassword('pw', { ln: 4, r: 8, p: 1 }); });

  it('is empty when there is no file', async () => {
    expect((await readUsersFile(path.join(tempDir('crm-users-'), 'users.json'))).size).to.equal(0);
  });

  it('writes users sorted, mode 0600, and reads them back the same', async () => {
    const file = path.join(tempDir('crm-users-'), 'users.json');
    const users = new Map<string, UserEntry>([
      ['zoe', { role: 'reader', passwordHash: hash }],
      ['adam', { role: 'writer', passwordHash: hash, digestSecret: 'v1.AAAA.BBBB.CCCC' }],
    ]);
    await writeUsersFile(file, users);
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    const back = await readUsersFile(file);
    expect([...back.keys()]).to.deep.equal(['adam', 'zoe']);
    expect(back.get('adam')).to.deep.equal({ role: 'writer', passwordHash: hash, digestSecret: 'v1.AAAA.BBBB.CCCC' });
    expect(back.get('zoe')).to.deep.equal({ role: 'reader', passwordHash: hash, digestSecret: undefined });
    expect(fs.readFileSync(file, 'utf8')).to.equal(formatUsers(back));
  });

  it('refuses a file that is not a users file, naming the file and the entry', () => {
    const cases: [string, string][] = [
      ['{', 'not JSON'],
      ['[]', 'not a users file'],
      ['{"version":2,"users":{}}', 'not a users file'],
      [`{"version":1,"users":{"a b":{"role":"reader","passwordHash":"${hash}"}}}`, "'a b' is not a user name"],
      [`{"version":1,"users":{"al":{"role":"admin","passwordHash":"${hash}"}}}`, "user 'al' has no role"],
      ['{"version":1,"users":{"al":{"role":"reader","passwordHash":"plain"}}}', "user 'al' has no scrypt passwordHash"],
      [`{"version":1,"users":{"al":{"role":"reader","passwordHash":"${hash}","digestSecret":"clear"}}}`, "user 'al' has a digestSecret"],
    ];
    for (const [text, message] of cases) {
      expect(() => parseUsers(text, '/x/users.json'), text).to.throw(`/x/users.json: ${message}`);
    }
  });

  it('takes names Basic and WS-Security can carry', () => {
    expect(['alice', 'erp.sap-01', 'svc_x@corp'].every(isUserName)).to.equal(true);
    expect(['', 'a:b', 'a b', 'ü', 'x'.repeat(65)].some(isUserName)).to.equal(false);
  });

  it('applies changes made at once one after the other, losing none', async () => {
    const file = path.join(tempDir('crm-users-'), 'users.json');
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        changeUsersFile(file, async (users) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { users: new Map(users).set(name, { role: 'reader', passwordHash: hash }), result: undefined };
        }),
      ),
    );
    expect([...(await readUsersFile(file)).keys()]).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(fs.readdirSync(path.dirname(file))).to.deep.equal(['users.json']);
  });

  it('takes over the lock a killed command left behind once it is stale', async () => {
    const file = path.join(tempDir('crm-users-'), 'users.json');
    fs.writeFileSync(`${file}.lock`, '12345\n');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(`${file}.lock`, old, old);
    await changeUsersFile(file, async () => ({ users: new Map([['a', { role: 'reader' as const, passwordHash: hash }]]), result: undefined }));
    expect((await readUsersFile(file)).has('a')).to.equal(true);
    const held = fs.writeFileSync(`${file}.lock`, '1\n');
    void held;
    const failed = await changeUsersFile(file, async () => ({ result: 0 }), { waitMs: 100 }).then(() => undefined, (err: Error) => err.message);
    expect(failed).to.include('is held by another crm-bridge users command');
  });
});
