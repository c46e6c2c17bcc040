// node dist/bench/write-batch-file.js N FILE: writes a CustomerBatch of the
// bench's N synthetic customers to FILE, for measuring `crm-bridge import`
// and the drop folder by hand on the same data the bench uses.
import { fmt } from './format.js';
import { writeBatchFile } from './batch-file.js';

const [count, file] = process.argv.slice(2);
const customers = Number((count ?? '').replaceAll('_', ''));
if (!Number.isInteger(customers) || customers < 0 || file === undefined) {
  console.error('usage: node dist/bench/write-batch-file.js CUSTOMERS FILE');
  process.exit(2);
}
const bytes = await writeBatchFile(file, customers);
console.log(`${file}: ${fmt(customers)} customers, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
