// The one place a stage (authentication, authorisation, audit) plugs in: a
// stage registered with the dispatcher is called exactly once per request on
// every channel, with the request's channel and operation, and a stage that
// refuses stops the request before its operation runs, whatever the channel.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { createDispatcher } from '../../src/app.js';
import { exportCommand } from '../../src/cli/export-command.js';
import { importCommand } from '../../src/cli/import-command.js';
import type { CliContext } from '../../src/cli/cli-context.js';
import type { RequestContext } from '../../src/dispatch/request-context.js';
import type { Stage } from '../../src/dispatch/stage.js';
import { UnauthorizedError } from '../../src/errors.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { record } from '../helpers/batch.js';
import { minimalCustomer } from '../helpers/customers.js';
import { call, expectFault } from '../helpers/soap-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { customerDoc, expectServiceFault, field, request, sendXml } from '../helpers/xml-client.js';

interface Admitted {
  readonly channel: string;
  readonly operation: string;
  readonly requestId: string;
}

/** Remembers every admission. */
class CountingStage implements Stage {
  readonly calls: Admitted[] = [];
  async admit(context: RequestContext, operation: string): Promise<void> {
    this.calls.push({ channel: context.channel, operation, requestId: context.requestId });
  }
  /** The calls `run` made. */
  async during(run: () => Promise<unknown>): Promise<Admitted[]> {
    const before = this.calls.length;
    await run();
    return this.calls.slice(before);
  }
}

const BATCH = (ids: string[]): string =>
  `<CustomerBatch xmlns="urn:crm-bridge:customer:v1" xmlns:c="urn:crm-bridge:customer:v1">\n${ids.map((id) => record(id)).join('')}</CustomerBatch>\n`;

