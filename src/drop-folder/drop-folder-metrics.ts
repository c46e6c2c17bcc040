// The drop folder's figures on /metrics (crm_exchange_*), set from the same
// status read GET /exchange answers from, once per scrape: the two never
// disagree, and nothing here is counted in process. File counts come from the
// store, so every instance sharing a store reports the same totals: aggregate
// them with max(), not sum(). No label names a file: file names are unbounded.
import { Counter, Gauge, type Registry } from 'prom-client';
import { FILE_OUTCOMES, type ExchangeStatus, type FileOutcome } from '../domain/drop-folder.js';

/** Prometheus label values are snake_case. */
const OUTCOME_LABEL: Readonly<Record<FileOutcome, string>> = {
  imported: 'imported',
  'failed-records': 'failed_records',
  duplicate: 'duplicate',
  unreadable: 'unreadable',
};

export class ExchangeMetrics {
  private readonly files: Counter<'outcome'>;
  private readonly inProgress: Gauge;
  private readonly committed: Gauge;
  private readonly inbox: Gauge;
  private readonly lastError: Gauge;
  private readonly watching: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.files = new Counter({
      name: 'crm_exchange_files_total',
      help: 'Drop-folder files by outcome: imported, failed_records, duplicate (moved to archive/), unreadable (moved to error/: refused, or the same unexpected failure twice); from the store, the same on every instance sharing it',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.inProgress = new Gauge({ name: 'crm_exchange_files_in_progress', help: 'Files in work/ being imported, by any instance', registers });
    this.committed = new Gauge({
      name: 'crm_exchange_in_progress_records_committed',
      help: 'Records of the files in progress whose results are committed in the store, summed over those files',
      registers,
    });
    this.inbox = new Gauge({ name: 'crm_exchange_inbox_files', help: 'Batch files waiting in inbox/', registers });
    this.lastError = new Gauge({
      name: 'crm_exchange_last_error_timestamp_seconds',
      help: 'When a drop-folder file last failed (unreadable, or an unexpected error), seconds since the epoch; 0 when none ever did',
      registers,
    });
    this.watching = new Gauge({ name: 'crm_exchange_watching', help: '1 while this instance polls the drop folder, else 0 (switched off, stopping, or its status could not be read)', registers });
  }

  /** Sets every figure from `status`; undefined (it could not be read) leaves only watching = 0. */
  observe(status: ExchangeStatus | undefined): void {
    // A counter cannot be set, only reset and raised: the totals are the store's, not counted here.
    this.files.reset();
    if (status === undefined || status.state === 'OFF') {
      for (const gauge of [this.inProgress, this.committed, this.inbox, this.lastError, this.watching]) gauge.set(0);
      return;
    }
    for (const outcome of FILE_OUTCOMES) this.files.inc({ outcome: OUTCOME_LABEL[outcome] }, status.files[outcome]);
    this.inProgress.set(status.inProgress.length);
    this.committed.set(status.inProgress.reduce((sum, f) => sum + f.recordsCommitted, 0));
    this.inbox.set(status.inbox.count);
    this.lastError.set(status.lastError === undefined ? 0 : Date.parse(status.lastError.at) / 1000);
    this.watching.set(status.state === 'WATCHING' ? 1 : 0);
  }
}
