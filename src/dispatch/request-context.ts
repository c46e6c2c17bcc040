// What the dispatcher knows of a request besides its document: which channel
// it came in on and the id its answer, its log lines and an INTERNAL fault
// quote. Channels fill it in; stages read it (and, with authentication, the
// caller it establishes will join it here).

/** Every way a request reaches the dispatcher. */
export type Channel = 'soap-1.1' | 'soap-1.2' | 'xml' | 'cli' | 'drop-folder';

export interface RequestContext {
  readonly channel: Channel;
  readonly requestId: string;
}
