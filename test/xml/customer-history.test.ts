// GET /xml/customers/{id}/history (contract v1.1, "Who may call": every
// stored change records who made it and the request id), on the wire: changes
// made through SOAP 1.1 and 1.2, /xml, streamed batches, UpsertCustomers, the
// drop folder and the command line, with auth off and on, read back oldest
// first; what is refused, fails or is rolled back leaves no line.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Element } from 'libxmljs2';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { NS } from '../../src/xml/namespaces.js';
import { basic, securityHeader, writeUsers, WRITER_AND_READER } from '../helpers/auth.js';
import { envelope, expectFault, payloadOf, postSoap, text, type SoapAnswer, type Version } from '../helpers/soap-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { customerDoc, expectServiceFault, field, request, sendXml, type XmlAnswer } from '../helpers/xml-client.js';

const Q = { c: NS.crm };
const run = promisify(execFile);

interface Change {
  readonly version: number;
  readonly at: string;
  readonly operation: string;
  readonly actor: string | undefined;
  readonly requestId: string | undefined;
}

/** The `change` elements of a CustomerHistory answer (request() has checked it against the XSD). */
function changesOf(answer: XmlAnswer): Change[] {
  expect(answer.status, answer.text).to.equal(200);
  expect(answer.doc?.root()?.name()).to.equal('CustomerHistory');
  return (answer.doc?.find<Element>('/c:CustomerHistory/c:change', Q) ?? []).map((c) => ({
    version: Number(c.get<Element>('c:version', Q)?.text()),
    at: c.get<Element>('c:at', Q)?.text() ?? '',
    operation: c.get<Element>('c:operation', Q)?.text() ?? '',
    actor: c.get<Element>('c:actor', Q)?.text(),
    requestId: c.get<Element>('c:requestId', Q)?.text(),
  }));
}

function history(server: TestServer, id: string, headers: Record<string, string> = {}): Promise<XmlAnswer> {
  return request(`${server.url}/xml/customers/${encodeURIComponent(id)}/history`, { headers });
}

function soapOp(server: TestServer, version: Version, op: string, inner: string, opts: { header?: string; headers?: Record<string, string> } = {}): Promise<SoapAnswer> {
  return postSoap(server.soapUrl, version, envelope(version, `<c:${op}>${inner}</c:${op}>`, opts.header), { action: `${NS.crm}/${op}`, headers: opts.headers });
}

const person = (externalId: string, name: string, extra = ''): string =>
  `<externalId>${externalId}</externalId><type>PERSON</type><name>${name}</name>${extra}`;

function batchDoc(records: readonly string[], attributes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}"${attributes}>\n` +
    `${records.map((r) => `<customer>${r}</customer>`).join('\n')}\n</CustomerBatch>\n`;
}

/** Every history line of the database: what a refusal or failure must leave as it was. */
function historyLines(server: TestServer): number {
  return server.db.prepare('SELECT count(*) FROM customer_history').pluck().get() as number;
}

