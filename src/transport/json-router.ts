// Express routes of /api (contract v1.1), made from the route table
// (api-routes.ts) and served by JsonEndpoint; a known path answers 405 with
// Allow for a method it lacks, an unknown one 404 NOT_FOUND, an id that is
// not percent-encoding VALIDATION_FAILED, all as JSON.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { NotFoundError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import type { Metrics } from '../metrics.js';
import { API_ROUTES } from './api-routes.js';
import { methodNotAllowed, requestIdOf, requestLike, routerError } from './express-adapter.js';
import type { JsonEndpoint } from './json-endpoint.js';
import { jsonError } from './json-error.js';
import { sendReply, serveMeasured } from './node-exchange.js';

/** An OpenAPI path template as an express route: {id} -> :id. */
function expressPath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, ':$1');
}

export function jsonRouter(endpoint: JsonEndpoint, metrics: Metrics, log: FaultLogger): Router {
  const router = Router();
  const id = (req: Request): string => {
    const param = req.params['id'];
    return Array.isArray(param) ? param.join('/') : param ?? '';
  };
  const paths = [...new Set(API_ROUTES.map((r) => r.path))];
  for (const path of paths) {
    const routes = API_ROUTES.filter((r) => r.path === path);
    for (const route of routes) {
      router[route.method](expressPath(path), (req, res) => serveMeasured('json', metrics, res, () => route.serve(endpoint, requestLike(req, res), id(req))));
    }
    router.all(expressPath(path), methodNotAllowed(routes.map((r) => r.method.toUpperCase()).join(', '), log, jsonError));
  }
  router.use((req, res) => {
    void sendReply(res, jsonError(new NotFoundError(`No resource at ${req.method} ${req.originalUrl.split('?')[0] ?? ''}`), requestIdOf(res), log));
  });
  // What the router raised itself (an id it cannot percent-decode) is answered here, as JSON:
  // the app's last resort answers XML, which an /api client cannot read.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    void sendReply(res, jsonError(routerError(req, err, 'id'), requestIdOf(res), log));
  });
  return router;
}
