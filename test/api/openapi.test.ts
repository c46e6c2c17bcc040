// GET /openapi.json (contract v1.1): a valid OpenAPI 3.1 document (checked
// by @seriousme/openapi-schema-validator, offline), generated from the XSD
// (every facet of it is in the document), and every example in it replayed
// against the running service: each request example is sent, and the answer
// must be the documented example (the service's ids and times standing for
// the example's) and fit the documented schema.
import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { isXsdDateTime } from '../../src/validation/xsd-date-time.js';
import { EXAMPLE_ID, EXAMPLE_TIME } from '../../src/transport/openapi-examples.js';
import { xsdPatternToEcma } from '../../src/contract/xsd-regex.js';
import { contractModel } from '../../src/validation/json-validator.js';
import { basic, writeUsers } from '../helpers/auth.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
type Media = { schema: { $ref: string }; examples?: Record<string, { value: unknown }> };
type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};

const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

describe('GET /openapi.json', () => {
  let server: TestServer;
  let doc: Doc;
  const model = contractModel();
  const auth = basic('erp', 'erp secret');

  before(async () => {
    const dataDir = tempDir('crm-openapi-');
    await writeUsers(dataDir, { erp: { password: 'erp secret', role: 'writer' } });
    server = await startServer({ CRM_DATA_DIR: dataDir });
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('application/json');
    doc = (await res.json()) as Doc;
  });
  after(async () => { await server.close(); });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect((doc as unknown as { openapi: string }).openapi).to.match(/^3\.1\./);
  });

  it('carries every facet of every XSD type it describes: lengths, anchored patterns, enumerations, int bounds', () => {
    const schemas = doc.components.schemas;
    for (const [name, t] of model.simpleTypes) {
      const s = schemas[name];
      if (s === undefined) continue;
      if (t.minLength !== undefined && t.minLength > 0) expect(s['minLength'], name).to.equal(t.minLength);
      if (t.maxLength !== undefined) expect(s['maxLength'], name).to.equal(t.maxLength);
      if (t.enumeration !== undefined) expect(s['enum'], name).to.deep.equal(t.enumeration);
      if (t.minInclusive !== undefined) expect(s['minimum'], name).to.equal(t.minInclusive);
      if (t.maxInclusive !== undefined) expect(s['maximum'], name).to.equal(t.maxInclusive);
      for (const p of t.patterns) expect(s['pattern'], name).to.equal(xsdPatternToEcma(p));
    }
    expect(schemas['CountryCode']?.['pattern']).to.equal('^(?:[A-Z]{2})$');
    const customer = schemas['Customer'] as { properties: Record<string, { maxItems?: number }>; additionalProperties: boolean };
    expect(customer.properties['addresses']?.maxItems).to.equal(10);
    expect(customer.properties['contacts']?.maxItems).to.equal(50);
    expect(customer.additionalProperties).to.equal(false);
    expect(Object.keys(doc.paths).sort()).to.deep.equal(['/api/batches', '/api/customers', '/api/customers/{id}', '/api/customers/{id}/history', '/api/export']);
  });

  it('lets a request say null for an optional member (null means absent), never for a required one, and no answer carry null', () => {
    const ajv = new Ajv2020({ strict: false, formats: { 'date-time': isXsdDateTime } });
    ajv.addSchema({ $id: 'https://crm-bridge.invalid/openapi.json', components: doc.components } as object);
    const fits = (name: string, value: unknown): boolean => ajv.getSchema(`https://crm-bridge.invalid/openapi.json#/components/schemas/${name}`)?.(value) === true;
    const address = { type: 'BILLING', line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' };
    const stored = { id: EXAMPLE_ID, type: 'PERSON', name: 'Ada', status: 'ACTIVE', addresses: [address], contacts: [], version: 1, createdAt: EXAMPLE_TIME, updatedAt: EXAMPLE_TIME };
    expect(fits('Customer', { type: 'PERSON', name: 'Ada', email: null, addresses: null, contacts: [{ lastName: 'B', role: null }] })).to.equal(true);
    expect(fits('Customer', { type: 'PERSON', name: 'Ada', addresses: [{ ...address, line2: null, region: null }] })).to.equal(true);
    expect(fits('Customer', { type: 'PERSON', name: null })).to.equal(false);
    expect(fits('Customer', { type: 'PERSON', name: 'Ada', addresses: [{ ...address, country: null }] })).to.equal(false);
    expect(fits('Customer', { type: 'PERSON', name: 'Ada', addresses: [null] })).to.equal(false);
    expect(fits('CustomerAnswer', stored)).to.equal(true);
    expect(fits('CustomerAnswer', { ...stored, email: null })).to.equal(false);
    expect(fits('CustomerAnswer', { ...stored, addresses: [{ ...address, line2: null }] })).to.equal(false);
    expect(fits('Export', { customers: [stored] })).to.equal(true);
    expect(fits('CustomerBatch', { batchId: null, mode: null, customers: [{ type: 'PERSON', name: 'Ada', email: null }] })).to.equal(true);
    expect(fits('Export', { customers: [{ ...stored, phone: null }] })).to.equal(false);
    // Every request body of the document is the nullable form, every answer the strict one.
    const bodies = Object.values(doc.paths).flatMap((ops) => Object.values(ops)).flatMap((op) => Object.values(op.requestBody?.content ?? {}).map((m) => m.schema.$ref));
    expect(bodies.length).to.be.greaterThan(0);
    expect(bodies.filter((r) => r.endsWith('Answer'))).to.deep.equal([]);
  });

  it('replays every example against the service: each answer is the documented one and fits its schema', async () => {
    const ajv = new Ajv2020({ strict: false, formats: { 'date-time': isXsdDateTime } });
    ajv.addSchema({ $id: 'https://crm-bridge.invalid/openapi.json', components: doc.components } as object);
    const fits = (ref: string, value: unknown): void => {
      const check = ajv.getSchema(`https://crm-bridge.invalid/openapi.json${ref}`);
      expect(check?.(value), JSON.stringify(check?.errors)).to.equal(true);
    };
    let realId = EXAMPLE_ID;
    const asExample = (text: string): unknown => JSON.parse(text.replaceAll(realId, EXAMPLE_ID).replace(TIMESTAMP, EXAMPLE_TIME));
    const replayed: string[] = [];

    /** Sends `example` (a request body, or none) to `method path`, and holds the answer to the documented one of `status`. */
    const replay = async (path: string, method: string, body: unknown, expectedStatus: string, expected: Media | undefined, exampleName: string | undefined, requestId: string): Promise<string> => {
      const op = doc.paths[path]?.[method] as Operation;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query' && p.example !== undefined).map((p) => `${p.name}=${String(p.example)}`).join('&');
      const id = exampleName === 'notFound' ? EXAMPLE_ID : realId;
      const url = `${server.url}${path.replace('{id}', id)}${query === '' ? '' : `?${query}`}`;
      const res = await fetch(url, {
        method: method.toUpperCase(),
        headers: { authorization: auth, 'x-request-id': requestId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      expect(res.status, `${method} ${path}: ${text}`).to.equal(Number(expectedStatus));
      if (expected !== undefined) {
        fits(expected.schema.$ref, JSON.parse(text));
        const example = exampleName === undefined ? undefined : expected.examples?.[exampleName]?.value;
        if (example !== undefined) {
          const actual = asExample(text) as Record<string, unknown>;
          if (Number(expectedStatus) >= 400) {
            // An error's wording may name the real id: the code and where each error points are the contract.
            const points = (v: unknown): unknown => (v as { errors: { path: string; line?: number; column?: number }[] }).errors.map((e) => [e.path, e.line, e.column]);
            expect(actual['code']).to.equal((example as { code: string }).code);
            expect(points(actual)).to.deep.equal(points(example));
          } else {
            expect(actual, `${method} ${path}`).to.deep.equal(example);
          }
          replayed.push(`${method} ${path} ${exampleName ?? ''}`);
        }
      }
      return text;
    };

    const collection = doc.paths['/api/customers'] as Record<string, Operation>;
    const item = doc.paths['/api/customers/{id}'] as Record<string, Operation>;
    const history = doc.paths['/api/customers/{id}/history'] as Record<string, Operation>;
    const create = collection['post'] as Operation;
    const created = await replay('/api/customers', 'post', create.requestBody?.content['application/json']?.examples?.['customer']?.value, '201', create.responses['201']?.content?.['application/json'], undefined, 'erp-run-7:create.1');
    realId = (JSON.parse(created) as { id: string }).id;
    await replay('/api/customers', 'post', create.requestBody?.content['application/json']?.examples?.['invalid']?.value, '400', create.responses['400']?.content?.['application/json'], 'invalid', 'r-invalid');
    // The create's answer once the id is known.
    expect(asExample(created)).to.deep.equal(create.responses['201']?.content?.['application/json']?.examples?.['example']?.value);
    await replay('/api/customers/{id}', 'get', undefined, '200', item['get']?.responses['200']?.content?.['application/json'], 'example', 'r-get');
    const put = item['put'] as Operation;
    await replay('/api/customers/{id}', 'put', put.requestBody?.content['application/json']?.examples?.['replace']?.value, '200', put.responses['200']?.content?.['application/json'], 'example', 'erp-run-7:update.1');
    await replay('/api/customers', 'get', undefined, '200', collection['get']?.responses['200']?.content?.['application/json'], 'example', 'r-search');
    // The batch example: the replaced customer again (UNCHANGED, under the real id) and a record that fails alone.
    const batches = (doc.paths['/api/batches'] as Record<string, Operation>)['post'] as Operation;
    await replay('/api/batches', 'post', batches.requestBody?.content['application/json']?.examples?.['batch']?.value, '200', batches.responses['200']?.content?.['application/json'], 'example', 'r-batch');
    await replay('/api/customers/{id}/history', 'get', undefined, '200', history['get']?.responses['200']?.content?.['application/json'], 'example', 'r-history');
    const exported = doc.paths['/api/export'] as Record<string, Operation>;
    await replay('/api/export', 'get', undefined, '200', exported['get']?.responses['200']?.content?.['application/json'], 'example', 'r-export');
    for (const [path, method] of [['/api/customers/{id}', 'get'], ['/api/customers/{id}', 'put'], ['/api/customers/{id}', 'delete'], ['/api/customers/{id}/history', 'get']] as const) {
      const op = doc.paths[path]?.[method] as Operation;
      const body = op.requestBody?.content['application/json']?.examples?.['replace']?.value;
      await replay(path, method, body, '404', op.responses['404']?.content?.['application/json'], 'notFound', 'r-404');
    }
    await replay('/api/customers/{id}', 'delete', undefined, '204', undefined, undefined, 'r-delete');

    // Every example the document holds was replayed above.
    const all = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).flatMap(([method, op]) => [
      ...Object.keys(op.requestBody?.content['application/json']?.examples ?? {}).map((n) => `request ${method} ${path} ${n}`),
      ...Object.entries(op.responses).flatMap(([, r]) => Object.keys(r.content?.['application/json']?.examples ?? {}).map((n) => `${method} ${path} ${n}`)),
    ]));
    const answered = all.filter((e) => !e.startsWith('request '));
    expect(answered.filter((e) => !replayed.includes(e) && e !== 'post /api/customers example')).to.deep.equal([]);
  });
});
