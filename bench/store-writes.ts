// node dist/bench/store-writes.js [CUSTOMERS]: the store without XML, HTTP or
// a reading thread, through the operations' own writes: CUSTOMERS of the
// bench's synthetic customers stored as a PARTIAL batch in chunks of 1000
// (all created), the same again (all UNCHANGED), then 6000 single creates,
// updates and deletes, 32 in flight (the group commit), and 200k GetCustomers
// one after another. Prints µs of wall and CPU time each: for telling what a
// change of the store or of the batch writes costs, by alternating runs of
// two builds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leaseFrom, type BatchRecord } from '../src/domain/batch.js';
import type { CustomerInput } from '../src/domain/customer.js';
import { finishBatch, storeChunk } from '../src/operations/batch-writes.js';
import { createCustomer } from '../src/operations/create-customer.js';
import { deleteCustomer } from '../src/operations/delete-customer.js';
import { getCustomer } from '../src/operations/get-customer.js';
import type { RequestDeps } from '../src/operations/operation-deps.js';
import { updateCustomer } from '../src/operations/update-customer.js';
import { openDatabase } from '../src/store/sqlite/open-database.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { numberWidth, syntheticCustomer } from './customers.js';

const customers = Number((process.argv[2] ?? '100000').replaceAll('_', ''));
if (!Number.isInteger(customers) || customers <= 0) {
  console.error('usage: node dist/bench/store-writes.js [CUSTOMERS]');
  process.exit(2);
}
const CHUNK = 1000;
const SINGLE = 6000;
const IN_FLIGHT = 32;
const GETS = 200_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-store-writes-'));
const store = new SqliteStore(openDatabase(path.join(dir, 'crm.db')));
let ids = 0;
const deps: RequestDeps = { store, now: () => new Date().toISOString(), newId: () => `0190${String(ids++).padStart(12, '0')}`, by: { actor: 'bench', requestId: 'store-writes' } };
const width = numberWidth(customers + SINGLE);
const input = (n: number): CustomerInput => {
  const c = syntheticCustomer(n, width);
  return { ...c, addresses: c.addresses.map((a) => ({ ...a })), contacts: c.contacts.map((k) => ({ ...k })) };
};

/** Runs `work` and prints its wall and CPU time per item. */
async function timed(label: string, items: number, work: () => Promise<void>): Promise<void> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const wall = Number(process.hrtime.bigint() - start) / 1e3 / items;
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${wall.toFixed(1)} µs wall, ${((used.user + used.system) / items).toFixed(1)} µs CPU (${(used.system / items).toFixed(1)} kernel) each`);
}

/** The batch's chunks, made before the clock starts. */
const chunks: BatchRecord[][] = [];
for (let from = 0; from < customers; from += CHUNK) {
  chunks.push(Array.from({ length: Math.min(CHUNK, customers - from) }, (_, i): BatchRecord => ({ index: from + i + 1, input: input(from + i) })));
}

async function batch(key: string): Promise<void> {
  const now = deps.now();
  await store.write((unit) => unit.batches.insert({ key, batchId: undefined, mode: 'PARTIAL', now, leaseUntil: leaseFrom(now), holder: { host: os.hostname(), pid: process.pid } }));
  for (const records of chunks) await storeChunk(store, key, records, { now, newId: deps.newId, by: deps.by }, undefined);
  await finishBatch(store, key, key, { now, newId: deps.newId, by: deps.by });
}

/** `one(i)` for i below SINGLE, IN_FLIGHT at a time. */
async function concurrently(one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < SINGLE) await one(next++);
  }));
}

try {
  await timed(`batch chunks, ${customers} new customers`, customers, () => batch('created'));
  await timed(`batch chunks, the same ${customers} again (UNCHANGED)`, customers, () => batch('unchanged'));
  const single: string[] = [];
  await timed(`CreateCustomer, ${IN_FLIGHT} in flight`, SINGLE, () => concurrently(async (i) => {
    single[i] = (await createCustomer(input(customers + i), deps)).id;
  }));
  await timed(`UpdateCustomer, ${IN_FLIGHT} in flight`, SINGLE, () => concurrently(async (i) => {
    await updateCustomer({ ...input(customers + i), name: `Renamed ${i}`, id: single[i], version: 1 }, deps);
  }));
  await timed(`GetCustomer, one after another`, GETS, async () => {
    for (let i = 0; i < GETS; i++) await getCustomer({ id: single[i % SINGLE] ?? '' }, deps);
  });
  await timed(`DeleteCustomer with its version, ${IN_FLIGHT} in flight`, SINGLE, () => concurrently(async (i) => {
    await deleteCustomer({ id: single[i] ?? '', expectedVersion: 2 }, deps);
  }));
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