describe('pipeline stages', () => {
  describe('a counting stage', () => {
    const stage = new CountingStage();
    let server: TestServer;
    before(async () => {
      server = await startServer({ CRM_EXCHANGE_STABLE_MS: '0' }, { stages: [stage], dropFolder: {} });
    });
    after(async () => { await server.close(); });

    /** Exactly one call on `channel` for `operation` while `run` runs. */
    async function once(channel: string, operation: string, run: () => Promise<unknown>): Promise<void> {
      const calls = await stage.during(run);
      expect(calls.map((c) => `${c.channel} ${c.operation}`)).to.deep.equal([`${channel} ${operation}`]);
    }

    it('is called once per SOAP 1.1 and SOAP 1.2 request, with the request id the answer carries', async () => {
      await once('soap-1.1', 'CreateCustomer', () => call(server.soapUrl, '1.1', 'CreateCustomer', minimalCustomer()));
      await once('soap-1.2', 'SearchCustomers', () => call(server.soapUrl, '1.2', 'SearchCustomers', '<c:name>Ada</c:name>'));
      const calls = await stage.during(async () => {
        const res = await fetch(`${server.url}/xml/customers?name=x`, { headers: { 'x-request-id': 'req-stage-1' } });
        expect(res.headers.get('x-request-id')).to.equal('req-stage-1');
      });
      expect(calls.map((c) => c.requestId)).to.deep.equal(['req-stage-1']);
    });

    it('is called once per request on each /xml resource', async () => {
      let id = '';
      await once('xml', 'CreateCustomer', async () => {
        const created = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc('<type>PERSON</type><name>Stage</name>'));
        id = field(created, '/c:Customer/c:id') ?? '';
      });
      await once('xml', 'GetCustomer', () => request(`${server.url}/xml/customers/${id}`));
      await once('xml', 'UpdateCustomer', () => sendXml(`${server.url}/xml/customers/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>Stage 2</name>'), { 'if-match': '"1"' }));
      await once('xml', 'SearchCustomers', () => request(`${server.url}/xml/customers?name=stage`));
      await once('xml', 'DeleteCustomer', () => request(`${server.url}/xml/customers/${id}`, { method: 'DELETE' }));
      await once('xml', 'ImportBatch', () => sendXml(`${server.url}/xml/batches`, 'POST', BATCH(['STAGE-1', 'STAGE-2'])));
      await once('xml', 'Export', () => request(`${server.url}/xml/export`));
    });

    it('is called once per request on each /api resource', async () => {
      const json = { 'content-type': 'application/json' };
      let id = '';
      await once('json', 'CreateCustomer', async () => {
        const created = await fetch(`${server.url}/api/customers`, { method: 'POST', headers: json, body: JSON.stringify({ type: 'PERSON', name: 'Stage Json' }) });
        expect(created.status).to.equal(201);
        id = ((await created.json()) as { id: string }).id;
      });
      await once('json', 'GetCustomer', () => fetch(`${server.url}/api/customers/${id}`));
      await once('json', 'UpdateCustomer', () => fetch(`${server.url}/api/customers/${id}`, { method: 'PUT', headers: { ...json, 'if-match': '"1"' }, body: JSON.stringify({ type: 'PERSON', name: 'Stage Json 2' }) }));
      await once('json', 'SearchCustomers', () => fetch(`${server.url}/api/customers?name=stage`));
      await once('json', 'GetCustomerHistory', () => fetch(`${server.url}/api/customers/${id}/history`));
      await once('json', 'DeleteCustomer', () => fetch(`${server.url}/api/customers/${id}`, { method: 'DELETE' }));
    });

    it('is called once for a file in the drop folder, however many records it holds', async () => {
      const inbox = path.join(server.config.exchangeDir ?? '', 'inbox');
      fs.writeFileSync(path.join(inbox, 'stage.xml'), BATCH(Array.from({ length: 30 }, (_, i) => `STAGE-F${i}`)));
      await once('drop-folder', 'ImportBatch', async () => {
        // The first poll sees the file, the next takes it once it has stayed the same.
        await server.dropFolder?.poll();
        const outcomes = await server.dropFolder?.poll();
        expect([...(outcomes?.values() ?? [])]).to.deep.equal(['imported']);
      });
    });

    it('is called once per crm-bridge import (and --dry-run) and export', async () => {
      const dir = tempDir('crm-stage-cli-');
      const store = new SqliteStore(openDatabase(path.join(dir, 'crm.db')));
      const cli = new CountingStage();
      const lines: string[] = [];
      const context: CliContext = {
        dispatcher: createDispatcher(store, [cli]),
        importWorkers: { enabled: false, minBytes: 0 },
        maxRecordChars: 1 << 20,
        out: (line) => lines.push(line),
        err: (line) => lines.push(line),
      };
      try {
        const file = path.join(dir, 'in.xml');
        fs.writeFileSync(file, BATCH(['CLI-1', 'CLI-2', 'CLI-3']));
        const calls = await cli.during(async () => {
          expect(await importCommand(file, { dryRun: true }, context)).to.equal(0);
          expect(await importCommand(file, {}, context)).to.equal(0);
          expect(await exportCommand(path.join(dir, 'out.xml'), {}, context)).to.equal(0);
        });
        expect(calls.map((c) => `${c.channel} ${c.operation}`)).to.deep.equal(['cli PreviewBatch', 'cli ImportBatch', 'cli Export']);
        expect(new Set(calls.map((c) => c.requestId)).size, 'one request id per command').to.equal(3);
      } finally {
        await store.close();
      }
    });
  });

  describe('a stage that refuses', () => {
    let server: TestServer;
    const refuse: Stage = { admit: async () => { throw new UnauthorizedError('no credentials'); } };
    before(async () => { server = await startServer({}, { stages: [refuse] }); });
    after(async () => { await server.close(); });

    it('stops every channel before validation and the operation: UNAUTHORIZED, nothing stored', async () => {
      expectFault(await call(server.soapUrl, '1.1', 'CreateCustomer', minimalCustomer()), '1.1', 'UNAUTHORIZED');
      // Before validation: an invalid message is refused as unauthorised too.
      expectFault(await call(server.soapUrl, '1.2', 'CreateCustomer', '<c:customer/>'), '1.2', 'UNAUTHORIZED');
      expectServiceFault(await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc('<type>PERSON</type><name>No</name>')), 401, 'UNAUTHORIZED');
      expectServiceFault(await request(`${server.url}/xml/customers?limit=9999`), 401, 'UNAUTHORIZED');
      expectServiceFault(await sendXml(`${server.url}/xml/batches`, 'POST', BATCH(['NO-1'])), 401, 'UNAUTHORIZED');
      expectServiceFault(await request(`${server.url}/xml/export`), 401, 'UNAUTHORIZED');
      const api = await fetch(`${server.url}/api/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": 1}' });
      expect(api.status).to.equal(401);
      expect(((await api.json()) as { code: string }).code).to.equal('UNAUTHORIZED');
      const remaining = await call(server.soapUrl, '1.1', 'SearchCustomers', '');
      expectFault(remaining, '1.1', 'UNAUTHORIZED');
      expect(await server.store.read((u) => u.customers.list('', 10))).to.deep.equal([]);
    });
  });
});
