// The fuzzer's starting points: every request under samples/ (SOAP 1.1, SOAP
// 1.2, /xml, /api), sent as samples.test.ts replays them, made concrete for one
// request: the sample's customer id becomes a customer that exists now, its
// externalIds and batchIds are that customer's or fresh ones.
import fs from 'node:fs';
import path from 'node:path';
import { NS } from '../../src/xml/namespaces.js';
import type { Channel, FuzzRequest } from './fuzz-request.js';
import type { Random } from './random.js';

const SAMPLES = path.resolve('samples');
const EXAMPLE_ID = '3f2c9a7e-5b1d-4c8e-9f60-2a7b4d1e8c05';

export interface Template {
  readonly name: string;
  readonly channel: Channel;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

interface HttpSample {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export function loadTemplates(soapPath: string): Template[] {
  const out: Template[] = [];
  for (const [dir, channel] of [['soap11', 'soap11'], ['soap12', 'soap12']] as const) {
    for (const file of fs.readdirSync(path.join(SAMPLES, dir)).filter((f) => f.endsWith('.request.xml')).sort()) {
      const operation = /^\d+-([A-Za-z]+)/.exec(file)?.[1] ?? '';
      const action = `${NS.crm}/${operation}`;
      const headers: Record<string, string> = channel === 'soap11'
        ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
        : { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` };
      out.push({ name: `${dir}/${file}`, channel, method: 'POST', path: soapPath, headers, body: fs.readFileSync(path.join(SAMPLES, dir, file), 'utf8') });
    }
  }
  for (const [channel, contentType] of [['xml', 'application/xml'], ['json', 'application/json']] as const) {
    const dir = path.join(SAMPLES, channel);
    for (const s of JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8')) as HttpSample[]) {
      const body = s.body === undefined ? undefined : fs.readFileSync(path.join(dir, s.body), 'utf8');
      out.push({
        name: `${channel}/${s.name}`,
        channel,
        method: s.method,
        path: s.path,
        headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...s.headers },
        body,
      });
    }
  }
  return out;
}

/** The customer the requests of a batch aim at. */
export interface Target {
  readonly id: string;
  readonly externalId: string;
}

/** `t` made concrete for one request against `target`; credentials and mutations come after. */
export function instantiate(t: Template, target: Target, rng: Random): FuzzRequest {
  const concrete = (s: string): string => s
    .split(EXAMPLE_ID).join(target.id)
    .replace(/ERP-\d{4,6}\b/g, () => (rng.chance(0.5) ? target.externalId : `ERP-${rng.word(8)}`))
    .replace(/batchId="([^"]*)"/g, (whole) => (rng.chance(0.5) ? whole : `batchId="fuzz-${rng.word(8)}"`));
  return {
    channel: t.channel,
    template: t.name,
    method: t.method,
    path: t.path.replace('{id}', target.id),
    headers: { ...t.headers },
    body: t.body === undefined ? undefined : Buffer.from(concrete(t.body), 'utf8'),
    role: 'writer',
    authorizationRole: 'none',
    mutations: [],
    shape: false,
  };
}
