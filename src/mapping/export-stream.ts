// The export as a CustomerBatch document streamed page by page: exactly the
// format POST /xml/batches and batch files accept back. One customer a line,
// as the bench's generator lays a file out: a line number in an import's
// report then names the record, and the file reads and diffs by line (the
// import itself takes any layout, one line included).
import type { Customer } from '../domain/customer.js';
import { fragment, streamEnd, streamStart } from '../xml/build.js';
import { writeCustomer } from './customer-xml.js';

export async function* customerBatchStream(pages: AsyncIterable<Customer[]>): AsyncGenerator<string> {
  yield `${streamStart('CustomerBatch')}\n`;
  for await (const page of pages) {
    yield fragment((parent) => page.forEach((c) => {
      writeCustomer(parent, c);
      parent.txt('\n');
    }));
  }
  yield streamEnd('CustomerBatch');
}
