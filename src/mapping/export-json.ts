// GET /api/export: every customer as the JSON batch POST /api/batches takes
// back ("a batch without batchId", contract v1.1), streamed page by page.
// Each customer is the very answer of GET /api/customers/{id}
// (customer-json.ts, JSON.stringify: quotes, backslashes and controls escaped,
// lone surrogates as \u escapes; U+2028 and astral characters are valid JSON
// as they are). One customer a line, as the XML export lays its file out: the
// file then reads and diffs by line.
import type { Customer } from '../domain/customer.js';
import { customerJson } from './customer-json.js';

export async function* customerBatchJsonStream(pages: AsyncIterable<Customer[]>): AsyncGenerator<string> {
  yield '{"customers":[';
  let first = true;
  for await (const page of pages) {
    let piece = '';
    for (const c of page) {
      piece += `${first ? '\n' : ',\n'}${JSON.stringify(customerJson(c))}`;
      first = false;
    }
    yield piece;
  }
  // Only a stream that got here is whole JSON: one cut short by a store error is not (node-exchange.ts cuts the answer).
  yield first ? ']}\n' : '\n]}\n';
}
