// The X-Request-Id of an exchange: the client's own when it is plausible (so
// its logs and ours can be joined), else a fresh one; always echoed on the
// answer. Every path of the HTTP edge takes its id from here.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Short and free of anything that could break a log line or a header.
const PLAUSIBLE = /^[\w.:-]{1,64}$/;

export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && PLAUSIBLE.test(sent) ? sent : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}
