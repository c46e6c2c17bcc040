// Express routes of the XML-over-HTTP surface (/xml/...), mapped onto XmlEndpoint.
import { Router } from 'express';
import type { FaultLogger } from '../fault.js';
import type { Metrics } from '../metrics.js';
import { methodNotAllowed, requestLike } from './express-adapter.js';
import { serveMeasured } from './node-exchange.js';
import type { XmlEndpoint } from './xml-endpoint.js';

export function xmlRouter(endpoint: XmlEndpoint, metrics: Metrics, log: FaultLogger): Router {
  const router = Router();
  const id = (param: string | string[] | undefined): string => (Array.isArray(param) ? param.join('/') : param ?? '');

  router.post('/customers', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.create(requestLike(req, res))));
  router.get('/customers', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.search(requestLike(req, res))));
  router.all('/customers', methodNotAllowed('GET, POST', log));

  router.get('/customers/:id', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.read(requestLike(req, res), id(req.params['id']))));
  router.put('/customers/:id', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.replace(requestLike(req, res), id(req.params['id']))));
  router.delete('/customers/:id', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.remove(requestLike(req, res), id(req.params['id']))));
  router.all('/customers/:id', methodNotAllowed('GET, PUT, DELETE', log));

  router.get('/customers/:id/history', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.history(requestLike(req, res), id(req.params['id']))));
  router.all('/customers/:id/history', methodNotAllowed('GET', log));

  router.post('/batches', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.batches(requestLike(req, res))));
  router.all('/batches', methodNotAllowed('POST', log));
  router.get('/export', (req, res) => serveMeasured('xml', metrics, res, () => endpoint.export(requestLike(req, res))));
  router.all('/export', methodNotAllowed('GET', log));

  return router;
}
