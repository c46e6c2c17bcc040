// What the express routes add to node-exchange.ts: the request id kept in
// res.locals by the app's first middleware, and the 405 answer. Nothing here
// may be needed by the node:http fast path (soap-listener.ts).
import type { Request, Response } from 'express';
import type { HttpRequestLike } from './http-reply.js';
import { exchangeOf } from './node-exchange.js';

export function requestLike(req: Request, res: Response): HttpRequestLike {
  // A router mounted on /xml sees req.url without it; the request line had it.
  return exchangeOf(req, requestIdOf(res), req.originalUrl);
}

export function requestIdOf(res: Response): string {
  return String(res.locals['requestId']);
}

/** 405 with Allow for a known path and an unsupported method. */
export function methodNotAllowed(allow: string) {
  return (_req: Request, res: Response): void => {
    res.setHeader('allow', allow);
    res.status(405).type('text/plain').send(`Allowed: ${allow}\n`);
  };
}
