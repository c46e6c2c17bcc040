// Transport ceilings: the hello-world servers of hello-server.ts (node:http,
// express) under the same autocannon load as the SOAP operations, one at a
// time in a child process each. Their req/s bound what any SOAP service on
// that transport can answer on this machine in this run.
import { fileURLToPath } from 'node:url';
import { measure, printResult, type LoadOptions, type LoadResult } from '../load.js';
import { startChildServer, withServer } from '../server-process.js';
import { getCustomerById } from '../soap-requests.js';

const HELLO_SERVER = fileURLToPath(new URL('./hello-server.js', import.meta.url));

export type HelloKind = 'http' | 'express';

export interface TransportCeilings {
  readonly http: LoadResult;
  readonly express: LoadResult;
}

const TITLES: Record<HelloKind, string> = {
  http: 'node:http hello world, fixed ~1 KB XML answer',
  express: 'express hello world, fixed ~1 KB XML answer',
};

async function measureHello(kind: HelloKind, load: Omit<LoadOptions, 'url'>): Promise<LoadResult> {
  return withServer(
    () => startChildServer({ name: `hello-${kind}`, script: HELLO_SERVER, nodeArgs: [], env: () => ({ HELLO_KIND: kind }) }),
    async (server) => {
      // The request is a real GetCustomer envelope, so the bytes read per request are those of the SOAP figure.
      const body = getCustomerById('0190b8c2-1c1e-7000-8000-000000000000');
      const result = await measure({ title: TITLES[kind], op: 'GetCustomer', nextBody: () => body }, { url: server.url, ...load });
      printResult(result);
      return result;
    },
  );
}

export async function measureTransportCeilings(load: Omit<LoadOptions, 'url'>): Promise<TransportCeilings> {
  console.log('\ntransport ceilings: hello-world servers, same autocannon settings');
  const http = await measureHello('http', load);
  const express = await measureHello('express', load);
  return { http, express };
}
