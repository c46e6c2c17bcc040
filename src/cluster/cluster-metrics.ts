// /metrics when several workers serve: a scrape lands on one of them, and
// answers for all. Counters and histograms (requests, durations, commits) are
// summed over the workers, each metric by its own prom-client aggregator (the
// default process metrics: CPU and memory summed, event-loop lag averaged).
// The drop-folder figures (crm_exchange_*) are read from the store and the
// folder, the same for every worker: those of the worker scraped, read just
// now, are taken and the others' (as old as their last scrape) left out.
import { AggregatorRegistry, type Registry } from 'prom-client';
import { isMessage, type Channel, type MetricsJson, type PrimaryMessage } from './messages.js';

const OWN_ONLY = 'crm_exchange_';

export class ClusterMetrics {
  private nextId = 1;
  private readonly pending = new Map<number, (others: MetricsJson[]) => void>();

  constructor(private readonly channel: Channel, private readonly registry: Registry) {
    channel.onMessage((message) => {
      if (!isMessage<PrimaryMessage>(message)) return;
      if (message.crm === 'collect-metrics') {
        void registry.getMetricsAsJSON().then((metrics) => channel.send({ crm: 'metrics', id: message.id, metrics }));
      } else if (message.crm === 'metrics-of-others') {
        this.pending.get(message.id)?.(message.metrics);
        this.pending.delete(message.id);
      }
    });
    // Without a primary, a scrape answers for this worker alone.
    channel.onDisconnect(() => {
      for (const answer of this.pending.values()) answer([]);
      this.pending.clear();
    });
  }

  /** The exposition text of every worker's metrics together. */
  async text(): Promise<string> {
    const own = await this.registry.getMetricsAsJSON();
    const id = this.nextId++;
    const others = await new Promise<MetricsJson[]>((resolve) => {
      if (!this.channel.send({ crm: 'metrics-of-others', id })) resolve([]);
      else this.pending.set(id, resolve);
    });
    const shared = others.map((metrics) => metrics.filter((m) => !m.name.startsWith(OWN_ONLY)));
    return AggregatorRegistry.aggregate([own, ...shared]).metrics();
  }
}
