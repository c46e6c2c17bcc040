// A real crm-bridge on an ephemeral port over a fresh SQLite file, as each
// integration test uses it. restart() reopens the same database file.
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteCustomerStore } from '../../src/store/sqlite/sqlite-customer-store.js';

export interface TestServer {
  readonly url: string;
  readonly store: SqliteCustomerStore;
  /** The raw database handle, for tests that must break it. */
  readonly db: Database.Database;
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly soapUrl: string;
  readonly dataDir: string;
  readonly config: Config;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = env['CRM_DATA_DIR'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-test-'));
  const config = loadConfig({ CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_LOG_LEVEL: 'warn', ...env });
  const db = openDatabase(config.dbFile);
  const store = new SqliteCustomerStore(db);
  const logs: Record<string, unknown>[] = [];
  const sink = { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>); } };
  const server: Server = createServer(createApp({ config, store, log: createLogger(config.logLevel, sink) }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    store,
    db,
    logs,
    soapUrl: `${url}/soap/CustomerService`,
    dataDir,
    config,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (db.open) await store.close();
    },
  };
}
