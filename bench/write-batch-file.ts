// node dist/bench/write-batch-file.js N FILE [LAYOUT]: writes a CustomerBatch of the
// bench's N synthetic customers to FILE, for measuring `crm-bridge import`
// and the drop folder by hand on the same data the bench uses.
import { fmt } from './format.js';
import { writeBatchFile } from './batch-file.js';
import { LAYOUTS, type Layout } from './batch-layouts.js';

const [count, file, layoutName = 'generator'] = process.argv.slice(2);
const customers = Number((count ?? '').replaceAll('_', ''));
if (!Number.isInteger(customers) || customers < 0 || file === undefined || !(LAYOUTS as readonly string[]).includes(layoutName)) {
  console.error(`usage: node dist/bench/write-batch-file.js CUSTOMERS FILE [LAYOUT]; LAYOUT one of ${LAYOUTS.join(', ')}`);
  process.exit(2);
}
const bytes = await writeBatchFile(file, customers, layoutName as Layout);
console.log(`${file}: ${fmt(customers)} customers, ${layoutName} layout, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
