// Bounds on how slowly a client may send its request, so that a few clients
// dribbling bytes cannot hold connections, memory and places in flight
// (admission.ts) for ever. The headers: node's own headersTimeout, checked
// every second instead of node's default 30 s. The body, watched here:
// - it must keep arriving at CRM_MIN_BODY_RATE bytes a second or more,
//   averaged over CRM_BODY_RATE_WINDOW_MS, counting only time the service is
//   waiting for the client (while what arrived sits unread, the service is
//   the slow one: a streamed batch being stored);
// - and, except for streamed batches (which may rightly take many minutes),
//   it must be complete CRM_REQUEST_TIMEOUT_MS after the request began.
// Node's own requestTimeout is off: it would bound streamed batches too.
// A request cut off is answered 408 with no body, and its connection is
// closed; when an answer had already begun, the connection is just closed.
// Owns: the timing of request bodies. Must not: read a body itself.
import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from 'node:http';
import { REQUEST_TIMEOUT_STATUS } from './http-status.js';
import { hasBody } from './node-exchange.js';

export interface SlowClientLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly minBodyRate: number;
  readonly bodyRateWindowMs: number;
}

/** Bodies that may take as long as they take, provided they keep coming: streamed batches. */
const STREAMED = ['/xml/batches', '/api/batches'];

/** What node:http's createServer takes from the limits. */
export function serverTimeouts(limits: SlowClientLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 0,
    // How often node looks for connections past headersTimeout (its default, 30 s, would let a header dribble on that much longer).
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
}

/**
 * Closes a connection that sends nothing at all for headersTimeoutMs after it
 * opens: node's headersTimeout runs from a request's first byte, so a
 * connection that never sends one would otherwise stay open for ever.
 */
export function closeSilentConnections(server: Server, limits: Pick<SlowClientLimits, 'headersTimeoutMs'>): void {
  server.on('connection', (socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.headersTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

/** `listener` with every request body watched against `limits`; `onCut` hears each request cut off. */
export function watchBodies(listener: RequestListener, limits: SlowClientLimits, onCut: (req: IncomingMessage, why: string) => void = () => undefined): RequestListener {
  const tickMs = Math.max(50, Math.min(1000, Math.floor(limits.bodyRateWindowMs / 4), limits.requestTimeoutMs > 0 ? limits.requestTimeoutMs : Infinity));
  return (req, res) => {
    if (hasBody(req) && (limits.minBodyRate > 0 || limits.requestTimeoutMs > 0)) watch(req, res, limits, tickMs, onCut);
    listener(req, res);
  };
}

function watch(req: IncomingMessage, res: ServerResponse, limits: SlowClientLimits, tickMs: number, onCut: (req: IncomingMessage, why: string) => void): void {
  const socket = req.socket;
  const began = Date.now();
  const deadline = limits.requestTimeoutMs > 0 && !STREAMED.includes((req.url ?? '').split('?', 1)[0] ?? '') ? began + limits.requestTimeoutMs : Infinity;
  let windowStart = began;
  let windowBytes = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) {
      clearInterval(timer);
      return;
    }
    const now = Date.now();
    if (now >= deadline) {
      cut(`the body was not complete within ${limits.requestTimeoutMs} ms`);
      return;
    }
    if (limits.minBodyRate === 0) return;
    if (req.readableLength > 0) {
      // What arrived is waiting for the service to read it: the client is not the slow one.
      windowStart = now;
      windowBytes = socket.bytesRead;
      return;
    }
    const elapsed = now - windowStart;
    if (elapsed < limits.bodyRateWindowMs) return;
    const rate = ((socket.bytesRead - windowBytes) * 1000) / elapsed;
    if (rate < limits.minBodyRate) {
      cut(`the body arrived at ${Math.round(rate)} bytes/s over ${elapsed} ms, below ${limits.minBodyRate}`);
      return;
    }
    windowStart = now;
    windowBytes = socket.bytesRead;
  }, tickMs);
  timer.unref();
  res.once('close', () => clearInterval(timer));

  function cut(why: string): void {
    clearInterval(timer);
    onCut(req, why);
    if (res.headersSent) {
      socket.destroy();
      return;
    }
    res.shouldKeepAlive = false;
    res.writeHead(REQUEST_TIMEOUT_STATUS, { connection: 'close', 'content-length': '0' });
    // Closed once the 408 is written: the rest of the body is never read.
    res.end(() => socket.destroy());
  }
}
