// The node-soap baseline server: express, soap.listen with the contract's
// WSDL (which imports customer.xsd), the service over better-sqlite3, and
// optionally libxmljs2 validation in front. Written as an integrator would in
// an afternoon, to give the bench an honest "typical" figure on this machine.
// It lives in bench/, never in the product.
//
// node-soap's soap.listen(server, path, services, wsdlXml) resolves the WSDL's
// relative schemaLocation (../xsd/customer.xsd) against the working
// directory, fails to load it, and then answers every request with a 500
// TypeError. Passing the WSDL's own path as `uri` (the options form) makes it
// resolve the import next to the WSDL, so the files are used unchanged.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { listen } from 'soap';
import { BaselineStore } from './baseline-store.js';
import { customerService } from './baseline-service.js';
import { validateRequests } from './baseline-validation.js';

export const BASELINE_SOAP_PATH = '/soap/CustomerService';

export interface BaselineOptions {
  readonly dbFile: string;
  /** libxmljs2 validation of every request body against customer.xsd. */
  readonly validate: boolean;
  readonly host?: string;
  readonly port?: number;
  /** The folder holding wsdl/ and xsd/. */
  readonly contractDir: string;
}

export interface BaselineServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBaseline(options: BaselineOptions): Promise<BaselineServer> {
  const wsdlPath = path.join(options.contractDir, 'wsdl', 'CustomerService.wsdl');
  const xsdPath = path.join(options.contractDir, 'xsd', 'customer.xsd');
  const store = new BaselineStore(options.dbFile);
  const app = express();
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  if (options.validate) app.use(BASELINE_SOAP_PATH, ...validateRequests(xsdPath));

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    listen(app, {
      path: BASELINE_SOAP_PATH,
      services: customerService(store),
      xml: fs.readFileSync(wsdlPath, 'utf8'),
      uri: wsdlPath,
      // Faults carry the message, not the server's stack.
      suppressStack: true,
      callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    });
  }).catch(async (err: unknown) => {
    await closeServer(server);
    store.close();
    throw err;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await closeServer(server);
      store.close();
    },
  };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
