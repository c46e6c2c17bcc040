// crm-bridge export FILE: every customer (or those updated since a time) as a
// CustomerBatch, written to a temporary name and renamed when complete, so a
// reader never sees half a file.
import { writeAtomically } from '../files/write-atomically.js';
import { ValidationFailedError } from '../errors.js';
import { customerBatchStream } from '../mapping/export-stream.js';
import { updatedSinceBound } from '../mapping/search-messages.js';
import { exportCustomers } from '../operations/export-customers.js';
import type { Customer } from '../domain/customer.js';
import type { CliContext } from './cli-context.js';
import { progress } from './progress.js';

export async function exportCommand(file: string, options: { updatedSince?: string }, context: CliContext): Promise<number> {
  let updatedSince: string | undefined;
  try {
    updatedSince = options.updatedSince === undefined ? undefined : updatedSinceBound(options.updatedSince);
  } catch (err) {
    if (err instanceof ValidationFailedError) {
      context.err(`--updated-since: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const bar = progress(`exporting to ${file}`);
  let count = 0;
  async function* counted(): AsyncGenerator<Customer[]> {
    for await (const page of exportCustomers({ updatedSince }, context.deps)) {
      count += page.length;
      bar.update(count);
      yield page;
    }
  }
  await writeAtomically(file, customerBatchStream(counted()));
  bar.stop();
  context.out(`${count} customers exported to ${file}`);
  return 0;
}
