// Composition root: the one place that wires store, validator, dispatcher and
// transports together. Returns an express app and a close() for shutdown.
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Config } from './config.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import type { CustomerStore } from './store/customer-store.js';
import { readBody } from './transport/read-body.js';
import type { HttpReply } from './transport/http-reply.js';
import { publicBaseUrl } from './transport/public-base-url.js';
import { SoapEndpoint } from './transport/soap-endpoint.js';
import { SOAP_PATH, WsdlDocuments } from './transport/wsdl-documents.js';
import { xmlError } from './transport/xml-error.js';
import { XsdValidator } from './validation/xsd-validator.js';
import { NotFoundError } from './errors.js';

export interface AppParts {
  readonly config: Config;
  readonly store: CustomerStore;
  readonly log: Logger;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

export function createApp({ config, store, log }: AppParts): express.Express {
  const metrics = new Metrics();
  const dispatcher = new Dispatcher(new XsdValidator(), {
    store,
    now: () => new Date().toISOString(),
    newId: () => randomUUID(),
  });
  const soap = new SoapEndpoint(dispatcher, config.maxBodyBytes, log);
  const documents = new WsdlDocuments();
  const fallbackHost = `${config.host}:${config.port}`;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    const sent = req.get('x-request-id');
    const id = sent !== undefined && REQUEST_ID.test(sent) ? sent : randomUUID();
    res.locals['requestId'] = id;
    res.setHeader('x-request-id', id);
    next();
  });

  app.get('/health', async (_req, res) => {
    await store.ping();
    res.json({ status: 'ok' });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get(SOAP_PATH, (req, res) => {
    if ('wsdl' in req.query || 'WSDL' in req.query) {
      res.type('text/xml; charset=utf-8').send(documents.wsdl(publicBaseUrl(req.headers, config.publicUrl, fallbackHost)));
      return;
    }
    const name = typeof req.query['xsd'] === 'string' ? req.query['xsd'] : undefined;
    const schema = name === undefined ? undefined : documents.schema(name);
    if (schema !== undefined) {
      res.type('text/xml; charset=utf-8').send(schema);
      return;
    }
    send(res, xmlError(new NotFoundError(`Ask ${SOAP_PATH}?wsdl for the WSDL, or ?xsd=customer.xsd for its schema`), requestIdOf(res), log));
  });

  app.post(SOAP_PATH, async (req, res) => {
    const stop = metrics.duration.startTimer({ channel: 'soap' });
    const outcome = await soap.handle({
      requestId: requestIdOf(res),
      headers: req.headers,
      readBody: (limit) => readBody(req, limit),
    });
    const operation = outcome.operation ?? 'unknown';
    stop({ operation });
    metrics.requests.inc({ channel: 'soap', operation, outcome: outcome.faultCode ?? 'OK' });
    send(res, outcome.reply);
  });

  app.all(SOAP_PATH, (_req, res) => {
    res.setHeader('allow', 'GET, POST');
    res.status(405).type('text/plain').send('Use POST for SOAP requests, GET ?wsdl for the WSDL\n');
  });

  app.use((req, res) => {
    send(res, xmlError(new NotFoundError(`No resource at ${req.method} ${req.path}`), requestIdOf(res), log));
  });

  // express's last resort: anything thrown outside the pipelines above.
  app.use((err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    send(res, xmlError(err, requestIdOf(res), log));
  });

  return app;
}

function requestIdOf(res: Response): string {
  return String(res.locals['requestId']);
}

function send(res: Response, reply: HttpReply): void {
  res.status(reply.status);
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  res.end(reply.body);
}
