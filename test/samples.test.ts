// Replays every request under samples/ against a fresh server, in file order,
// and compares each answer with its recorded .response.xml (canonically, with
// the run's id and timestamps mapped to the sample's), so samples never go stale.
// CRM_RECORD_SAMPLES=1 (npm run samples:record) rewrites the responses instead.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import libxml from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { canonical, canonicalXml } from './helpers/canonical.js';
import { postSoap, type Version } from './helpers/soap-client.js';
import { startServer, type TestServer } from './helpers/test-server.js';
import { NS } from '../src/xml/namespaces.js';

const SAMPLES = path.resolve('samples');
const EXAMPLE_ID = '3f2c9a7e-5b1d-4c8e-9f60-2a7b4d1e8c05';
const EXAMPLE_TIME = '2026-11-25T09:30:00.000Z';
const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(\d{3})?Z/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Example id number n of a sample set: the first is EXAMPLE_ID, the ones after count up. */
function exampleId(n: number): string {
  return n === 0 ? EXAMPLE_ID : `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
const RECORD = process.env['CRM_RECORD_SAMPLES'] === '1';
const STATUS_COMMENT = /^<!-- HTTP (\d{3})(?:, no body)? -->$/m;

const SETS: readonly { dir: string; version: Version }[] = [
  { dir: 'soap11', version: '1.1' },
  { dir: 'soap12', version: '1.2' },
];

describe('samples/ (replayed)', () => {
  for (const { dir, version } of SETS) {
    describe(`samples/${dir}`, () => {
      let server: TestServer;
      // Ids the service assigned in this run, in order of first appearance, each shown as an example id.
      const realIds: string[] = [];
      const toExample = (text: string): string => text.replace(UUID, (id) => {
        if (!realIds.includes(id)) realIds.push(id);
        return exampleId(realIds.indexOf(id));
      });
      const toReal = (text: string): string => text.replace(UUID, (id) => {
        const n = [...Array(realIds.length).keys()].find((i) => exampleId(i) === id);
        return n === undefined ? id : realIds[n] ?? id;
      });
      before(async () => { server = await startServer(); });
      after(async () => { await server.close(); });

      const requests = fs.readdirSync(path.join(SAMPLES, dir)).filter((f) => f.endsWith('.request.xml')).sort();
      it('has a request and a response for every operation the samples cover', () => {
        expect(requests.length).to.be.greaterThan(0);
        for (const r of requests) {
          if (!RECORD) expect(fs.existsSync(path.join(SAMPLES, dir, r.replace('.request.', '.response.')))).to.equal(true);
        }
      });

      for (const file of requests) {
        it(`replays ${file}`, async () => {
          // (SOAP samples: operation from the file name, SOAPAction as the WSDL says.)
          const operation = /^\d+-([A-Za-z]+)/.exec(file)?.[1] ?? '';
          const body = toReal(fs.readFileSync(path.join(SAMPLES, dir, file), 'utf8'));
          const answer = await postSoap(server.soapUrl, version, body, { action: `${NS.crm}/${operation}` });
          const actual = toExample(answer.text).replace(TIMESTAMP, EXAMPLE_TIME);
          const responseFile = path.join(SAMPLES, dir, file.replace('.request.', '.response.'));
          if (RECORD) {
            const pretty = libxml.parseXml(actual).toString(true).replace(/^<\?xml[^>]*>\n/, '');
            fs.writeFileSync(responseFile, `<?xml version="1.0" encoding="UTF-8"?>\n<!-- HTTP ${answer.status} -->\n${pretty}\n`);
            return;
          }
          const expected = fs.readFileSync(responseFile, 'utf8');
          expect(answer.status).to.equal(Number(STATUS_COMMENT.exec(expected)?.[1]));
          expect(canonicalXml(actual)).to.equal(canonicalXml(expected));
        });
      }
    });
  }
});

interface HttpSample {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Children of the root in any order (the export is ordered by id, and ids are random). */
  readonly unordered?: boolean;
}

/** The root's children, canonical and sorted: for answers whose order depends on random ids. */
function canonicalChildren(xml: string): string[] {
  const root = libxml.parseXml(xml).root();
  return (root?.childNodes() ?? []).filter((c): c is Element => c.type() === 'element').map((c) => canonical(c)).sort();
}

describe('samples/xml (replayed)', () => {
  const dir = path.join(SAMPLES, 'xml');
  const samples = JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8')) as HttpSample[];
  let server: TestServer;
  const realIds: string[] = [];
  const toExample = (text: string): string => text.replace(UUID, (id) => {
    if (!realIds.includes(id)) realIds.push(id);
    return exampleId(realIds.indexOf(id));
  });
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  for (const sample of samples) {
    it(`replays ${sample.name}: ${sample.method} ${sample.path}`, async () => {
      const url = server.url + sample.path.replace('{id}', realIds[0] ?? 'none');
      const body = sample.body === undefined ? undefined : fs.readFileSync(path.join(dir, sample.body));
      const res = await fetch(url, {
        method: sample.method,
        headers: { ...(body ? { 'content-type': 'application/xml' } : {}), ...sample.headers },
        body,
      });
      const text = await res.text();
      const actual = toExample(text).replace(TIMESTAMP, EXAMPLE_TIME);
      const responseFile = path.join(dir, `${sample.name}.response.xml`);
      if (RECORD) {
        const shown = actual === '' ? '' : `\n${libxml.parseXml(actual).toString(true).replace(/^<\?xml[^>]*>\n/, '')}`;
        fs.writeFileSync(responseFile, `<?xml version="1.0" encoding="UTF-8"?>\n<!-- HTTP ${res.status}${actual === '' ? ', no body' : ''} -->${shown}\n`);
        return;
      }
      const expected = fs.readFileSync(responseFile, 'utf8');
      expect(res.status).to.equal(Number(STATUS_COMMENT.exec(expected)?.[1]));
      if (actual === '') expect(expected).to.contain('no body');
      else if (sample.unordered) expect(canonicalChildren(actual)).to.deep.equal(canonicalChildren(expected));
      else expect(canonicalXml(actual)).to.equal(canonicalXml(expected));
    });
  }
});

/** A JSON answer as recorded: pretty, with the run's ids and times shown as the examples'. */
function prettyJson(text: string): string {
  return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
}

describe('samples/json (replayed)', () => {
  const dir = path.join(SAMPLES, 'json');
  const samples = JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8')) as HttpSample[];
  let server: TestServer;
  const realIds: string[] = [];
  const toExample = (text: string): string => text.replace(UUID, (id) => {
    if (!realIds.includes(id)) realIds.push(id);
    return exampleId(realIds.indexOf(id));
  });
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  it('has a request and an answer for every /api resource', () => {
    const covered = new Set(samples.map((s) => `${s.method} ${s.path.split('?')[0] ?? ''}`));
    for (const resource of ['POST /api/customers', 'GET /api/customers', 'GET /api/customers/{id}', 'PUT /api/customers/{id}', 'DELETE /api/customers/{id}', 'GET /api/customers/{id}/history', 'POST /api/batches', 'GET /api/export']) {
      expect(covered.has(resource), resource).to.equal(true);
    }
  });

  for (const sample of samples) {
    it(`replays ${sample.name}: ${sample.method} ${sample.path}`, async () => {
      const url = server.url + sample.path.replace('{id}', realIds[0] ?? 'none');
      const body = sample.body === undefined ? undefined : fs.readFileSync(path.join(dir, sample.body));
      const res = await fetch(url, {
        method: sample.method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...sample.headers },
        body,
      });
      const text = await res.text();
      const actual = toExample(text).replace(TIMESTAMP, EXAMPLE_TIME);
      const responseFile = path.join(dir, `${sample.name}.response.json`);
      // The status rides along in the file, as the XML samples' comment carries it.
      const recorded = { status: res.status, ...(actual === '' ? {} : { body: JSON.parse(actual) as unknown }) };
      if (RECORD) {
        fs.writeFileSync(responseFile, prettyJson(JSON.stringify(recorded)));
        return;
      }
      expect(recorded).to.deep.equal(JSON.parse(fs.readFileSync(responseFile, 'utf8')));
    });
  }
});
