// A customer's history (contract v1.1, "Who may call": the audit trail): who
// made each stored change, in which request, and what the change was. Values
// only; the store writes a history line in the transaction of the change it
// describes, and the operations say which line.

/** What a stored change was: UPSERT for a batch record, whether it created or updated the customer. */
export type HistoryOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'UPSERT';

/** Who a request's stored changes are recorded as made by, and the request's id. */
export interface Attribution {
  /**
   * The user name or token `sub` of a network channel's caller, the OS user
   * of the command line, `file:NAME` for a dropped file; undefined when auth
   * is off on a network channel (the caller is anonymous, as in v1).
   */
  readonly actor: string | undefined;
  /** The id the request's answer carries (X-Request-Id; the claim of a dropped file). */
  readonly requestId: string;
}

/** One line of a customer's history. */
export interface HistoryEntry {
  /** The version the change made; for a DELETE, the version that was deleted. */
  readonly version: number;
  /** The change's own time (the customer's updatedAt; the time of a delete), UTC. */
  readonly at: string;
  readonly operation: HistoryOperation;
  readonly actor: string | undefined;
  /** Undefined only for changes stored before the history was kept (taken over from the change log). */
  readonly requestId: string | undefined;
}
