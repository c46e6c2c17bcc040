// Prometheus metrics (prom-client, the standard Node client). One registry per
// app instance so that several apps in one process (tests) never collide.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ExchangeMetrics } from './drop-folder/drop-folder-metrics.js';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'crm_requests_total',
    help: 'Requests handled, by channel, operation and outcome (OK or the fault code)',
    labelNames: ['channel', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'crm_request_duration_seconds',
    help: 'Time from the request to the reply, by channel and operation',
    labelNames: ['channel', 'operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Group commit at work: 1 when writes come one at a time, more under concurrent load. */
  readonly writesPerCommit = new Histogram({
    name: 'crm_store_writes_per_commit',
    help: 'Single-record writes (create, update, delete) committed together in one transaction and fsync',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });
  /** With CRM_WORKERS: the price of taking turns on the one SQLite writer. */
  readonly writeTurnWait = new Histogram({
    name: 'crm_store_write_turn_wait_seconds',
    help: 'With CRM_WORKERS > 1: how long each write transaction waited for its turn to write (none observed with one process, which never waits)',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly exchange = new ExchangeMetrics(this.registry);

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
