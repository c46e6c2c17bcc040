// NonceLedger: a nonce is claimed once until it expires; the SQLite ledger
// remembers across a restart (a new connection to the same file) and between
// two connections at once, as two instances on one store.
import { expect } from 'chai';
import path from 'node:path';
import { MemoryNonceLedger } from '../../src/store/memory-nonce-ledger.js';
import type { NonceLedger } from '../../src/store/nonce-ledger.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteNonceLedger } from '../../src/store/sqlite/sqlite-nonce-ledger.js';
import { writeTransaction } from '../../src/store/sqlite/write-transaction.js';
import { tempDir } from '../helpers/temp-dir.js';

function sharedBehaviour(make: () => NonceLedger): void {
  it('claims a nonce once until it expires, then again', async () => {
    const ledger = make();
    expect(await ledger.claim('bm9uY2U=', 1000, 0)).to.equal(true);
    expect(await ledger.claim('bm9uY2U=', 2000, 999)).to.equal(false);
    expect(await ledger.claim('b3RoZXI=', 1000, 999)).to.equal(true);
    expect(await ledger.claim('bm9uY2U=', 3000, 1000)).to.equal(true);
    expect(await ledger.claim('bm9uY2U=', 3000, 2000)).to.equal(false);
  });

  it('lets one of two claims of a nonce at once win', async () => {
    const ledger = make();
    const results = await Promise.all([ledger.claim('c2FtZQ==', 1000, 0), ledger.claim('c2FtZQ==', 1000, 0)]);
    expect(results.filter(Boolean)).to.have.length(1);
  });
}

describe('MemoryNonceLedger', () => {
  sharedBehaviour(() => new MemoryNonceLedger());

  it('forgets expired nonces', async () => {
    const ledger = new MemoryNonceLedger();
    await ledger.claim('a', 10, 0);
    await ledger.claim('b', 20, 0);
    ledger.forgetExpired(15);
    expect(ledger.size).to.equal(1);
  });
});

describe('SqliteNonceLedger', () => {
  const open = (file: string): { ledger: SqliteNonceLedger; close: () => void } => {
    const db = openDatabase(file);
    return { ledger: new SqliteNonceLedger(db, writeTransaction(db)), close: () => db.close() };
  };
  const opened: (() => void)[] = [];
  afterEach(() => { opened.splice(0).forEach((close) => close()); });
  const fresh = (): SqliteNonceLedger => {
    const { ledger, close } = open(path.join(tempDir('crm-nonces-'), 'crm.db'));
    opened.push(close);
    return ledger;
  };

  sharedBehaviour(fresh);

  it('remembers a nonce after a restart and for another connection to the same file', async () => {
    const file = path.join(tempDir('crm-nonces-'), 'crm.db');
    const first = open(file);
    expect(await first.ledger.claim('cmVwbGF5', 300_000, 0)).to.equal(true);
    first.close();
    const again = open(file);
    const other = open(file);
    opened.push(again.close, other.close);
    expect(await again.ledger.claim('cmVwbGF5', 600_000, 1000)).to.equal(false);
    expect(await other.ledger.claim('cmVwbGF5', 600_000, 1000)).to.equal(false);
    expect(await other.ledger.claim('cmVwbGF5', 600_000, 300_000)).to.equal(true);
  });

  it('answers each of many claims made at once (committed together) on its own, and keeps every accepted one', async () => {
    const file = path.join(tempDir('crm-nonces-'), 'crm.db');
    const first = open(file);
    const nonces = Array.from({ length: 40 }, (_, i) => `bm9uY2Ut${i}`);
    // Each nonce twice in the same tick: one claim of each wins, whichever group they fall in.
    const results = await Promise.all([...nonces, ...nonces].map((n) => first.ledger.claim(n, 300_000, 0)));
    expect(results.slice(0, 40).every(Boolean)).to.equal(true);
    expect(results.slice(40).some(Boolean)).to.equal(false);
    first.close();
    const again = open(file);
    opened.push(again.close);
    const replays = await Promise.all(nonces.map((n) => again.ledger.claim(n, 600_000, 1000)));
    expect(replays.some(Boolean)).to.equal(false);
  });

  it('sweeps expired nonces as it goes', async () => {
    const file = path.join(tempDir('crm-nonces-'), 'crm.db');
    const { ledger, close } = open(file);
    opened.push(close);
    for (let i = 0; i < 300; i++) await ledger.claim(`n${i}`, i < 200 ? 10 : 1_000_000, 100);
    const db = openDatabase(file);
    try {
      const left = db.prepare('SELECT count(*) FROM nonces').pluck().get() as number;
      expect(left).to.be.lessThan(300);
      expect(left).to.be.at.least(100);
    } finally {
      db.close();
    }
  });
});
