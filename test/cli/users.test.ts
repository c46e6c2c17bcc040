// crm-bridge users add | remove | list as an operator runs them: a real
// process, the password on standard input, judged by exit status, output and
// the users file (which the service's verifiers then accept).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DigestKey } from '../../src/auth/digest-key.js';
import { PasswordChecker } from '../../src/auth/password-checker.js';
import { readUsersFile } from '../../src/auth/users-file.js';
import { securityHeader } from '../helpers/auth.js';
import { envelope, postSoap } from '../helpers/soap-client.js';
import { startServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';

const MAIN = path.resolve('dist/src/main.js');

interface Run { status: number | null; stdout: string; stderr: string }

function users(dataDir: string, args: string[], stdin: string | undefined, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'users', ...args], { env: { ...process.env, CRM_DATA_DIR: dataDir, ...env }, cwd: dataDir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    if (stdin === undefined) child.stdin.end();
    else child.stdin.end(stdin);
  });
}

describe('crm-bridge users (command line)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let file: string;
  beforeEach(() => {
    dataDir = tempDir('crm-users-cli-');
    file = path.join(dataDir, 'users.json');
  });

  it('adds a user whose password is the first line of stdin, newline dropped, in a 0600 file the checker accepts', async () => {
    const added = await users(dataDir, ['add', 'alice', '--role', 'writer'], 'pa ss:wörd\r\nsecond line\n');
    expect(added.status, added.stderr).to.equal(0);
    expect(added.stdout).to.equal('added alice\twriter\tdigest\n');
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(fs.statSync(path.join(dataDir, 'users.key')).mode & 0o777).to.equal(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).to.not.include('pa ss');
    const entry = (await readUsersFile(file)).get('alice');
    expect(entry?.passwordHash.startsWith('$scrypt$ln=14,r=8,p=5$')).to.equal(true);
    const key = await DigestKey.read(path.join(dataDir, 'users.key'));
    expect(key?.open('alice', entry?.digestSecret ?? '')).to.equal('pa ss:wörd');
    const checker = new PasswordChecker(() => new Map([['alice', entry!]]), { dummyParams: { ln: 4, r: 8, p: 1 } });
    expect((await checker.check('alice', 'pa ss:wörd')).role).to.equal('writer');
  });

  it('refuses a user that exists unless --update, which replaces the password or, with no password, only the role', async () => {
    expect((await users(dataDir, ['add', 'bob', '--role', 'reader'], 'one\n')).status).to.equal(0);
    const again = await users(dataDir, ['add', 'bob', '--role', 'writer'], 'two\n');
    expect(again.status).to.equal(1);
    expect(again.stderr).to.include("user 'bob' exists; add --update");
    const before = (await readUsersFile(file)).get('bob');
    const roleOnly = await users(dataDir, ['add', 'bob', '--role', 'writer', '--update'], undefined);
    expect(roleOnly.status, roleOnly.stderr).to.equal(0);
    const after = (await readUsersFile(file)).get('bob');
    expect(after?.role).to.equal('writer');
    expect(after?.passwordHash).to.equal(before?.passwordHash);
    expect((await users(dataDir, ['add', 'bob', '--role', 'writer', '--update'], 'three\n')).status).to.equal(0);
    expect((await readUsersFile(file)).get('bob')?.passwordHash).to.not.equal(before?.passwordHash);
  });

  it('keeps a user\'s digest choice on --update unless told otherwise, and drops the sealed password with --no-digest', async () => {
    await users(dataDir, ['add', 'gus', '--role', 'reader', '--no-digest'], 'one\n');
    expect((await users(dataDir, ['add', 'gus', '--role', 'reader', '--update'], 'two\n')).stdout).to.equal('updated gus\treader\tno-digest\n');
    await users(dataDir, ['add', 'hal', '--role', 'reader'], 'one\n');
    expect((await users(dataDir, ['add', 'hal', '--role', 'writer', '--update'], undefined)).stdout).to.equal('updated hal\twriter\tdigest\n');
    expect((await users(dataDir, ['add', 'hal', '--role', 'writer', '--update', '--no-digest'], undefined)).stdout).to.equal('updated hal\twriter\tno-digest\n');
    expect((await readUsersFile(file)).get('hal')?.digestSecret).to.equal(undefined);
    const noSecret = await users(dataDir, ['add', 'hal', '--role', 'writer', '--update', '--digest'], undefined);
    expect(noSecret.status).to.equal(1);
    expect(noSecret.stderr).to.include('give the password on standard input to turn digest on');
  });

  it('keeps no sealed password with --no-digest, nor for anyone with CRM_WSSE_DIGEST=off', async () => {
    expect((await users(dataDir, ['add', 'carol', '--role', 'reader', '--no-digest'], 'pw\n')).stdout).to.equal('added carol\treader\tno-digest\n');
    const off = await users(dataDir, ['add', 'dave', '--role', 'reader', '--digest'], 'pw\n', { CRM_WSSE_DIGEST: 'off' });
    expect(off.stdout).to.equal('added dave\treader\tno-digest\n');
    expect(off.stderr).to.include('CRM_WSSE_DIGEST=off');
    const all = await readUsersFile(file);
    expect([all.get('carol')?.digestSecret, all.get('dave')?.digestSecret]).to.deep.equal([undefined, undefined]);
    expect(fs.existsSync(path.join(dataDir, 'users.key'))).to.equal(false);
  });

  it('refuses an empty or missing password, a bad name and a bad role, writing nothing', async () => {
    expect((await users(dataDir, ['add', 'erin', '--role', 'reader'], '\n')).status).to.equal(1);
    expect((await users(dataDir, ['add', 'erin', '--role', 'reader'], undefined)).status).to.equal(1);
    expect((await users(dataDir, ['add', 'a:b', '--role', 'reader'], 'pw\n')).status).to.equal(64);
    expect((await users(dataDir, ['add', 'erin', '--role', 'admin'], 'pw\n')).status).to.equal(64);
    expect((await users(dataDir, ['add', 'erin'], 'pw\n')).status).to.equal(64);
    expect(fs.existsSync(file)).to.equal(false);
  });

  it('lists names, roles and digest, never a secret; removes a user; refuses to remove an unknown one', async () => {
    await users(dataDir, ['add', 'zed', '--role', 'reader', '--no-digest'], 'secret-one\n');
    await users(dataDir, ['add', 'amy', '--role', 'writer'], 'secret-two\n');
    const list = await users(dataDir, ['list'], undefined);
    expect(list.status).to.equal(0);
    expect(list.stdout).to.equal('amy\twriter\tdigest\nzed\treader\tno-digest\n');
    const removed = await users(dataDir, ['remove', 'zed'], undefined);
    expect(removed.status).to.equal(0);
    expect([...(await readUsersFile(file)).keys()]).to.deep.equal(['amy']);
    const unknown = await users(dataDir, ['remove', 'zed'], undefined);
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr).to.include("no user 'zed'");
    expect((await users(dataDir, ['remove', 'amy'], undefined)).stdout).to.include('no users left');
    expect((await users(dataDir, ['list'], undefined)).stdout).to.equal('');
  });

  it('takes CRM_USERS_FILE and CRM_USERS_KEY_FILE', async () => {
    const elsewhere = tempDir('crm-users-elsewhere-');
    const env = { CRM_USERS_FILE: path.join(elsewhere, 'people.json'), CRM_USERS_KEY_FILE: path.join(elsewhere, 'keys', 'k') };
    expect((await users(dataDir, ['add', 'fay', '--role', 'reader'], 'pw\n', env)).status).to.equal(0);
    expect(fs.existsSync(path.join(elsewhere, 'people.json'))).to.equal(true);
    expect(fs.existsSync(path.join(elsewhere, 'keys', 'k'))).to.equal(true);
    expect(fs.existsSync(file)).to.equal(false);
  });

  describe('users rotate-key', () => {
    const keyFile = (): string => path.join(dataDir, 'users.key');
    /** The fault code of a GetCustomer with alice's PasswordDigest token: NOT_FOUND once she is let in, UNAUTHORIZED if not. */
    const digestCall = async (url: string, password: string): Promise<string> => {
      const answer = await postSoap(url, '1.1', envelope('1.1', '<c:GetCustomer><c:id>00000000-0000-7000-8000-000000000000</c:id></c:GetCustomer>', securityHeader('1.1', 'alice', password, { digest: true })));
      return /<code>([A-Z_]+)<\/code>/.exec(answer.text)?.[1] ?? answer.text;
    };

    it('seals every digest password with a new key, which alone is left in the key file, and a running service lets digest users in throughout', async () => {
      expect((await users(dataDir, ['add', 'alice', '--role', 'writer'], 'alice-pw\n')).status).to.equal(0);
      expect((await users(dataDir, ['add', 'bob', '--role', 'reader', '--no-digest'], 'bob-pw\n')).status).to.equal(0);
      const oldKey = fs.readFileSync(keyFile(), 'utf8');
      const oldSealed = (await readUsersFile(file)).get('alice')?.digestSecret;
      const server = await startServer({ CRM_DATA_DIR: dataDir });
      try {
        expect(await digestCall(server.soapUrl, 'alice-pw')).to.equal('NOT_FOUND');
        const rotating = users(dataDir, ['rotate-key'], undefined);
        // While the key and the users file change under it, every digest call is let in.
        const during: string[] = [];
        let done = false;
        void rotating.then(() => { done = true; });
        while (!done) during.push(await digestCall(server.soapUrl, 'alice-pw'));
        const rotated = await rotating;
        expect(rotated.status, rotated.stderr).to.equal(0);
        expect(rotated.stdout).to.include('1 sealed password sealed again');
        const newKey = fs.readFileSync(keyFile(), 'utf8');
        expect(newKey.trim().split('\n')).to.have.length(1);
        expect(newKey).to.not.equal(oldKey);
        expect(fs.statSync(keyFile()).mode & 0o777).to.equal(0o600);
        const after = await readUsersFile(file);
        expect(after.get('alice')?.digestSecret).to.not.equal(oldSealed);
        expect((await DigestKey.read(keyFile()))?.open('alice', after.get('alice')?.digestSecret ?? '')).to.equal('alice-pw');
        expect(after.get('bob')?.digestSecret).to.equal(undefined);
        // The service follows: the users file is polled every second; allow it a few.
        const until = Date.now() + 5000;
        let last = '';
        while (Date.now() < until) {
          last = await digestCall(server.soapUrl, 'alice-pw');
          during.push(last);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect([...new Set(during)]).to.deep.equal(['NOT_FOUND']);
        expect(await digestCall(server.soapUrl, 'wrong')).to.equal('UNAUTHORIZED');
      } finally {
        await server.close();
      }
    });

    it('refuses, changing nothing, when a sealed password does not open with the key', async () => {
      expect((await users(dataDir, ['add', 'alice', '--role', 'writer'], 'alice-pw\n')).status).to.equal(0);
      const other = DigestKey.ephemeral().seal('alice', 'alice-pw');
      const text = fs.readFileSync(file, 'utf8').replace(/"v1\.[^"]+"/, `"${other}"`);
      fs.writeFileSync(file, text);
      const key = fs.readFileSync(keyFile(), 'utf8');
      const refused = await users(dataDir, ['rotate-key'], undefined);
      expect(refused.status).to.equal(1);
      expect(refused.stderr).to.include('alice').and.to.include('users add --update');
      expect(fs.readFileSync(keyFile(), 'utf8')).to.equal(key);
      expect(fs.readFileSync(file, 'utf8')).to.equal(text);
    });
  });
});
