import { expect } from 'chai';
import type { Element } from 'libxmljs2';
import { call, expectFault, payloadOf, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { NS } from '../../src/xml/namespaces.js';

const Q = { c: NS.crm };

interface Seed { externalId: string; name: string; email?: string; status?: string; countries?: string[] }

function customerXml(s: Seed): string {
  const addresses = (s.countries ?? []).map((c) => `<c:address type="OTHER"><c:line1>x</c:line1><c:city>y</c:city><c:country>${c}</c:country></c:address>`).join('');
  return `<c:customer><c:externalId>${s.externalId}</c:externalId><c:type>ORGANIZATION</c:type><c:name>${s.name}</c:name>` +
    `${s.email ? `<c:email>${s.email}</c:email>` : ''}${s.status ? `<c:status>${s.status}</c:status>` : ''}` +
    `${addresses ? `<c:addresses>${addresses}</c:addresses>` : ''}</c:customer>`;
}

const SEEDS: Seed[] = [
  { externalId: 'S1', name: 'Müller GmbH', email: 'Info@Mueller.example', countries: ['DE'] },
  { externalId: 'S2', name: 'MÜLLER AG', status: 'INACTIVE', countries: ['CH', 'DE'] },
  { externalId: 'S3', name: 'Straße &amp; Söhne', countries: ['AT'] },
  { externalId: 'S4', name: '50% Rabatt_Markt', status: 'PROSPECT' },
  { externalId: 'S5', name: '50 Prozent Markt', email: 'sales@example.org' },
  { externalId: 'S6', name: 'Mu\u0308ller KG (decomposed)' },
  { externalId: 'S7', name: 'Acme Ltd', countries: ['GB'] },
];

describe('SearchCustomers', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    const answer = await call(server.soapUrl, '1.1', 'UpsertCustomers', SEEDS.map(customerXml).join(''));
    expect(text(payloadOf(answer), 'c:created')).to.equal(String(SEEDS.length));
  });
  after(async () => { await server.close(); });

  async function search(v: '1.1' | '1.2', inner: string): Promise<{ total: number; offset: number; externalIds: string[]; ids: string[] }> {
    const p = payloadOf(await call(server.soapUrl, v, 'SearchCustomers', inner));
    const customers = p.find<Element>('c:customer', Q);
    return {
      total: Number(text(p, 'c:total')),
      offset: Number(text(p, 'c:offset')),
      externalIds: customers.map((c) => text(c, 'c:externalId') ?? '').sort(),
      ids: customers.map((c) => text(c, 'c:id') ?? ''),
    };
  }

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      it('without filters answers every customer ordered by id, with the total', async () => {
        const r = await search(v, '');
        expect(r.total).to.equal(SEEDS.length);
        expect(r.offset).to.equal(0);
        expect(r.ids).to.deep.equal([...r.ids].sort());
      });

      it('matches a name substring case-insensitively across Unicode (Müller finds MÜLLER and a decomposed ü)', async () => {
        expect((await search(v, '<c:name>müller</c:name>')).externalIds).to.deep.equal(['S1', 'S2', 'S6']);
        expect((await search(v, '<c:name>ÜLL</c:name>')).externalIds).to.deep.equal(['S1', 'S2', 'S6']);
      });

      it('folds ß like full case folding (STRASSE finds Straße)', async () => {
        expect((await search(v, '<c:name>STRASSE</c:name>')).externalIds).to.deep.equal(['S3']);
      });

      it('treats % and _ as literal characters, not wildcards', async () => {
        expect((await search(v, '<c:name>50%</c:name>')).externalIds).to.deep.equal(['S4']);
        expect((await search(v, '<c:name>t_M</c:name>')).externalIds).to.deep.equal(['S4']);
        expect((await search(v, '<c:name>%</c:name>')).externalIds).to.deep.equal(['S4']);
      });

      it('matches terms shorter than three characters too', async () => {
        expect((await search(v, '<c:name>kg</c:name>')).externalIds).to.deep.equal(['S6']);
      });

      it('matches email case-insensitively and exactly', async () => {
        expect((await search(v, '<c:email>info@mueller.EXAMPLE</c:email>')).externalIds).to.deep.equal(['S1']);
        expect((await search(v, '<c:email>nfo@mueller.example</c:email>')).externalIds).to.deep.equal([]);
      });

      it('filters by status, country (any address), externalId and updatedSince', async () => {
        expect((await search(v, '<c:status>INACTIVE</c:status>')).externalIds).to.deep.equal(['S2']);
        expect((await search(v, '<c:country>DE</c:country>')).externalIds).to.deep.equal(['S1', 'S2']);
        expect((await search(v, '<c:externalId>S7</c:externalId>')).externalIds).to.deep.equal(['S7']);
        expect((await search(v, '<c:updatedSince>2000-01-01T00:00:00Z</c:updatedSince>')).total).to.equal(SEEDS.length);
        expect((await search(v, '<c:updatedSince>2999-01-01T00:00:00+02:00</c:updatedSince>')).total).to.equal(0);
      });

      it('combines filters with AND', async () => {
        expect((await search(v, '<c:name>müller</c:name><c:status>ACTIVE</c:status><c:country>DE</c:country>')).externalIds).to.deep.equal(['S1']);
      });

      it('pages with offset and limit; total counts every match', async () => {
        const all = await search(v, '');
        const first = await search(v, '<c:offset>0</c:offset><c:limit>3</c:limit>');
        const second = await search(v, '<c:offset>3</c:offset><c:limit>3</c:limit>');
        const last = await search(v, '<c:offset>6</c:offset><c:limit>3</c:limit>');
        expect(first.total).to.equal(SEEDS.length);
        expect(second.offset).to.equal(3);
        expect([...first.ids, ...second.ids, ...last.ids]).to.deep.equal(all.ids);
      });

      it('answers VALIDATION_FAILED for a limit over 500, a limit of 0 or a negative offset', async () => {
        expectFault(await call(server.soapUrl, v, 'SearchCustomers', '<c:limit>501</c:limit>'), v, 'VALIDATION_FAILED');
        expectFault(await call(server.soapUrl, v, 'SearchCustomers', '<c:limit>0</c:limit>'), v, 'VALIDATION_FAILED');
        expectFault(await call(server.soapUrl, v, 'SearchCustomers', '<c:offset>-1</c:offset>'), v, 'VALIDATION_FAILED');
      });
    });
  }

  describe('default page', () => {
    it('answers at most 50 customers when no limit is given', async () => {
      const many = Array.from({ length: 60 }, (_, i) => customerXml({ externalId: `MANY-${i}`, name: `Bulk ${i}` })).join('');
      await call(server.soapUrl, '1.1', 'UpsertCustomers', many);
      const r = await search('1.1', '<c:name>bulk</c:name>');
      expect(r.total).to.equal(60);
      expect(r.ids).to.have.length(50);
    });
  });
});