describe('GET /xml/customers/{id}/history', function () {
  this.timeout(30000);

  describe('with auth off', () => {
    let server: TestServer;
    before(async () => { server = await startServer({ CRM_EXCHANGE_STABLE_MS: '0' }, { dropFolder: {} }); });
    after(async () => { await server.close(); });

    async function createBySoap(externalId: string, requestId?: string): Promise<{ id: string; answer: SoapAnswer }> {
      const answer = await soapOp(server, '1.1', 'CreateCustomer', `<c:customer>${person(externalId, `Person ${externalId}`).replaceAll('<', '<c:').replaceAll('<c:/', '</c:')}</c:customer>`,
        { headers: requestId === undefined ? {} : { 'x-request-id': requestId } });
      const id = text(payloadOf(answer), 'c:customer/c:id') ?? '';
      expect(id).to.not.equal('');
      return { id, answer };
    }

    it('lists every change oldest first, each with its version, time, operation and the request id its answer echoed', async () => {
      const created = await createBySoap('HIST-1', 'erp-run-7:create.1');
      expect(created.answer.headers.get('x-request-id')).to.equal('erp-run-7:create.1');
      const { id } = created;
      const createdAt = text(payloadOf(created.answer), 'c:customer/c:createdAt');

      const updated12 = await soapOp(server, '1.2', 'UpdateCustomer',
        `<c:customer><c:id>${id}</c:id><c:externalId>HIST-1</c:externalId><c:type>PERSON</c:type><c:name>By SOAP 1.2</c:name><c:version>1</c:version></c:customer>`,
        { headers: { 'x-request-id': 'update-12' } });
      expect(text(payloadOf(updated12), 'c:customer/c:version')).to.equal('2');

      // Not plausible (spaces, a quote): replaced by a generated id, which the answer echoes and the history records.
      const put = await sendXml(`${server.url}/xml/customers/${id}`, 'PUT', customerDoc(person('HIST-1', 'By PUT', '<version>2</version>')),
        { 'x-request-id': 'not "plausible" at all' });
      expect(put.status, put.text).to.equal(200);
      const generated = put.headers.get('x-request-id') ?? '';
      expect(generated).to.match(/^[0-9a-f-]{36}$/);
      const putAt = field(put, '/c:Customer/c:updatedAt');

      const streamed = await sendXml(`${server.url}/xml/batches`, 'POST', batchDoc([person('HIST-1', 'By stream')]), { 'x-request-id': 'stream-1' });
      expect(streamed.status, streamed.text).to.equal(200);
      expect(field(streamed, '/c:BatchReport/c:updated')).to.equal('1');

      const upsert = await soapOp(server, '1.1', 'UpsertCustomers',
        `<c:customer><c:externalId>HIST-1</c:externalId><c:type>PERSON</c:type><c:name>By UpsertCustomers</c:name></c:customer>`,
        { headers: { 'x-request-id': 'upsert-1' } });
      expect(text(payloadOf(upsert), 'c:updated')).to.equal('1');

      const deleted = await request(`${server.url}/xml/customers/${id}`, { method: 'DELETE', headers: { 'x-request-id': 'delete-1' } });
      expect(deleted.status).to.equal(204);

      const changes = changesOf(await history(server, id));
      expect(changes.map((c) => [c.version, c.operation, c.requestId, c.actor])).to.deep.equal([
        [1, 'CREATE', 'erp-run-7:create.1', undefined],
        [2, 'UPDATE', 'update-12', undefined],
        [3, 'UPDATE', generated, undefined],
        [4, 'UPSERT', 'stream-1', undefined],
        [5, 'UPSERT', 'upsert-1', undefined],
        [5, 'DELETE', 'delete-1', undefined],
      ]);
      expect(changes[0]?.at).to.equal(createdAt);
      expect(changes[2]?.at).to.equal(putAt);
      const times = changes.map((c) => Date.parse(c.at));
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    });

    it('keeps the history of a deleted customer, which itself is NOT_FOUND', async () => {
      const { id } = await createBySoap('HIST-DEL');
      expect((await request(`${server.url}/xml/customers/${id}`, { method: 'DELETE' })).status).to.equal(204);
      expectServiceFault(await request(`${server.url}/xml/customers/${id}`), 404, 'NOT_FOUND');
      expect(changesOf(await history(server, id)).map((c) => c.operation)).to.deep.equal(['CREATE', 'DELETE']);
    });

    it('adds no line for an unchanged upsert, a refused or failed request, or an ATOMIC batch rolled back', async () => {
      const { id } = await createBySoap('HIST-KEEP');
      const before = historyLines(server);
      const same = await sendXml(`${server.url}/xml/batches`, 'POST', batchDoc([person('HIST-KEEP', 'Person HIST-KEEP')]));
      expect(field(same, '/c:BatchReport/c:unchanged')).to.equal('1');
      expectServiceFault(await sendXml(`${server.url}/xml/customers/${id}`, 'PUT', customerDoc(person('HIST-KEEP', 'Stale', '<version>7</version>'))), 409, 'VERSION_CONFLICT');
      expectServiceFault(await request(`${server.url}/xml/customers/${id}`, { method: 'DELETE', headers: { 'if-match': '"3"' } }), 412, 'VERSION_CONFLICT');
      expectServiceFault(await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc(person('HIST-KEEP', 'Duplicate'))), 409, 'DUPLICATE_EXTERNAL_ID');
      expectServiceFault(await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc('<type>ROBOT</type><name>Invalid</name>')), 400, 'VALIDATION_FAILED');
      // ATOMIC: the first record is valid and would create a customer, the second fails, so neither is stored.
      const atomic = await sendXml(`${server.url}/xml/batches`, 'POST',
        batchDoc([person('HIST-ATOMIC', 'Would be created'), person('HIST-KEEP', 'Stale again', '<version>9</version>')], ' mode="ATOMIC"'));
      expect(field(atomic, '/c:BatchReport/c:failed')).to.equal('2');
      expect(historyLines(server)).to.equal(before);
      expect(changesOf(await history(server, id))).to.have.length(1);
    });

    it('records a dropped file\'s changes as made by file:NAME, under its claim', async () => {
      const inbox = path.join(server.config.exchangeDir ?? '', 'inbox');
      fs.writeFileSync(path.join(inbox, 'partner-2026.xml'), batchDoc([person('HIST-FILE', 'From a file')]));
      await server.dropFolder?.poll();
      expect((await server.dropFolder?.poll())?.get('partner-2026.xml')).to.equal('imported');
      const id = field(await request(`${server.url}/xml/customers?externalId=HIST-FILE`), '/c:CustomerList/c:customer/c:id') ?? '';
      const claim = server.db.prepare('SELECT claim FROM exchange_files WHERE name = ?').pluck().get('partner-2026.xml');
      expect(changesOf(await history(server, id)).map((c) => [c.operation, c.actor, c.requestId])).to.deep.equal([['UPSERT', 'file:partner-2026.xml', claim]]);
    });

    it('answers NOT_FOUND for an id that never named a customer', async () => {
      const f = expectServiceFault(await history(server, '0190aaaa-0000-7000-8000-000000000000'), 404, 'NOT_FOUND');
      expect(f.message).to.contain('0190aaaa-0000-7000-8000-000000000000');
    });

    it('checks the path id as every path id is checked: 37 characters is VALIDATION_FAILED, pointing at the id', async () => {
      const f = expectServiceFault(await history(server, 'x'.repeat(37)), 400, 'VALIDATION_FAILED');
      expect(f.errors.map((e) => [e.line, e.column])).to.deep.equal([[1, 'GET '.length + 1 + '/xml/customers/'.length]]);
      expect(f.errors[0]?.message).to.match(/^path segment id: .*maxLength/);
    });

    it('answers 405 with Allow: GET for another method', async () => {
      const answer = await request(`${server.url}/xml/customers/any/history`, { method: 'POST' });
      expectServiceFault(answer, 405, 'UNKNOWN_OPERATION');
      expect(answer.headers.get('allow')).to.equal('GET');
    });
  });

  describe('with auth on', () => {
    const USERS = WRITER_AND_READER;
    const ISS = 'https://issuer.example.com/';
    let server: TestServer;
    let token: string;
    const erp = { authorization: basic('erp', USERS.erp.password) };
    const reports = { authorization: basic('reports', USERS.reports.password) };

    before(async () => {
      const dataDir = tempDir('crm-history-auth-');
      await writeUsers(dataDir, USERS);
      const pair = await generateKeyPair('ES256', { extractable: true });
      const jwks = path.join(dataDir, 'jwks.json');
      fs.writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
      server = await startServer({ CRM_DATA_DIR: dataDir, CRM_JWT_JWKS: jwks, CRM_JWT_ISSUER: ISS, CRM_JWT_AUDIENCE: 'crm-bridge' });
      token = await new SignJWT({ scope: 'crm.write' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISS).setAudience('crm-bridge')
        .setSubject('svc-billing').setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(pair.privateKey);
    });
    after(async () => { await server.close(); });

    it('records the user name or the token\'s sub as the actor, and lets a reader read the history', async () => {
      const created = await soapOp(server, '1.2', 'CreateCustomer', `<c:customer><c:type>PERSON</c:type><c:name>Audited</c:name></c:customer>`,
        { header: securityHeader('1.2', 'erp', USERS.erp.password, { digest: true }) });
      const id = text(payloadOf(created), 'c:customer/c:id') ?? '';
      const put = await sendXml(`${server.url}/xml/customers/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>By token</name><version>1</version>'),
        { authorization: `Bearer ${token}` });
      expect(put.status, put.text).to.equal(200);
      const changes = changesOf(await history(server, id, reports));
      expect(changes.map((c) => [c.operation, c.actor, c.requestId])).to.deep.equal([
        ['CREATE', 'erp', created.headers.get('x-request-id')],
        ['UPDATE', 'svc-billing', put.headers.get('x-request-id')],
      ]);
    });

    it('refuses the history without credentials (401), and adds no line for a reader\'s write (FORBIDDEN)', async () => {
      const created = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc('<type>PERSON</type><name>Guarded</name>'), erp);
      const id = field(created, '/c:Customer/c:id') ?? '';
      expectServiceFault(await history(server, id), 401, 'UNAUTHORIZED');
      const before = historyLines(server);
      expectServiceFault(await request(`${server.url}/xml/customers/${id}`, { method: 'DELETE', headers: reports }), 403, 'FORBIDDEN');
      const soap = await soapOp(server, '1.1', 'UpdateCustomer', `<c:customer><c:id>${id}</c:id><c:type>PERSON</c:type><c:name>No</c:name><c:version>1</c:version></c:customer>`,
        { header: securityHeader('1.1', 'reports', USERS.reports.password) });
      expectFault(soap, '1.1', 'FORBIDDEN');
      expect(historyLines(server)).to.equal(before);
      expect(changesOf(await history(server, id, erp)).map((c) => c.actor)).to.deep.equal(['erp']);
    });
  });

  describe('crm-bridge import', () => {
    it('records the OS user who ran the command as the actor', async () => {
      const dataDir = tempDir('crm-history-cli-');
      const file = path.join(dataDir, 'in.xml');
      fs.writeFileSync(file, batchDoc([person('HIST-CLI', 'From the command line')]));
      await run(process.execPath, [path.resolve('dist/src/main.js'), 'import', file], { env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_LOG_LEVEL: 'warn' }, cwd: dataDir });
      const server = await startServer({ CRM_DATA_DIR: dataDir });
      try {
        const id = field(await request(`${server.url}/xml/customers?externalId=HIST-CLI`), '/c:CustomerList/c:customer/c:id') ?? '';
        const [change, ...more] = changesOf(await history(server, id));
        expect(more).to.deep.equal([]);
        expect(change).to.include({ operation: 'UPSERT', version: 1, actor: os.userInfo().username });
        expect(change?.requestId).to.match(/^[0-9a-f-]{36}$/);
      } finally {
        await server.close();
      }
    });
  });
});
