import { expect } from 'chai';
import { record, reportOf } from '../helpers/batch.js';
import { call, envelope, expectFault, payloadOf, postSoap, text, VERSIONS, type SoapAnswer, type Version } from '../helpers/soap-client.js';
import { NS } from '../../src/xml/namespaces.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

describe('UpsertCustomers', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  let run = 0;
  const key = (s: string): string => `U${run}-${s}`;
  beforeEach(() => { run += 1; });

  async function total(v: Version, name: string): Promise<number> {
    return Number(text(payloadOf(await call(server.soapUrl, v, 'SearchCustomers', `<c:name>${name}</c:name>`)), 'c:total'));
  }

  /** The GetChanges cursor after every change made so far. */
  async function latestCursor(v: Version): Promise<string> {
    let since = '';
    for (;;) {
      const page = payloadOf(await call(server.soapUrl, v, 'GetChanges', `<c:since>${since}</c:since><c:limit>1000</c:limit>`));
      const next = text(page, 'c:nextSince') ?? '';
      if (next === since) return since;
      since = next;
    }
  }

  async function get(v: Version, externalId: string): Promise<{ version: string | undefined; name: string | undefined }> {
    const p = payloadOf(await call(server.soapUrl, v, 'GetCustomer', `<c:externalId>${externalId}</c:externalId>`));
    return { version: text(p, 'c:customer/c:version'), name: text(p, 'c:customer/c:name') };
  }

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      it('creates, updates (version + 1) and reports UNCHANGED, one result per record in input order', async () => {
        await call(server.soapUrl, v, 'UpsertCustomers', record(key('a')) + record(key('b')));
        const answer = await call(server.soapUrl, v, 'UpsertCustomers',
          record(key('b'), { name: 'Renamed' }) + record(key('c')) + record(key('a')));
        const report = reportOf(answer);
        expect(report).to.deep.include({ created: 1, updated: 1, unchanged: 1, failed: 0 });
        expect(report.results.map((r) => [r.index, r.externalId, r.status])).to.deep.equal([
          [1, key('b'), 'UPDATED'],
          [2, key('c'), 'CREATED'],
          [3, key('a'), 'UNCHANGED'],
        ]);
        expect(report.results.every((r) => r.id !== undefined)).to.equal(true);
        expect(await get(v, key('b'))).to.deep.equal({ version: '2', name: 'Renamed' });
        expect((await get(v, key('a'))).version).to.equal('1');
      });

      it('echoes a FAILED record\'s externalId only when the XSD takes it, counting characters as the XSD does', async () => {
        const tooLong = 'L'.repeat(65);
        // 64 characters outside the BMP: 128 UTF-16 units, still a valid ExternalId.
        const astral = '\u{1F600}'.repeat(64);
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers',
          record(tooLong, { postalCode: 'x'.repeat(30) }) + record(astral, { postalCode: 'x'.repeat(30) }) + record(key('ok'), { postalCode: 'x'.repeat(30) })));
        expect(report.results.map((r) => [r.status, r.externalId])).to.deep.equal([
          ['FAILED', undefined],
          ['FAILED', astral],
          ['FAILED', key('ok')],
        ]);
        expect(report.results[0]?.message).to.match(/^line \d+, column \d+: /);
      });

      it('stores nothing and bumps nothing for UNCHANGED records (no change-log entry)', async () => {
        await call(server.soapUrl, v, 'UpsertCustomers', record(key('same')));
        const before = await latestCursor(v);
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers', record(key('same'))));
        expect(report.unchanged).to.equal(1);
        const changes = payloadOf(await call(server.soapUrl, v, 'GetChanges', `<c:since>${before}</c:since>`));
        expect(changes.find('c:customer', { c: 'urn:crm-bridge:customer:v1' })).to.have.length(0);
      });

      it('PARTIAL: 1000 records with schema failures scattered stores the good ones and fails each bad one alone', async () => {
        const bad = new Set([1, 97, 500, 501, 999, 1000]);
        const body = Array.from({ length: 1000 }, (_, i) =>
          record(key(`p${i + 1}`), bad.has(i + 1) ? { postalCode: 'x'.repeat(21) } : {})).join('');
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers', `<c:mode>PARTIAL</c:mode>${body}`));
        expect(report).to.deep.include({ created: 994, failed: 6, updated: 0, unchanged: 0 });
        expect(report.results).to.have.length(1000);
        const failed = report.results.filter((r) => r.status === 'FAILED');
        expect(failed.map((r) => r.index)).to.deep.equal([...bad]);
        for (const f of failed) {
          expect(f.code).to.equal('VALIDATION_FAILED');
          expect(f.externalId).to.equal(key(`p${f.index}`));
          // The envelope helper puts the wrapper on line 4; record i is on line 4 + i - 1.
          expect(f.message).to.match(new RegExp(`^line ${f.index + 3}, column \\d+: .*postalCode.*maxLength`));
        }
        expect(await total(v, key('p'))).to.equal(994);
      });

      it('refuses a batch of more than 1000 records as a whole, storing nothing', async () => {
        const body = Array.from({ length: 1001 }, (_, i) => record(key(`big${i}`))).join('');
        const f = expectFault(await call(server.soapUrl, v, 'UpsertCustomers', body), v, 'VALIDATION_FAILED');
        expect(f.errors.length).to.be.greaterThan(0);
        expect(await total(v, key('big'))).to.equal(0);
      });

      it('refuses an unknown mode as a whole', async () => {
        expectFault(await call(server.soapUrl, v, 'UpsertCustomers', `<c:mode>BEST_EFFORT</c:mode>${record(key('m'))}`), v, 'VALIDATION_FAILED');
      });

      it('ATOMIC: one failing record stores nothing; the innocent records say they were rolled back', async () => {
        await call(server.soapUrl, v, 'UpsertCustomers', record(key('existing')));
        const body = record(key('n1')) + record(key('existing'), { name: 'Changed', version: 7 }) + record(key('n2'), { postalCode: 'y'.repeat(30) }) + record(key('n3'));
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers', `<c:mode>ATOMIC</c:mode>${body}`));
        expect(report).to.deep.include({ created: 0, updated: 0, unchanged: 0, failed: 4 });
        expect(report.results.map((r) => [r.index, r.status, r.code])).to.deep.equal([
          [1, 'FAILED', 'ROLLED_BACK'],
          [2, 'FAILED', 'VERSION_CONFLICT'],
          [3, 'FAILED', 'VALIDATION_FAILED'],
          [4, 'FAILED', 'ROLLED_BACK'],
        ]);
        expect(report.results[0]?.id).to.equal(undefined);
        expect(await total(v, key('n'))).to.equal(0);
        expect(await get(v, key('existing'))).to.deep.equal({ version: '1', name: `Company ${key('existing')}` });
      });

      it('ATOMIC: all good records are stored together', async () => {
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers', `<c:mode>ATOMIC</c:mode>${record(key('g1'))}${record(key('g2'))}`));
        expect(report).to.deep.include({ created: 2, failed: 0 });
      });

      it('applies the same externalId twice in one batch in input order', async () => {
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers',
          record(key('twice')) + record(key('twice'), { name: 'Second' }) + record(key('twice'), { name: 'Second' })));
        expect(report.results.map((r) => r.status)).to.deep.equal(['CREATED', 'UPDATED', 'UNCHANGED']);
        expect(new Set(report.results.map((r) => r.id)).size).to.equal(1);
        expect(await get(v, key('twice'))).to.deep.equal({ version: '2', name: 'Second' });
      });

      it('matches a record without externalId by id, and fails one with neither', async () => {
        const created = await call(server.soapUrl, v, 'CreateCustomer', '<c:customer><c:type>PERSON</c:type><c:name>No Ext</c:name></c:customer>');
        const id = text(payloadOf(created), 'c:customer/c:id') ?? '';
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers',
          record('', { id, omitExternalId: true, name: 'By Id' }) + record('', { omitExternalId: true }) + record('', { id: 'ghost', omitExternalId: true })));
        expect(report.results.map((r) => [r.status, r.code])).to.deep.equal([
          ['UPDATED', undefined],
          ['FAILED', 'VALIDATION_FAILED'],
          ['FAILED', 'NOT_FOUND'],
        ]);
        expect(report.results[0]?.id).to.equal(id);
      });

      it('fails a record whose id and externalId name different customers', async () => {
        await call(server.soapUrl, v, 'UpsertCustomers', record(key('x1')) + record(key('x2')));
        const other = text(payloadOf(await call(server.soapUrl, v, 'GetCustomer', `<c:externalId>${key('x2')}</c:externalId>`)), 'c:customer/c:id') ?? '';
        const report = reportOf(await call(server.soapUrl, v, 'UpsertCustomers', record(key('x1'), { id: other })));
        expect(report.results[0]?.code).to.equal('DUPLICATE_EXTERNAL_ID');
      });

      describe('batchId', () => {
        const send = (batchId: string, inner: string, prefix = 'c'): Promise<SoapAnswer> =>
          postSoap(server.soapUrl, v, envelope(v, `<${prefix}:UpsertCustomers xmlns:${prefix}="${NS.crm}" batchId="${batchId}">\n${inner.replaceAll('c:', `${prefix}:`)}</${prefix}:UpsertCustomers>`), {
            action: `${NS.crm}/UpsertCustomers`,
          });

        it('returns the first report again for the same batchId and body, changing nothing', async () => {
          const body = record(key('r1')) + record(key('r2'));
          const first = reportOf(await send(key('batch'), body));
          expect(first).to.deep.include({ batchId: key('batch'), created: 2 });
          const cursor = await latestCursor(v);
          // Other prefixes and indentation are still the same batch.
          const again = reportOf(await send(key('batch'), body.replaceAll('\n', '\n  '), 'erp'));
          expect(again).to.deep.equal(first);
          const changes = payloadOf(await call(server.soapUrl, v, 'GetChanges', `<c:since>${cursor}</c:since>`));
          expect(text(changes, 'c:customer/c:id')).to.equal(undefined);
        });

        it('refuses the same batchId with another body, storing nothing', async () => {
          await send(key('batch'), record(key('s1')));
          const f = expectFault(await send(key('batch'), record(key('s1'), { name: 'Other' }) + record(key('s2'))), v, 'VALIDATION_FAILED');
          expect(f.message).to.contain(key('batch'));
          expect(await total(v, key('s2'))).to.equal(0);
          expect((await get(v, key('s1'))).name).to.equal(`Company ${key('s1')}`);
        });

        it('replays the first report after a restart of the server on the same database', async () => {
          const restartable = await startServer();
          const body = record(key('k1')) + record(key('k2'), { postalCode: 'z'.repeat(40) });
          const sendTo = (url: string): Promise<SoapAnswer> => postSoap(url, v, envelope(v, `<c:UpsertCustomers batchId="${key('restart')}">${body}</c:UpsertCustomers>`), { action: `${NS.crm}/UpsertCustomers` });
          const first = reportOf(await sendTo(restartable.soapUrl));
          await restartable.close();
          const restarted = await startServer({ CRM_DATA_DIR: restartable.dataDir });
          try {
            expect(reportOf(await sendTo(restarted.soapUrl))).to.deep.equal(first);
            expect(first).to.deep.include({ created: 1, failed: 1 });
          } finally {
            await restarted.close();
          }
        });
      });
    });
  }
});
