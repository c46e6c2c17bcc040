#!/usr/bin/env node
// Process entry: read config, open the store, serve HTTP, stop cleanly on
// SIGINT/SIGTERM (in-flight requests finish, then the database closes).
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './store/sqlite/open-database.js';
import { SqliteCustomerStore } from './store/sqlite/sqlite-customer-store.js';

const config = loadConfig();
const log = createLogger(config.logLevel);
const store = new SqliteCustomerStore(openDatabase(config.dbFile));
const app = createApp({ config, store, log });

const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  log.info({ url: `http://${config.host}:${port}`, db: config.dbFile }, 'crm-bridge listening');
});
server.on('error', (err) => {
  log.fatal({ err }, 'cannot listen');
  process.exit(1);
});

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  server.close(() => {
    void store.close().then(() => process.exit(0));
  });
  server.closeIdleConnections();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
