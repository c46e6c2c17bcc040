// Fill through CreateCustomer, one customer per request, a few requests in
// flight: how the node-soap baseline (which has no UpsertCustomers) gets the
// same synthetic customers as crm-bridge. Keeps every id it is answered, for
// GetCustomer by id afterwards.
import http from 'node:http';
import { numberWidth, syntheticCustomer } from './customers.js';
import { post } from './fill.js';
import { fmt } from './format.js';
import { SOAP_PATH, createCustomer, leafText, soapHeaders } from './soap-requests.js';

export interface CreateFillResult {
  readonly seconds: number;
  readonly ids: readonly string[];
}

export async function fillByCreate(url: string, customers: number, inFlight: number): Promise<CreateFillResult> {
  const width = numberWidth(customers);
  const ids = new Array<string>(customers).fill('');
  const progressEvery = Math.max(1, Math.ceil(customers / 4));
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const started = performance.now();
  let next = 0;
  let done = 0;
  let aborted = false;
  const worker = async (): Promise<void> => {
    try {
      while (!aborted && next < customers) {
        const n = next++;
        const { status, body } = await post(agent, url + SOAP_PATH, soapHeaders('CreateCustomer'), createCustomer(syntheticCustomer(n, width)));
        const id = leafText(body, 'id');
        if (status !== 200 || id === undefined) throw new Error(`CreateCustomer of customer ${n}: HTTP ${status}; answer starts:\n${body.slice(0, 3000)}`);
        ids[n] = id;
        done += 1;
        if (done % progressEvery === 0) {
          const seconds = (performance.now() - started) / 1000;
          console.log(`  fill: ${fmt(done)} / ${fmt(customers)} customers, ${fmt(Math.round(done / seconds))} customers/s so far`);
        }
      }
    } catch (err) {
      aborted = true;
      throw err;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, customers) }, worker));
  } finally {
    agent.destroy();
  }
  return { seconds: (performance.now() - started) / 1000, ids };
}
