// Process entry of the transport ceilings: a hello-world server that reads
// each request body to the end and answers every request with the same
// ~1 KB SOAP answer (a GetCustomerResponse of the bench's customer 0).
// HELLO_KIND=http is node:http alone, HELLO_KIND=express the same behind
// express with its raw body parser. No service can answer a SOAP call over
// that transport faster than these, so they bound crm-bridge's req/s.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { syntheticCustomer } from '../customers.js';
import { customerXml } from '../soap-requests.js';

const NS = 'urn:crm-bridge:customer:v1';

export function helloAnswer(): Buffer {
  const customer = customerXml(syntheticCustomer(0, 7))
    .replace('<customer>', '<customer><id>0190b8c2-1c1e-7000-8000-000000000000</id>')
    .replace('</customer>', '<status>ACTIVE</status><version>1</version><createdAt>2026-01-01T00:00:00.000Z</createdAt><updatedAt>2026-01-01T00:00:00.000Z</updatedAt></customer>');
  return Buffer.from('<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<GetCustomerResponse xmlns="${NS}">${customer}</GetCustomerResponse></soap:Body></soap:Envelope>`);
}

function nodeHttpServer(answer: Buffer): http.Server {
  return http.createServer((req, res) => {
    // Read to the end (and dropped) before answering, as any server of a POST must.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': answer.length });
      res.end(answer);
    });
  });
}

function expressServer(answer: Buffer): http.Server {
  const app = express();
  app.use(express.raw({ type: () => true }));
  app.use((_req, res) => { res.type('text/xml; charset=utf-8').send(answer); });
  return http.createServer(app);
}

function main(): void {
  const kind = process.env['HELLO_KIND'];
  if (kind !== 'http' && kind !== 'express') throw new Error(`HELLO_KIND must be http or express, got '${kind ?? ''}'`);
  const answer = helloAnswer();
  const server = kind === 'http' ? nodeHttpServer(answer) : expressServer(answer);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}`, kind, answerBytes: answer.length }));
  });
  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
