// The export as a CustomerBatch document streamed page by page: exactly the
// format POST /xml/batches and batch files accept back.
import type { Customer } from '../domain/customer.js';
import { fragment, streamEnd, streamStart } from '../xml/build.js';
import { writeCustomer } from './customer-xml.js';

export async function* customerBatchStream(pages: AsyncIterable<Customer[]>): AsyncGenerator<string> {
  yield streamStart('CustomerBatch');
  for await (const page of pages) {
    yield fragment((parent) => page.forEach((c) => writeCustomer(parent, c)));
  }
  yield streamEnd('CustomerBatch');
}
