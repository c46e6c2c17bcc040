// Process entry of the node-soap baseline, started by the bench as a child
// like crm-bridge (bench/server-process.ts): BASELINE_DATA_DIR for its
// database, BASELINE_VALIDATE=1 for libxmljs2 validation. Prints one JSON line
// with its URL when it listens; stops cleanly on SIGTERM or SIGINT.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBaseline } from './baseline-app.js';

// dist/bench/baseline/ -> the repository, where wsdl/ and xsd/ are.
const CONTRACT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(): Promise<void> {
  const dataDir = process.env['BASELINE_DATA_DIR'];
  if (dataDir === undefined || dataDir === '') throw new Error('BASELINE_DATA_DIR is required');
  const validate = process.env['BASELINE_VALIDATE'] === '1';
  const server = await startBaseline({ dbFile: path.join(dataDir, 'baseline.db'), validate, contractDir: CONTRACT_DIR });
  console.log(JSON.stringify({ msg: 'listening', url: server.url, validate }));
  const stop = (): void => {
    server.close().then(() => process.exit(0), (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
