// The JSON twin of batch-file.ts: a POST /api/batches body
// ({"customers":[...]}, no batchId, PARTIAL as the XML file is) of the same
// synthetic customers, one record a line, written with backpressure so a
// million customers never sit in memory. Record n is customerJsonBody of the
// same customer n the XML file holds, so the two imports do the same work.
import fs from 'node:fs';
import { once } from 'node:events';
import { numberWidth, syntheticCustomer } from './customers.js';
import { customerJsonBody } from './json-requests.js';

/** Writes `customers` records to `file`; the file's size in bytes. */
export async function writeJsonBatchFile(file: string, customers: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const closed = once(out, 'close');
  const width = numberWidth(customers);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"customers":[\n');
  for (let n = 0; n < customers; n++) await write(`${n === 0 ? '' : ',\n'}${customerJsonBody(syntheticCustomer(n, width))}`);
  const tail = '\n]}\n';
  out.end(tail);
  await closed;
  return bytes + Buffer.byteLength(tail);
}
