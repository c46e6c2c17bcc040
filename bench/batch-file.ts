// A CustomerBatch file of the bench's synthetic customers, record for record
// what the exchange phase streams to POST /xml/batches, for tools that read a
// file (xmllint). Written with backpressure, so a million customers never sit
// in memory.
import { layoutWriter, type Layout } from './batch-layouts.js';
import { numberWidth, syntheticCustomer } from './customers.js';
import { customerXml } from './soap-requests.js';
import { textFileWriter } from './text-file-writer.js';

/** Writes `customers` records to `file`, laid out as `layout`; the file's size in bytes. */
export async function writeBatchFile(file: string, customers: number, layout: Layout = 'generator'): Promise<number> {
  const out = textFileWriter(file);
  const width = numberWidth(customers);
  const layoutOf = layoutWriter(layout);
  await out.write(layoutOf.head);
  for (let n = 0; n < customers; n++) await out.write(layoutOf.record(customerXml(syntheticCustomer(n, width)), n));
  return out.end(layoutOf.tail);
}
