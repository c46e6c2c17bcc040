// A CustomerBatch file of the bench's synthetic customers, record for record
// what the exchange phase streams to POST /xml/batches, for tools that read a
// file (xmllint). Written with backpressure, so a million customers never sit
// in memory.
import fs from 'node:fs';
import { once } from 'node:events';
import { numberWidth, syntheticCustomer } from './customers.js';
import { customerXml } from './soap-requests.js';

const NS = 'urn:crm-bridge:customer:v1';

/** Writes `customers` records to `file`; the file's size in bytes. */
export async function writeBatchFile(file: string, customers: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const closed = once(out, 'close');
  const width = numberWidth(customers);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS}">\n`);
  for (let n = 0; n < customers; n++) await write(`${customerXml(syntheticCustomer(n, width))}\n`);
  out.end('</CustomerBatch>\n');
  await closed;
  return bytes + Buffer.byteLength('</CustomerBatch>\n');
}
