// crm-bridge serve with CRM_WORKERS > 1: this process serves nothing itself.
// It brings the schema up to date once, forks the workers (each a whole
// service on the same port and database, the cluster module handing each new
// connection to one of them), holds the write lock they take turns with,
// gathers their metrics for /metrics, replaces a worker that dies, and on
// SIGTERM/SIGINT lets every worker finish its requests before it exits.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { isMessage, type MetricsJson, type PrimaryMessage, type WorkerMessage } from './messages.js';
import { WriteTokenQueue } from './write-token-queue.js';

/** A worker that does not answer a metrics request within this is left out of that scrape. */
const COLLECT_TIMEOUT_MS = 2_000;
/** A worker that dies sooner than this after its start is replaced after RESTART_DELAY_MS, not at once (no crash loop). */
const MIN_UPTIME_MS = 10_000;
const RESTART_DELAY_MS = 1_000;

interface Collection {
  readonly waiting: Set<number>;
  readonly metrics: MetricsJson[];
  readonly done: () => void;
}

/** `prepareStore`: migrates the store, before any worker is forked (two workers migrating the same file at once would race). */
export function runPrimary(config: Config, log: Logger, prepareStore: () => void): void {
  prepareStore();

  const send = (worker: Worker | undefined, message: PrimaryMessage): void => {
    if (worker?.isConnected()) worker.send(message);
  };
  const tokens = new WriteTokenQueue((id) => send(cluster.workers?.[id], { crm: 'write-granted' }));
  const collections = new Map<number, Collection>();
  let nextCollection = 1;
  let stopping = false;
  const started = new Map<number, number>();

  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  const fork = (): void => {
    const worker = cluster.fork({ CRM_CLUSTER_ROLE: 'worker' });
    started.set(worker.id, Date.now());
  };

  const collectOthers = (asker: Worker, askerId: number): void => {
    const id = nextCollection++;
    const others = workers().filter((w) => w.id !== asker.id && w.isConnected());
    const metrics: MetricsJson[] = [];
    const waiting = new Set(others.map((w) => w.id));
    const done = (): void => {
      clearTimeout(timer);
      collections.delete(id);
      send(asker, { crm: 'metrics-of-others', id: askerId, metrics });
    };
    const timer = setTimeout(() => {
      log.warn({ workers: [...waiting] }, 'metrics: worker did not answer in time, left out of this scrape');
      done();
    }, COLLECT_TIMEOUT_MS);
    collections.set(id, { waiting, metrics, done });
    if (waiting.size === 0) done();
    for (const w of others) send(w, { crm: 'collect-metrics', id });
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message)) return;
    switch (message.crm) {
      case 'write-lock': tokens.request(worker.id); break;
      case 'write-unlock': tokens.release(worker.id); break;
      case 'metrics-of-others': collectOthers(worker, message.id); break;
      case 'metrics': {
        const collection = collections.get(message.id);
        if (collection === undefined || !collection.waiting.delete(worker.id)) break;
        collection.metrics.push(message.metrics);
        if (collection.waiting.size === 0) collection.done();
        break;
      }
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    tokens.forget(worker.id);
    for (const collection of collections.values()) {
      if (collection.waiting.delete(worker.id) && collection.waiting.size === 0) collection.done();
    }
    const uptime = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (workers().length === 0) {
        log.info('stopped');
        process.exit(0);
      }
      return;
    }
    const delay = uptime < MIN_UPTIME_MS ? RESTART_DELAY_MS : 0;
    log.error({ pid: worker.process.pid, code, signal, restartInMs: delay }, 'worker died; starting another');
    setTimeout(() => { if (!stopping) fork(); }, delay);
  });

  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const running = workers();
    if (running.length === 0) process.exit(0);
    for (const w of running) w.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  log.info({ workers: config.workers }, 'crm-bridge: starting workers');
  for (let i = 0; i < config.workers; i++) fork();
}
