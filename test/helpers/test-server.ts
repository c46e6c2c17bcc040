// A real crm-bridge on an ephemeral port over a fresh SQLite file, as each
// integration test uses it; pass CRM_DATA_DIR of an earlier one to start
// again on the same database and drop folder. The drop folder runs only when
// a test asks for it, and then the test drives its polls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import { openService, type DropFolderTuning } from '../../src/app.js';
import type { Stage } from '../../src/dispatch/stage.js';
import type { DropFolder } from '../../src/drop-folder/drop-folder.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from './temp-dir.js';

export interface TestServer {
  readonly url: string;
  readonly store: SqliteStore;
  /** The raw database handle, for tests that must break it. */
  readonly db: Database.Database;
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly soapUrl: string;
  readonly dataDir: string;
  readonly config: Config;
  /** The drop folder, when asked for. */
  readonly dropFolder: DropFolder | undefined;
  close(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Runs the drop folder (CRM_EXCHANGE_DIR) as serve does, with this tuning.
   * It is marked watching, but its timer is set far beyond any test: the test
   * calls poll() itself, so every step is deterministic.
   */
  readonly dropFolder?: DropFolderTuning;
  /** Stages every request passes (the composition root's list, which is empty today, otherwise). */
  readonly stages?: readonly Stage[];
}

export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = env['CRM_DATA_DIR'] ?? tempDir('crm-bridge-test-');
  const config = loadConfig({ CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_LOG_LEVEL: 'warn', ...env });
  const logs: Record<string, unknown>[] = [];
  const sink = { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>); } };
  const log = createLogger(config.logLevel, sink);
  // As serve wires it (the same composition root): the users of CRM_USERS_FILE (none: auth off, as in v1), nonces in this database.
  const service = await openService(config, log, { stages: options.stages, dropFolder: options.dropFolder, withDropFolder: options.dropFolder !== undefined });
  const { store, db, dropFolder } = service;
  const stopWatching = dropFolder?.watch(24 * 3600 * 1000);
  const server: Server = createServer(service.listener);
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
    dropFolder,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopWatching?.();
      await service.close();
    },
  };
}
