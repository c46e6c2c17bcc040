// The store ceilings: raw better-sqlite3 over the baseline's plain schema
// (WAL, synchronous=FULL), no XML and no HTTP. (a) bulk: the same N customers
// as the streamed import, with their addresses and contacts, 1000 per
// transaction; (b) durable single writes: a few thousand customers, one
// transaction (one fsync) each. Only the inserts are timed: the customers of
// a transaction are generated before its clock starts.
//
// Ids are UUIDv7 here (crm-bridge's ids) and not the baseline server's
// randomUUID(): random keys scatter index inserts over the whole index, which
// crm-bridge avoids, and a ceiling must not carry a cost the product does not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { BaselineStore } from '../baseline/baseline-store.js';
import { numberWidth, syntheticCustomer, type SyntheticCustomer } from '../customers.js';
import { fmt } from '../format.js';

const PER_TRANSACTION = 1000;

export interface StoreRate {
  readonly customers: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface SqliteCeilings {
  /** Undefined when N is 0. */
  readonly bulk: StoreRate | undefined;
  readonly single: StoreRate;
}

function withStore<T>(work: (store: BaselineStore) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-bench-sqlite-'));
  const store = new BaselineStore(path.join(dir, 'ceiling.db'), { newId: () => uuidv7() });
  try {
    return work(store);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rate(customers: number, nanoseconds: bigint): StoreRate {
  const seconds = Number(nanoseconds) / 1e9;
  return { customers, seconds, perSecond: customers / seconds };
}

function bulk(customers: number): StoreRate {
  return withStore((store) => {
    const width = numberWidth(customers);
    let spent = 0n;
    const progressEvery = Math.max(PER_TRANSACTION, Math.ceil(customers / 10 / PER_TRANSACTION) * PER_TRANSACTION);
    for (let first = 0; first < customers; first += PER_TRANSACTION) {
      const chunk: SyntheticCustomer[] = [];
      for (let n = first; n < Math.min(customers, first + PER_TRANSACTION); n++) chunk.push(syntheticCustomer(n, width));
      const started = process.hrtime.bigint();
      store.createMany(chunk);
      spent += process.hrtime.bigint() - started;
      const done = Math.min(customers, first + PER_TRANSACTION);
      if (done % progressEvery === 0 && done < customers) console.log(`  bulk: ${fmt(done)} customers, ${fmt(Math.round(done / (Number(spent) / 1e9)))} customers/s so far`);
    }
    return rate(customers, spent);
  });
}

function single(customers: number): StoreRate {
  return withStore((store) => {
    const width = numberWidth(customers);
    const all = Array.from({ length: customers }, (_, n) => syntheticCustomer(n, width));
    const started = process.hrtime.bigint();
    for (const customer of all) store.create(customer);
    return rate(customers, process.hrtime.bigint() - started);
  });
}

export function measureSqliteCeilings(bulkCustomers: number, singleWrites: number): SqliteCeilings {
  console.log(`\nbetter-sqlite3 ceilings: plain schema, WAL, synchronous=FULL, in the bench process`);
  const b = bulkCustomers === 0 ? undefined : bulk(bulkCustomers);
  if (b !== undefined) {
    console.log(`  ${fmt(b.customers)} customers, ${PER_TRANSACTION} per transaction: ${b.seconds.toFixed(2)} s, ${fmt(Math.round(b.perSecond))} customers/s`);
  }
  const s = single(singleWrites);
  console.log(`  ${fmt(s.customers)} customers, one transaction each: ${s.seconds.toFixed(2)} s, ${fmt(Math.round(s.perSecond))} customers/s`);
  return { bulk: b, single: s };
}
