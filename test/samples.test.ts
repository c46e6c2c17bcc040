// Replays every request under samples/ against a fresh server, in file order,
// and compares each answer with its recorded .response.xml (canonically, with
// the run's id and timestamps mapped to the sample's), so samples never go stale.
// CRM_RECORD_SAMPLES=1 (npm run samples:record) rewrites the responses instead.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import libxml from 'libxmljs2';
import { canonicalXml } from './helpers/canonical.js';
import { postSoap, type Version } from './helpers/soap-client.js';
import { startServer, type TestServer } from './helpers/test-server.js';
import { NS } from '../src/xml/namespaces.js';

const SAMPLES = path.resolve('samples');
const EXAMPLE_ID = '3f2c9a7e-5b1d-4c8e-9f60-2a7b4d1e8c05';
const EXAMPLE_TIME = '2026-11-25T09:30:00.000Z';
const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;
const RECORD = process.env['CRM_RECORD_SAMPLES'] === '1';
const STATUS_COMMENT = /^<!-- HTTP (\d{3}) -->$/m;

const SETS: readonly { dir: string; version: Version }[] = [
  { dir: 'soap11', version: '1.1' },
  { dir: 'soap12', version: '1.2' },
];

describe('samples/ (replayed)', () => {
  for (const { dir, version } of SETS) {
    describe(`samples/${dir}`, () => {
      let server: TestServer;
      let realId = EXAMPLE_ID;
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
          const operation = /^\d+-([A-Za-z]+)/.exec(file)?.[1] ?? '';
          const body = fs.readFileSync(path.join(SAMPLES, dir, file), 'utf8').replaceAll(EXAMPLE_ID, realId);
          const answer = await postSoap(server.soapUrl, version, body, { action: `${NS.crm}/${operation}` });
          if (operation === 'CreateCustomer' && answer.status === 200) {
            realId = /<id>([^<]+)<\/id>/.exec(answer.text)?.[1] ?? realId;
          }
          const actual = answer.text.replaceAll(realId, EXAMPLE_ID).replace(TIMESTAMP, EXAMPLE_TIME);
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
