// The seam between express and the socket-free endpoints: a request as
// HttpRequestLike, a reply written back, and the per-request metrics.
import { once } from 'node:events';
import type { Request, Response } from 'express';
import type { Metrics } from '../metrics.js';
import type { HttpReply, HttpRequestLike, Outcome } from './http-reply.js';
import { readBody } from './read-body.js';

export function requestLike(req: Request, res: Response): HttpRequestLike {
  return { requestId: requestIdOf(res), headers: req.headers, readBody: (limit) => readBody(req, limit), bodyStream: () => req };
}

export function requestIdOf(res: Response): string {
  return String(res.locals['requestId']);
}

export async function send(res: Response, reply: HttpReply): Promise<void> {
  res.status(reply.status);
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
export async function serve(channel: 'soap' | 'xml', metrics: Metrics, res: Response, call: () => Promise<Outcome>): Promise<void> {
  const stop = metrics.duration.startTimer({ channel });
  const outcome = await call();
  const operation = outcome.operation ?? 'unknown';
  stop({ operation });
  metrics.requests.inc({ channel, operation, outcome: outcome.faultCode ?? 'OK' });
  await send(res, outcome.reply);
}

/** 405 with Allow for a known path and an unsupported method. */
export function methodNotAllowed(allow: string) {
  return (_req: Request, res: Response): void => {
    res.setHeader('allow', allow);
    res.status(405).type('text/plain').send(`Allowed: ${allow}\n`);
  };
}
