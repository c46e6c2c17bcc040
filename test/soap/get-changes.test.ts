import { expect } from 'chai';
import type { Element } from 'libxmljs2';
import { record } from '../helpers/batch.js';
import { call, expectFault, payloadOf, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { NS } from '../../src/xml/namespaces.js';

const Q = { c: NS.crm };

interface Page {
  readonly customers: { id: string; version: number; name: string }[];
  readonly deletedIds: string[];
  readonly nextSince: string;
}

describe('GetChanges', () => {
  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      let server: TestServer;
      beforeEach(async () => { server = await startServer(); });
      afterEach(async () => { await server.close(); });

      async function changes(since: string, limit?: number): Promise<Page> {
        const p = payloadOf(await call(server.soapUrl, v, 'GetChanges', `<c:since>${since}</c:since>${limit ? `<c:limit>${limit}</c:limit>` : ''}`));
        return {
          customers: p.find<Element>('c:customer', Q).map((c) => ({
            id: text(c, 'c:id') ?? '',
            version: Number(text(c, 'c:version')),
            name: text(c, 'c:name') ?? '',
          })),
          deletedIds: p.find<Element>('c:deletedId', Q).map((d) => d.text()),
          nextSince: text(p, 'c:nextSince') ?? '',
        };
      }

      async function create(name: string): Promise<string> {
        const p = payloadOf(await call(server.soapUrl, v, 'CreateCustomer', `<c:customer><c:type>PERSON</c:type><c:name>${name}</c:name></c:customer>`));
        return text(p, 'c:customer/c:id') ?? '';
      }

      it('from an empty since answers every customer, and a nextSince after which nothing is new', async () => {
        const a = await create('A');
        const b = await create('B');
        const first = await changes('');
        expect(first.customers.map((c) => c.id)).to.deep.equal([a, b]);
        expect(first.nextSince).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        const second = await changes(first.nextSince);
        expect(second).to.deep.equal({ customers: [], deletedIds: [], nextSince: first.nextSince });
      });

      it('answers each changed customer once, in its latest state, and the ids deleted', async () => {
        const a = await create('A');
        const b = await create('B');
        const cursor = (await changes('')).nextSince;
        for (const name of ['A2', 'A3']) {
          const version = name === 'A2' ? 1 : 2;
          await call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${a}</c:id><c:type>PERSON</c:type><c:name>${name}</c:name><c:version>${version}</c:version></c:customer>`);
        }
        await call(server.soapUrl, v, 'DeleteCustomer', `<c:id>${b}</c:id>`);
        const page = await changes(cursor);
        expect(page.customers).to.deep.equal([{ id: a, version: 3, name: 'A3' }]);
        expect(page.deletedIds).to.deep.equal([b]);
      });

      it('pages through many changes made in the same millisecond without missing or repeating one', async () => {
        const body = Array.from({ length: 300 }, (_, i) => record(`SAME-MS-${i}`)).join('');
        await call(server.soapUrl, v, 'UpsertCustomers', body);
        const seen: string[] = [];
        let since = '';
        for (let i = 0; i < 100; i++) {
          const page = await changes(since, 7);
          if (page.customers.length === 0) break;
          seen.push(...page.customers.map((c) => c.id));
          since = page.nextSince;
        }
        expect(seen).to.have.length(300);
        expect(new Set(seen).size).to.equal(300);
      });

      it('accepts since with a time-zone offset, and without fractional seconds', async () => {
        await create('Z');
        expect((await changes('2000-01-01T01:00:00+01:00')).customers).to.have.length(1);
        expect((await changes('2999-01-01T00:00:00')).customers).to.have.length(0);
      });

      it('answers VALIDATION_FAILED for a since that is not an xs:dateTime, and a limit over 1000', async () => {
        expectFault(await call(server.soapUrl, v, 'GetChanges', '<c:since>yesterday</c:since>'), v, 'VALIDATION_FAILED');
        expectFault(await call(server.soapUrl, v, 'GetChanges', '<c:since/><c:limit>1001</c:limit>'), v, 'VALIDATION_FAILED');
      });

      it('a poller passing nextSince back sees exactly the changes made, while writes go on', async function () {
        this.timeout(30000);
        const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`Seed ${i}`)));
        let writing = true;
        // Writers: updates and deletes on the seeds, and creates, concurrently with the poller.
        const writers = (async () => {
          const jobs: Promise<unknown>[] = [];
          for (let round = 0; round < 5; round++) {
            for (const [i, id] of ids.entries()) {
              if ((i + round) % 7 === 0 && round === 4) {
                jobs.push(call(server.soapUrl, v, 'DeleteCustomer', `<c:id>${id}</c:id>`));
              } else {
                jobs.push(call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id>`).then(async (a) => {
                  const version = text(payloadOf(a), 'c:customer/c:version');
                  return call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${id}</c:id><c:type>PERSON</c:type><c:name>R${round}</c:name><c:version>${version ?? ''}</c:version></c:customer>`);
                }).catch(() => undefined));
              }
            }
            jobs.push(call(server.soapUrl, v, 'UpsertCustomers', Array.from({ length: 10 }, (_, i) => record(`LIVE-${round}-${i}`)).join('')));
            await Promise.all(jobs.splice(0));
          }
          writing = false;
        })();
        // The poller: its view is the latest version seen per id, or deleted.
        const view = new Map<string, number | 'deleted'>();
        const delivered = new Set<string>();
        let since = '';
        for (;;) {
          const done = !writing;
          const page = await changes(since, 5);
          for (const c of page.customers) {
            const event = `${c.id}@${c.version}`;
            expect(delivered.has(event), `delivered twice: ${event}`).to.equal(false);
            delivered.add(event);
            view.set(c.id, c.version);
          }
          for (const id of page.deletedIds) view.set(id, 'deleted');
          since = page.nextSince;
          if (done && page.customers.length === 0 && page.deletedIds.length === 0) break;
        }
        await writers;
        // The store as it is now must be exactly the poller's view.
        const truth = new Map<string, number | 'deleted'>();
        for (let offset = 0; ; offset += 500) {
          const p = payloadOf(await call(server.soapUrl, v, 'SearchCustomers', `<c:offset>${offset}</c:offset><c:limit>500</c:limit>`));
          const customers = p.find<Element>('c:customer', Q);
          for (const c of customers) truth.set(text(c, 'c:id') ?? '', Number(text(c, 'c:version')));
          if (customers.length < 500) break;
        }
        for (const [id, state] of view) if (state === 'deleted') truth.set(id, 'deleted');
        expect(view).to.deep.equal(truth);
        expect([...view.values()].filter((s) => s === 'deleted').length).to.be.greaterThan(0);
      });
    });
  }
});
