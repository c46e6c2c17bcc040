// What the primary and its workers say to each other over the cluster's IPC
// channel (crm-bridge serve with CRM_WORKERS > 1). Every message carries
// `crm`, so that messages of other libraries on the channel are told apart.

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
