// The JSON twin of batch-file.ts: a POST /api/batches body
// ({"customers":[...]}, no batchId, PARTIAL as the XML file is) of the same
// synthetic customers, one record a line, written with backpressure so a
// million customers never sit in memory. Record n is customerJsonBody of the
// same customer n the XML file holds, so the two imports do the same work.
import { numberWidth, syntheticCustomer } from './customers.js';
import { customerJsonBody } from './json-requests.js';
import { textFileWriter } from './text-file-writer.js';

/** Writes `customers` records to `file`; the file's size in bytes. */
export async function writeJsonBatchFile(file: string, customers: number): Promise<number> {
  const out = textFileWriter(file);
  const width = numberWidth(customers);
  await out.write('{"customers":[\n');
  for (let n = 0; n < customers; n++) await out.write(`${n === 0 ? '' : ',\n'}${customerJsonBody(syntheticCustomer(n, width))}`);
  return out.end('\n]}\n');
}
