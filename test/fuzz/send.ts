// Sends a FuzzRequest as it is, bytes and headers untouched (node:http, not
// fetch: a GET may carry a body, any method name goes), each on a connection
// of its own (a kept-alive one may be closed by the server while the fuzzer
// builds a large request, and the next request would see a reset that is
// no answer of the service), and reads the whole answer.
import http from 'node:http';
import type { FuzzRequest } from './fuzz-request.js';

export interface FuzzAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export class Sender {
  private readonly agent = new http.Agent({ keepAlive: false });

  constructor(private readonly base: string, private readonly timeoutMs = 30_000) {}

  send(req: FuzzRequest): Promise<FuzzAnswer> {
    return new Promise((resolve, reject) => {
      const url = new URL(this.base);
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(req.body.length);
      const out = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.setTimeout(this.timeoutMs, () => out.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      out.on('error', reject);
      out.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
