// The node:http fast path of the service's hot route: POST
// /soap/CustomerService is served here, through the socket-free
// SoapEndpoint.handle, instead of through express, whose router and response
// wrappers cost several times what node:http itself does per request (see
// docs/performance.md). Every other request goes to `fallback`, the express app,
// which keeps /xml, /health, /metrics, the WSDL and the 404/405 answers.
// Owns: which requests take the fast path, and the last resort of a SOAP
// exchange. Must not: route, parse or answer anything but SOAP POSTs.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { UnavailableError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import type { RefusalRenderer } from './admission.js';
import type { Metrics } from '../metrics.js';
import type { HttpRequestLike, Outcome } from './http-reply.js';
import { exchangeOf, sendReply, serveMeasured } from './node-exchange.js';
import { assignRequestId } from './request-id.js';
import { SOAP_PATH } from './wsdl-documents.js';
import { xmlError } from './xml-error.js';

/** What the fast path needs of SoapEndpoint (a test can stand in a failing one). */
export interface SoapHandler {
  handle(req: HttpRequestLike): Promise<Outcome>;
  faultOutcome(req: HttpRequestLike, err: unknown): Outcome;
}

/** Serves one SOAP POST whose request id is already assigned; never rejects. */
export type SoapExchange = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

export function soapExchange(endpoint: SoapHandler, metrics: Metrics, log: FaultLogger): SoapExchange {
  return async (req, res, requestId) => {
    const exchange = exchangeOf(req, requestId);
    try {
      await serveMeasured('soap', metrics, res, () => endpoint.handle(exchange));
    } catch (err) {
      // handle() answers every failure of the pipeline itself; this is for
      // what escaped it (metrics, writing the answer). It must never become an
      // unhandled rejection, which would end the process.
      try {
        if (res.headersSent) throw err;
        await sendReply(res, endpoint.faultOutcome(exchange, err).reply);
      } catch (late) {
        log.error({ err: late, requestId }, 'unexpected error after the answer had begun; connection closed');
        res.destroy();
      }
    }
  };
}

/** The server's request listener: SOAP POSTs to `serve`, everything else to `fallback`. */
export function soapFastPath(serve: SoapExchange, fallback: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method === 'POST' && isSoapPath(req.url)) void serve(req, res, assignRequestId(req, res));
    else fallback(req, res);
  };
}

/**
 * A refusal made before routing (admission.ts) in the caller's language: a
 * SOAP fault, in the version its Content-Type asks for, to a POST on the SOAP
 * path in any of the spellings express routes there; a ServiceFault otherwise.
 */
export function refusalRenderer(endpoint: SoapHandler, log: FaultLogger): RefusalRenderer {
  const soapPath = SOAP_PATH.toLowerCase();
  return (req, err: UnavailableError, requestId) => {
    const path = (req.url ?? '').split('?', 1)[0]?.toLowerCase().replace(/\/+$/, '');
    return req.method === 'POST' && path === soapPath ? endpoint.faultOutcome(exchangeOf(req, requestId), err).reply : xmlError(err, requestId, log);
  };
}

// Only the exact path (any query string): the variants express's routing
// also accepts (another letter case, a trailing slash) still reach the same
// SoapExchange through the express route, so no request changes its answer.
function isSoapPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(SOAP_PATH) && (url.length === SOAP_PATH.length || url.charCodeAt(SOAP_PATH.length) === 0x3f /* ? */);
}
