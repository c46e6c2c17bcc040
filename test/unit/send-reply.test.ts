// sendReply: a second reply on an answer already under way (express's last
// resort after a stream broke) cuts the connection instead of throwing.
import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendReply } from '../../src/transport/node-exchange.js';

describe('sendReply', () => {
  let server: Server;
  let settled: Promise<unknown>;
  beforeEach(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<CustomerBatch xmlns="urn:crm-bridge:customer:v1">');
      settled = sendReply(res, { status: 500, headers: { 'content-type': 'application/xml' }, body: Buffer.from('<ServiceFault/>') });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('cuts an answer that has started instead of throwing ERR_HTTP_HEADERS_SENT', async () => {
    const { port } = server.address() as AddressInfo;
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (piece: string) => { body += piece; });
        res.on('end', () => resolve(`ended: ${res.statusCode ?? 0} ${body}`));
        res.on('error', () => resolve(`cut: ${res.statusCode ?? 0} ${body}`));
      });
      req.on('error', () => resolve('request error'));
      req.end();
    });
    // Resolves: before the guard it rejected with ERR_HTTP_HEADERS_SENT, which nothing caught.
    await settled;
    // The client sees a broken answer, never one that looks complete.
    expect(outcome).to.match(/^(cut: 200 |request error)/);
  });
});
