// Runs the HTTP service until SIGINT/SIGTERM: in-flight requests finish, then
// the database closes. Used by `crm-bridge serve` (what `npm start` runs).
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { openDropFolderAlone, openService } from './app.js';
import { judgeExposure } from './auth/exposure.js';
import { readUsersFile } from './auth/users-file.js';
import { removeOrphanSpools } from './import/batch-source.js';
import { thisProcess } from './this-process.js';
import type { DropFolder } from './drop-folder/drop-folder.js';
import type { Config } from './config.js';
import { ClusterMetrics } from './cluster/cluster-metrics.js';
import { IpcWriteLock } from './cluster/ipc-write-lock.js';
import { processChannel } from './cluster/messages.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { answerClientErrors } from './transport/client-error.js';
import { createHttpServer, reloadCertificate } from './transport/http-server.js';
import { Admission } from './transport/admission.js';
import { closeSilentConnections, serverTimeouts } from './transport/slow-client.js';

/** Starts polling `folder`; resolves the returned stop() once the current file is done. */
function watch(folder: DropFolder, config: Config, log: Logger): () => Promise<void> {
  log.info({ inbox: folder.dir('inbox'), pollMs: config.exchangePollMs }, 'drop folder: watching inbox/');
  return folder.watch(config.exchangePollMs);
}

/** The drop folder alone, without HTTP (`crm-bridge watch`): it logs its progress itself; the promise of stop() ends once the store is closed. */
export function watchDropFolder(config: Config, log: Logger): () => Promise<void> {
  const alone = openDropFolderAlone(config, log);
  const stop = watch(alone.dropFolder, config, log);
  return () => stop().then(() => alone.close());
}

/**
 * Whether this configuration may serve (issue 17, item 7): no users and no
 * token issuer on a non-loopback address is refused unless CRM_AUTH=off,
 * which is then warned about at every start. Judged before anything listens
 * (and in a cluster's primary before any worker is forked). A users file
 * that cannot be read refuses the start too.
 */
export async function refusalToServe(config: Config, log: Logger): Promise<string | undefined> {
  const users = await readUsersFile(config.usersFile);
  const authConfigured = users.size > 0 || config.jwt !== undefined;
  const { refusal, warning } = judgeExposure(config.host, authConfigured, config.authOff);
  if (warning !== undefined) log.warn({ host: config.host }, warning);
  if (config.authOff && authConfigured) log.info({}, 'CRM_AUTH=off has no effect: authentication is configured, and it stays on');
  return refusal;
}

/**
 * One serving process: the only one, or a worker of `crm-bridge serve` with
 * CRM_WORKERS > 1, which takes turns to write with the others and answers
 * /metrics for all. Each worker also polls the drop folder: a file is claimed
 * by one of them (as by one of several hosts sharing the folder).
 */
export async function serve(config: Config, log: Logger): Promise<Server> {
  try {
    // Before listening: no batch of this process can be spooled yet (see removeOrphanSpools).
    const removed = removeOrphanSpools(config.spoolDir, thisProcess());
    if (removed.length > 0) log.info({ removed }, 'removed the spool files of batches whose process had died');
  } catch (err) {
    log.warn({ err, spoolDir: config.spoolDir }, 'cannot clear the spool folder of dead processes\' files');
  }
  const channel = config.clusterWorker && cluster.isWorker ? processChannel() : undefined;
  const metrics = new Metrics();
  const lock = channel === undefined ? undefined : new IpcWriteLock(channel);
  lock?.onWait((seconds) => metrics.writeTurnWait.observe(seconds));
  const together = channel === undefined ? undefined : new ClusterMetrics(channel, metrics.registry);
  const admission = new Admission(config.http.maxInFlight);
  const service = await openService(config, log, { lock, metrics, admission, scrape: together === undefined ? undefined : () => together.text() });
  const { auth, dropFolder } = service;
  let server: Server;
  try {
    server = createHttpServer(service.listener, config.tls, serverTimeouts(config.http));
  } catch (err) {
    await service.close();
    throw err;
  }
  const stopWatching = dropFolder === undefined ? async () => undefined : watch(dropFolder, config, log);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    log.info({ url: `${config.tls === undefined ? 'http' : 'https'}://${config.host}:${port}`, db: config.dbFile, pid: process.pid, auth: auth.on() ? 'on' : 'off' }, 'crm-bridge listening');
  });
  // Longer than the usual load balancer idle timeout (60 s), so the server is
  // never the side that closes an idle keep-alive connection a client is about
  // to reuse (which fails a POST that is not safe to resend). (headersTimeout
  // need not exceed it on node 20: it runs from a request's first byte, not
  // from the connection's idle start; serverTimeouts sets it.)
  server.keepAliveTimeout = 65_000;
  closeSilentConnections(server, config.http);
  answerClientErrors(server, log);
  server.on('error', (err) => {
    log.fatal({ err }, 'cannot listen');
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Requests in flight finish; any new one, on a connection kept alive, is UNAVAILABLE (and its connection closed).
    admission.close();
    server.close(() => {
      clearInterval(idle);
      void stopWatching().then(() => service.close()).then(() => process.exit(0));
    });
    // A connection whose last answer ends during the shutdown goes idle: closed within a second, not at keepAliveTimeout.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 1000);
  };
  const { tls } = config;
  if (tls !== undefined) {
    process.on('SIGHUP', () => {
      try {
        reloadCertificate(server, tls);
        log.info({ cert: tls.certFile }, 'TLS certificate and key reloaded: new connections use them');
      } catch (err) {
        log.error({ err }, 'TLS certificate not reloaded: still serving with the previous one');
      }
    });
  }
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A worker whose primary has gone (killed) stops too, rather than serve on unsupervised.
  channel?.onDisconnect(() => stop('primary gone'));
  return server;
}
