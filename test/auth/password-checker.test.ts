// PasswordChecker: Basic's and PasswordText's check. An unknown user and a
// wrong password fail alike, in the same time (a dummy hash is verified).
import { expect } from 'chai';
import { PasswordChecker } from '../../src/auth/password-checker.js';
import { hashPassword } from '../../src/auth/password-hash.js';
import type { UserEntry, Users } from '../../src/auth/users-file.js';
import { AUTHENTICATION_FAILED, UnauthorizedError } from '../../src/errors.js';

const PARAMS = { ln: 12, r: 8, p: 1 };

async function refusal(p: Promise<unknown>): Promise<UnauthorizedError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).to.be.instanceOf(UnauthorizedError);
  return err as UnauthorizedError;
}

describe('PasswordChecker', () => {
  let users: Map<string, UserEntry>;
  before(async () => {
    users = new Map([['alice', { role: 'writer', passwordHash: await hashPassword('right', PARAMS) }]]);
  });

  it('answers the caller for the right password', async () => {
    const checker = new PasswordChecker(() => users, { dummyParams: PARAMS });
    expect(await checker.check('alice', 'right')).to.deep.equal({ name: 'alice', role: 'writer', provenBy: 'password' });
  });

  it('refuses an unknown user and a wrong password with the same message', async () => {
    const checker = new PasswordChecker(() => users, { dummyParams: PARAMS });
    const unknown = await refusal(checker.check('mallory', 'right'));
    const wrong = await refusal(checker.check('alice', 'wrong'));
    expect(unknown.message).to.equal(AUTHENTICATION_FAILED);
    expect(wrong.message).to.equal(AUTHENTICATION_FAILED);
    expect([unknown.reason, wrong.reason]).to.deep.equal(['unknown user', 'wrong password']);
  });

  it('takes as long for an unknown user as for a wrong password', async function () {
    this.timeout(60_000);
    const checker = new PasswordChecker(() => users, { dummyParams: PARAMS });
    const time = async (name: string): Promise<number> => {
      const t = process.hrtime.bigint();
      await checker.check(name, 'wrong').catch(() => undefined);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    await time('mallory');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 7; i++) {
      unknown.push(await time('mallory'));
      wrong.push(await time('alice'));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[3] ?? 0;
    // scrypt at 2^12 takes ~10 ms here; without the dummy hash an unknown user would answer in microseconds.
    expect(median(wrong)).to.be.greaterThan(2);
    expect(median(unknown) / median(wrong)).to.be.within(0.5, 2);
  });

  it('remembers a verified password until the user\'s hash changes, and never a failure', async () => {
    let current: Users = users;
    const checker = new PasswordChecker(() => current, { dummyParams: PARAMS });
    await checker.check('alice', 'right');
    const t = process.hrtime.bigint();
    await checker.check('alice', 'right');
    expect(Number(process.hrtime.bigint() - t) / 1e6).to.be.lessThan(2);
    current = new Map([['alice', { role: 'reader', passwordHash: await hashPassword('new', PARAMS) }]]);
    await refusal(checker.check('alice', 'right'));
    expect((await checker.check('alice', 'new')).role).to.equal('reader');
    current = new Map();
    await refusal(checker.check('alice', 'new'));
  });

  it('takes the role from the users as they are now, also for a remembered password', async () => {
    let current: Users = users;
    const checker = new PasswordChecker(() => current, { dummyParams: PARAMS });
    await checker.check('alice', 'right');
    const entry = users.get('alice');
    if (entry === undefined) throw new Error('no alice');
    current = new Map([['alice', { ...entry, role: 'reader' }]]);
    expect((await checker.check('alice', 'right')).role).to.equal('reader');
  });
});
