// crm-bridge export FILE: every customer (or those updated since a time) as a
// CustomerBatch, written to a temporary name and renamed when complete, so a
// reader never sees half a file. --updated-since is checked by the XSD, as
// GET /xml/export?updatedSince= is: it is the same Export request.
import { EXPORT, EXPORT_PARAMETERS } from '../dispatch/export-entry.js';
import { dispatchParameters, type Parameter } from '../dispatch/parameter-document.js';
import { writeAtomically } from '../files/write-atomically.js';
import { BridgeError } from '../errors.js';
import { operatorFault } from '../fault.js';
import { customerBatchStream } from '../mapping/export-stream.js';
import type { Customer } from '../domain/customer.js';
import { cliRequest, type CliContext } from './cli-context.js';
import { progress } from './progress.js';

/** Exit status of an export the request itself was refused (a bad --updated-since). */
const REFUSED = 2;

export async function exportCommand(file: string, options: { updatedSince?: string }, context: CliContext): Promise<number> {
  const parameters: Parameter[] = options.updatedSince === undefined
    ? []
    : [{ name: 'updatedSince', value: options.updatedSince, label: '--updated-since', line: 1, column: 1 }];
  let pages: AsyncIterable<Customer[]>;
  try {
    pages = await dispatchParameters(context.dispatcher, cliRequest(), EXPORT, EXPORT_PARAMETERS, parameters, { label: 'options', line: 1, column: 1 });
  } catch (err) {
    if (!(err instanceof BridgeError) || !err.senderFault) throw err;
    const fault = operatorFault(err);
    context.err(`${fault.errors.length > 0 ? fault.errors.map((e) => e.message).join('; ') : fault.message} (${fault.code})`);
    return REFUSED;
  }
  const bar = progress(`exporting to ${file}`);
  let count = 0;
  async function* counted(): AsyncGenerator<Customer[]> {
    for await (const page of pages) {
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
