// A CustomerBatch file of the bench's synthetic customers, record for record
// what the exchange phase streams to POST /xml/batches, for tools that read a
// file (xmllint). Written with backpressure, so a million customers never sit
// in memory.
import fs from 'node:fs';
import { once } from 'node:events';
import { layoutWriter, type Layout } from './batch-layouts.js';
import { numberWidth, syntheticCustomer } from './customers.js';
import { customerXml } from './soap-requests.js';

/** Writes `customers` records to `file`, laid out as `layout`; the file's size in bytes. */
export async function writeBatchFile(file: string, customers: number, layout: Layout = 'generator'): Promise<number> {
  const out = fs.createWriteStream(file);
  const closed = once(out, 'close');
  const width = numberWidth(customers);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const layoutOf = layoutWriter(layout);
  await write(layoutOf.head);
  for (let n = 0; n < customers; n++) await write(layoutOf.record(customerXml(syntheticCustomer(n, width)), n));
  out.end(layoutOf.tail);
  await closed;
  return bytes + Buffer.byteLength(layoutOf.tail);
}
