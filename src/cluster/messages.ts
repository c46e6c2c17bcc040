// What the primary and its workers say to each other over the cluster's IPC
// channel (crm-bridge serve with CRM_WORKERS > 1), and a worker's end of that
// channel. Every message carries `crm`, so that messages of other libraries
// on the channel are told apart.

/** One worker's metrics as prom-client's getMetricsAsJSON() gives them. */
export type MetricsJson = readonly { readonly name: string }[];

export type WorkerMessage =
  | { readonly crm: 'write-lock' }
  | { readonly crm: 'write-unlock' }
  /** A scrape arrived here: send me the other workers' metrics. */
  | { readonly crm: 'metrics-of-others'; readonly id: number }
  /** My metrics, for request `id` of the primary. */
  | { readonly crm: 'metrics'; readonly id: number; readonly metrics: MetricsJson };

export type PrimaryMessage =
  | { readonly crm: 'write-granted' }
  /** Send me your metrics. */
  | { readonly crm: 'collect-metrics'; readonly id: number }
  | { readonly crm: 'metrics-of-others'; readonly id: number; readonly metrics: MetricsJson[] };

export function isMessage<T extends { crm: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { crm?: unknown }).crm === 'string';
}

export interface Channel {
  /** Sends to the primary; false when the channel has closed (the primary is gone). */
  send(message: WorkerMessage): boolean;
  onMessage(listener: (message: unknown) => void): void;
  onDisconnect(listener: () => void): void;
}

export function processChannel(): Channel {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('not a cluster worker: no IPC channel to the primary');
  return {
    send: (message) => {
      if (!process.connected) return false;
      send(message);
      return true;
    },
    onMessage: (listener) => { process.on('message', listener); },
    onDisconnect: (listener) => { process.once('disconnect', listener); },
  };
}
