// The seam between node's http objects and the socket-free endpoints: a
// request as HttpRequestLike, a reply written back, and the per-request
// metrics. Works on node:http's IncomingMessage/ServerResponse, which
// express's Request/Response extend, so the node:http fast path and the
// express routes share it. Knows no routes and no express.
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from '../metrics.js';
import type { HttpReply, HttpRequestLike, Outcome } from './http-reply.js';
import { readBody } from './read-body.js';

export function exchangeOf(req: IncomingMessage, requestId: string, target = req.url ?? '/'): HttpRequestLike {
  return { requestId, method: req.method ?? 'GET', target, headers: req.headers, readBody: (limit) => readBody(req, limit), bodyStream: () => req };
}

/** Whether a request has a body to read (RFC 9112 6.3: Transfer-Encoding, or a Content-Length above 0). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

export async function sendReply(res: ServerResponse, reply: HttpReply): Promise<void> {
  if (res.headersSent) {
    // An answer already under way (a stream that broke after its first bytes)
    // cannot take a second one; setHeader would throw, and a rejection here
    // has no one to catch it. Cut the answer short, visibly, instead.
    res.destroy(new Error(`reply ${reply.status} after the answer had started`));
    return;
  }
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  if (Buffer.isBuffer(reply.body)) {
    res.end(reply.body);
    return;
  }
  try {
    for await (const piece of reply.body) {
      if (!res.write(piece)) await once(res, 'drain');
    }
    res.end();
  } catch (err) {
    // The status is sent already: all that can be done is to cut the answer short, visibly.
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Runs an endpoint call, records it in the metrics, and sends its reply. */
export async function serveMeasured(channel: 'soap' | 'xml' | 'json', metrics: Metrics, res: ServerResponse, call: () => Promise<Outcome>): Promise<void> {
  const stop = metrics.duration.startTimer({ channel });
  const outcome = await call();
  const operation = outcome.operation ?? 'unknown';
  stop({ operation });
  metrics.requests.inc({ channel, operation, outcome: outcome.faultCode ?? 'OK' });
  await sendReply(res, outcome.reply);
}
