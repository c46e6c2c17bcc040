// What the dispatcher knows of a request besides its document: which channel
// it came in on, the id its answer, its log lines and an INTERNAL fault
// quote, what it presented to prove who sent it, and (once the auth stage
// admitted it) who that is. Channels fill in the first three; stages read
// them and set the caller.
import type { Caller } from '../domain/caller.js';
import type { PresentedCredentials } from '../domain/credentials.js';
import type { Attribution } from '../domain/history.js';

/** Every way a request reaches the dispatcher. */
export type Channel = 'soap-1.1' | 'soap-1.2' | 'xml' | 'json' | 'cli' | 'drop-folder';

export interface RequestContext {
  readonly channel: Channel;
  readonly requestId: string;
  /** Network channels: the credentials as sent, unverified (auth-stage.ts verifies them). */
  readonly credentials?: PresentedCredentials | undefined;
  /** Local channels: who runs the request, for the history (the OS user of the command, `file:NAME` for a dropped file). */
  readonly actor?: string | undefined;
  /** Set by the auth stage: who the request runs for; undefined while auth is off on a network channel (anonymous, as in v1). */
  caller?: Caller | undefined;
}

/**
 * Who the request's stored changes are recorded as made by: the caller the
 * auth stage admitted (a user, a token's `sub`; on the local channels their
 * actor), else the actor a local channel names; nobody (anonymous) on a
 * network channel while auth is off.
 */
export function attributionOf(context: RequestContext): Attribution {
  return { actor: context.caller?.name ?? context.actor, requestId: context.requestId };
}
