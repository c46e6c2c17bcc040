// What a client whose request node cannot parse is told. Node answers such a
// request itself, with a bare status line; crm-bridge keeps node's statuses
// but gives the one a client can fix, headers over node's maxHeaderSize, the
// contract's ServiceFault (PAYLOAD_TOO_LARGE, 431), so that it says what was
// too large. A listener on 'clientError' replaces node's own answer, so the
// others (a slow request's 408, a request that is not HTTP's 400) are written
// here as node writes them.
import { randomUUID } from 'node:crypto';
import { maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HeadersTooLargeError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import { REQUEST_TIMEOUT_STATUS } from './http-status.js';
import { xmlError } from './xml-error.js';

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
const TIMED_OUT = `HTTP/1.1 ${REQUEST_TIMEOUT_STATUS} Request Timeout\r\nConnection: close\r\n\r\n`;

export function answerClientErrors(server: Server, log: FaultLogger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(answer(err, log));
  });
}

function answer(err: NodeJS.ErrnoException, log: FaultLogger): string | Buffer {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return TIMED_OUT;
  if (err.code !== 'HPE_HEADER_OVERFLOW') return BAD_REQUEST;
  const reply = xmlError(new HeadersTooLargeError(`The request's headers are over ${maxHeaderSize} bytes`), randomUUID(), log);
  // A ServiceFault document is always whole (xmlError).
  const body = reply.body as Buffer;
  const head = [`HTTP/1.1 ${reply.status} Request Header Fields Too Large`, 'Connection: close', `Content-Length: ${body.length}`,
    ...Object.entries(reply.headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]);
}
