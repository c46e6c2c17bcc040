// UsersReloader: a running service sees the users file's changes (contract:
// within 5 s), keeps its users when the file turns bad, has none when it is removed.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../src/auth/password-hash.js';
import { writeUsersFile, type UserEntry } from '../../src/auth/users-file.js';
import { UsersReloader, type Every } from '../../src/auth/users-reloader.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

describe('UsersReloader', () => {
  let hash: string;
  let file: string;
  const one = (name: string, role: UserEntry['role'] = 'reader'): Map<string, UserEntry> => new Map([[name, { role, passwordHash: hash }]]);
  before(async () => { hash = await hashPassword('pw', { ln: 4, r: 8, p: 1 }); });
  beforeEach(() => { file = path.join(tempDir('crm-reload-'), 'users.json'); });

  it('reads the file again on the first check after it changed, and only then', async () => {
    await writeUsersFile(file, one('alice'));
    const reloader = new UsersReloader(file);
    expect([...(await reloader.load()).keys()]).to.deep.equal(['alice']);
    expect(await reloader.check()).to.equal(false);
    await writeUsersFile(file, one('bob', 'writer'));
    expect(await reloader.check()).to.equal(true);
    expect(reloader.current().get('bob')?.role).to.equal('writer');
    expect(reloader.current().has('alice')).to.equal(false);
    expect(await reloader.check()).to.equal(false);
  });

  it('keeps the users it has when the file turns bad, and reports it', async () => {
    await writeUsersFile(file, one('alice'));
    const errors: unknown[] = [];
    const reloader = new UsersReloader(file, { onError: (err) => errors.push(err) });
    await reloader.load();
    fs.writeFileSync(file, '{"version":1,"users":{"alice":');
    expect(await reloader.check()).to.equal(false);
    expect(reloader.current().has('alice')).to.equal(true);
    expect(String(errors[0])).to.include('not JSON');
    await writeUsersFile(file, one('carol'));
    expect(await reloader.check()).to.equal(true);
    expect([...reloader.current().keys()]).to.deep.equal(['carol']);
  });

  it('has no users once the file is removed, and again those of a new file', async () => {
    await writeUsersFile(file, one('alice'));
    const reloader = new UsersReloader(file);
    await reloader.load();
    fs.rmSync(file);
    expect(await reloader.check()).to.equal(true);
    expect(reloader.current().size).to.equal(0);
    await writeUsersFile(file, one('dave'));
    expect(await reloader.check()).to.equal(true);
    expect(reloader.current().has('dave')).to.equal(true);
  });

  it('replaces the users only once prepare is done, in the same turn as what prepare returns; a failing prepare keeps them', async () => {
    await writeUsersFile(file, one('alice'));
    let key = 'old';
    const seen: string[] = [];
    let release: (() => void) | undefined;
    let fail = false;
    const reloader = new UsersReloader(file, {
      prepare: async (next) => {
        await new Promise<void>((resolve) => { release = () => { release = undefined; resolve(); }; });
        if (fail) throw new Error('key file unreadable');
        return () => { key = `key for ${[...next.keys()].join(',')}`; };
      },
      onError: () => undefined,
    });
    await reloader.load();
    await writeUsersFile(file, one('bob'));
    const checking = reloader.check();
    // While prepare waits, requests still see the old users with the old key.
    await until('prepare waiting', () => (release !== undefined ? true : undefined), 1000);
    seen.push(`${[...reloader.current().keys()].join(',')}/${key}`);
    release?.();
    expect(await checking).to.equal(true);
    seen.push(`${[...reloader.current().keys()].join(',')}/${key}`);
    expect(seen).to.deep.equal(['alice/old', 'bob/key for bob']);

    fail = true;
    await writeUsersFile(file, one('carol'));
    const failing = reloader.check();
    await until('prepare waiting again', () => (release !== undefined ? true : undefined), 1000);
    release?.();
    expect(await failing).to.equal(false);
    expect([...reloader.current().keys()]).to.deep.equal(['bob']);
    expect(key).to.equal('key for bob');
  });

  it('refuses to load a file that is not a users file', async () => {
    fs.writeFileSync(file, 'nonsense');
    const failed = await new UsersReloader(file).load().then(() => undefined, (err: Error) => err.message);
    expect(failed).to.include('not JSON');
  });

  it('checks on the schedule it is given, and stops', async () => {
    let tick: (() => void) | undefined;
    let stopped = false;
    const every: Every = (ms, fn) => {
      expect(ms).to.equal(1000);
      tick = fn;
      return () => { stopped = true; };
    };
    await writeUsersFile(file, one('alice'));
    const reloader = new UsersReloader(file, { every });
    await reloader.load();
    reloader.start();
    await writeUsersFile(file, one('erin'));
    expect(reloader.current().has('erin')).to.equal(false);
    tick?.();
    await until('the tick reloads', () => (reloader.current().has('erin') ? true : undefined), 2000);
    reloader.stop();
    expect(stopped).to.equal(true);
  });

  it('sees a change within a second with the real timer (pollMs 100)', async () => {
    await writeUsersFile(file, one('alice'));
    const reloader = new UsersReloader(file, { pollMs: 100 });
    await reloader.load();
    reloader.start();
    try {
      await writeUsersFile(file, one('frank'));
      await until('the poll reloads', () => (reloader.current().has('frank') ? true : undefined), 1000);
    } finally {
      reloader.stop();
    }
  });
});
