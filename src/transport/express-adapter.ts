// What the express routes add to node-exchange.ts: the request id kept in
// res.locals by the app's first middleware, and the 405 answer. Nothing here
// may be needed by the node:http fast path (soap-listener.ts).
import type { Request, Response } from 'express';
import { MethodNotAllowedError, ValidationFailedError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import type { HttpRequestLike } from './http-reply.js';
import { exchangeOf, sendReply } from './node-exchange.js';
import { xmlError } from './xml-error.js';

export function requestLike(req: Request, res: Response): HttpRequestLike {
  // A router mounted on /xml sees req.url without it; the request line had it.
  return exchangeOf(req, requestIdOf(res), req.originalUrl);
}

export function requestIdOf(res: Response): string {
  return String(res.locals['requestId']);
}

/** 405 with Allow for a known path and a method it does not take: a ServiceFault, as every error of a non-SOAP route (`render`: jsonError on /api). */
export function methodNotAllowed(allow: string, log: FaultLogger, render: typeof xmlError = xmlError) {
  return (req: Request, res: Response): void => {
    const err = new MethodNotAllowedError(`${req.method} is not a method of ${req.originalUrl.split('?')[0] ?? ''}; it takes ${allow}`, allow);
    void sendReply(res, render(err, requestIdOf(res), log));
  };
}

/**
 * What express's router raised itself, as the error to answer: a path segment
 * that is not valid percent-encoding (RFC 3986 2.1: /xml/customers/%FF, which
 * the router cannot decode into an id) is the client's to fix, so it is
 * VALIDATION_FAILED pointing at the segment, as a schema error of the id is
 * (`parameter`: the name an /api error gives it, {"path":"id","in":"path"});
 * it was INTERNAL. Anything else is left as it is.
 */
export function routerError(req: Request, err: unknown, parameter?: string): unknown {
  if (!(err instanceof URIError)) return err;
  const path = (req.originalUrl.split('?')[0] ?? '').replace(/\/$/, '');
  const column = req.method.length + 2 + path.lastIndexOf('/') + 1;
  return new ValidationFailedError('The request path is not valid percent-encoding', [
    { line: 1, column, message: 'path segment: not valid percent-encoding (RFC 3986 2.1)', ...(parameter === undefined ? {} : { path: parameter, in: 'path' as const }) },
  ]);
}
