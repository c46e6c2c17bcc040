// Runs the HTTP service until SIGINT/SIGTERM: in-flight requests finish, then
// the database closes. Used by `crm-bridge serve` (what `npm start` runs).
import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openDatabase } from './store/sqlite/open-database.js';
import { SqliteCustomerStore } from './store/sqlite/sqlite-customer-store.js';
import type { CustomerStore } from './store/customer-store.js';
import { DropFolder } from './batch/drop-folder.js';
import { sharedReaders } from './batch/record-readers.js';
import { XsdValidator } from './validation/xsd-validator.js';
import { v7 as uuidv7 } from 'uuid';

/** Starts the drop folder on `dir`; resolves the returned stop() once the current file is done. */
export function watchDropFolder(config: Config, dir: string, store: CustomerStore, log: Logger): () => Promise<void> {
  const validator = new XsdValidator();
  const folder = new DropFolder({
    root: dir,
    deps: { store, now: () => new Date().toISOString(), newId: () => uuidv7() },
    validator,
    readers: sharedReaders(validator, config.importWorkers),
    log,
    stableMs: config.exchangeStableMs,
  });
  log.info({ dir, pollMs: config.exchangePollMs }, 'drop folder: watching inbox/');
  return folder.watch(config.exchangePollMs);
}

export function serve(config: Config, log: Logger): Server {
  const store = new SqliteCustomerStore(openDatabase(config.dbFile));
  const server = createServer(createApp({ config, store, log }));
  const stopWatching = config.exchangeDir === undefined ? async () => undefined : watchDropFolder(config, config.exchangeDir, store, log);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    log.info({ url: `http://${config.host}:${port}`, db: config.dbFile }, 'crm-bridge listening');
  });
  // Longer than the usual load balancer idle timeout (60 s), so the server is
  // never the side that closes an idle keep-alive connection a client is about
  // to reuse (which fails a POST that is not safe to resend).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('error', (err) => {
    log.fatal({ err }, 'cannot listen');
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    server.close(() => {
      void stopWatching().then(() => store.close()).then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return server;
}
