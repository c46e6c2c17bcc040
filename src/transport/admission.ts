// Whether the service takes on a request at all, decided before anything of
// it is read: at most `maxInFlight` at once, and none once shutdown began.
// A request turned away gets UNAVAILABLE with Retry-After at once, its body
// unread (the connection is closed after the answer when it has one, so the
// body is never read either). /health and /metrics are never counted or
// turned away: they are how an operator or a load balancer sees the state.
// Owns: the count and the gate. Must not: route, parse, or decide a status
// (http-status.ts does, through the fault renderers it is given).
import type { IncomingMessage, RequestListener } from 'node:http';
import { UnavailableError } from '../errors.js';
import type { HttpReply } from './http-reply.js';
import { hasBody, sendReply } from './node-exchange.js';
import { assignRequestId } from './request-id.js';

/** Seconds a client is told to wait when the service is full: requests in flight usually end within one. */
export const RETRY_AFTER_BUSY_S = 1;
/** ...and when it is stopping: long enough for a restart or for the balancer to take this instance out. */
export const RETRY_AFTER_STOPPING_S = 5;

/** Renders a refusal in the caller's language: a SOAP fault for a SOAP POST, a ServiceFault otherwise. */
export type RefusalRenderer = (req: IncomingMessage, err: UnavailableError, requestId: string) => HttpReply;

export class Admission {
  private inFlight = 0;
  private stopping = false;

  constructor(private readonly maxInFlight: number) {}

  /** Requests being served now (those counted). */
  get count(): number {
    return this.inFlight;
  }

  /** From now on every counted request is turned away (shutdown); those in flight go on. */
  close(): void {
    this.stopping = true;
  }

  /** `listener` behind the gate; `render` answers a refusal. */
  guard(listener: RequestListener, render: RefusalRenderer): RequestListener {
    return (req, res) => {
      if (isOperatorProbe(req)) {
        listener(req, res);
        return;
      }
      const refusal = this.stopping
        ? new UnavailableError('The service is shutting down; send the request again (to another instance, or once it is back)', RETRY_AFTER_STOPPING_S)
        : this.inFlight >= this.maxInFlight
          ? new UnavailableError(`The service is serving as many requests as it takes at once (${this.maxInFlight}); send the request again shortly`, RETRY_AFTER_BUSY_S)
          : undefined;
      if (refusal !== undefined) {
        // A body left unread would otherwise be read to its end to keep the connection (node's default); stopping, it goes anyway.
        if (this.stopping || hasBody(req)) res.shouldKeepAlive = false;
        void sendReply(res, render(req, refusal, assignRequestId(req, res)));
        return;
      }
      this.inFlight += 1;
      // 'close' comes once per response, answered or cut off, so the count cannot leak.
      res.once('close', () => { this.inFlight -= 1; });
      listener(req, res);
    };
  }
}

/** GET /health and GET /metrics (any query): never counted, never turned away. */
function isOperatorProbe(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?', 1)[0];
  return path === '/health' || path === '/metrics';
}
