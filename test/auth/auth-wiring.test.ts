// Who may call, on the wire (contract v1.1, issue 17 items 2, 3, 5): a real
// server on a real SQLite file with users (a writer and a reader, both with
// digest) and a JWKS file, called over HTTP on SOAP 1.1, 1.2 and /xml with
// every kind of credential. Every refusal leaves the store as it was.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AUTHENTICATION_FAILED } from '../../src/errors.js';
import { NS } from '../../src/xml/namespaces.js';
import { basic, securityHeader, writeUsers, WRITER_AND_READER, WSSE } from '../helpers/auth.js';
import { minimalCustomer } from '../helpers/customers.js';
import { envelope, expectFault, faultOf, payloadOf, postSoap, text, VERSIONS, type SoapAnswer, type Version } from '../helpers/soap-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { customerDoc, expectServiceFault, field, request, sendXml } from '../helpers/xml-client.js';

const ISS = 'https://issuer.example.com/';
const AUD = 'crm-bridge';
const USERS = WRITER_AND_READER;

function soapOp(server: TestServer, version: Version, op: string, inner: string, header = '', headers: Record<string, string> = {}): Promise<SoapAnswer> {
  return postSoap(server.soapUrl, version, envelope(version, `<c:${op}>${inner}</c:${op}>`, header), { action: `${NS.crm}/${op}`, headers });
}

/** What a refusal must not change: the customers, their versions, the change log. */
function storeState(server: TestServer): string {
  return JSON.stringify([
    server.db.prepare('SELECT count(*) AS n, coalesce(sum(version), 0) AS v FROM customers').get(),
    server.db.prepare('SELECT count(*) AS n FROM change_log').get(),
  ]);
}

describe('authentication and authorisation on every channel (auth on)', function () {
  this.timeout(30000);
  let server: TestServer;
  let privateKey: CryptoKey;
  let customerId: string;

  const jwt = (scope: string | undefined, opts: { exp?: number; sub?: string } = {}): Promise<string> => {
    const t = new SignJWT(scope === undefined ? {} : { scope }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISS).setAudience(AUD)
      .setSubject(opts.sub ?? 'svc-client').setIssuedAt().setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600);
    return t.sign(privateKey);
  };

  /** `run` is refused (as `check` says) and the store is as before. */
  async function unchanged<T>(run: () => Promise<T>): Promise<T> {
    const before = storeState(server);
    const answer = await run();
    expect(storeState(server)).to.equal(before);
    return answer;
  }

  before(async () => {
    const dataDir = tempDir('crm-auth-');
    await writeUsers(dataDir, USERS);
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwks = path.join(dataDir, 'jwks.json');
    fs.writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
    server = await startServer({ CRM_DATA_DIR: dataDir, CRM_JWT_JWKS: jwks, CRM_JWT_ISSUER: ISS, CRM_JWT_AUDIENCE: AUD });
    const created = await soapOp(server, '1.1', 'CreateCustomer', minimalCustomer('Seeded'), securityHeader('1.1', 'erp', USERS.erp.password));
    customerId = text(payloadOf(created), 'c:customer/c:id') ?? '';
    expect(customerId).to.not.equal('');
  });
  after(async () => { await server.close(); });

  for (const version of VERSIONS) {
    describe(`SOAP ${version}`, () => {
      it('refuses a call without credentials as UNAUTHORIZED, a SOAP fault with SOAP\'s status, changing nothing', async () => {
        const answer = await unchanged(() => soapOp(server, version, 'CreateCustomer', minimalCustomer()));
        expect(expectFault(answer, version, 'UNAUTHORIZED').message).to.equal(AUTHENTICATION_FAILED);
        expect(answer.headers.get('www-authenticate')).to.equal(null);
      });

      it('serves a writer\'s PasswordText token with mustUnderstand, and a reader\'s PasswordDigest token', async () => {
        const created = await soapOp(server, version, 'CreateCustomer', minimalCustomer('By text'), securityHeader(version, 'erp', USERS.erp.password));
        expect(text(payloadOf(created), 'c:customer/c:name')).to.equal('By text');
        const read = await soapOp(server, version, 'GetCustomer', `<c:id>${customerId}</c:id>`, securityHeader(version, 'reports', USERS.reports.password, { digest: true }));
        expect(text(payloadOf(read), 'c:customer/c:id')).to.equal(customerId);
      });

      it('refuses a nonce sent again, a Created over 5 minutes old and one over 60 s ahead', async () => {
        const header = securityHeader(version, 'erp', USERS.erp.password, { digest: true });
        const get = (h: string): Promise<SoapAnswer> => soapOp(server, version, 'GetCustomer', `<c:id>${customerId}</c:id>`, h);
        payloadOf(await get(header));
        expectFault(await unchanged(() => get(header)), version, 'UNAUTHORIZED');
        const stale = new Date(Date.now() - 6 * 60_000).toISOString();
        const ahead = new Date(Date.now() + 2 * 60_000).toISOString();
        expectFault(await get(securityHeader(version, 'erp', USERS.erp.password, { digest: true, created: stale })), version, 'UNAUTHORIZED');
        expectFault(await get(securityHeader(version, 'erp', USERS.erp.password, { digest: true, created: ahead })), version, 'UNAUTHORIZED');
        // A PasswordText token's own Created is checked as a digest's.
        expectFault(await get(securityHeader(version, 'erp', USERS.erp.password, { created: stale }).replace('</wsse:Password>', `</wsse:Password><wsu:Created>${stale}</wsu:Created>`)), version, 'UNAUTHORIZED');
      });

      it('refuses a reader\'s write as FORBIDDEN, an invalid one too (before validation), changing nothing', async () => {
        const reader = securityHeader(version, 'reports', USERS.reports.password);
        expectFault(await unchanged(() => soapOp(server, version, 'CreateCustomer', minimalCustomer(), reader)), version, 'FORBIDDEN');
        const invalid = securityHeader(version, 'reports', USERS.reports.password, { digest: true });
        expectFault(await unchanged(() => soapOp(server, version, 'CreateCustomer', '<c:customer><c:bogus/></c:customer>', invalid)), version, 'FORBIDDEN');
        expectFault(await unchanged(() => soapOp(server, version, 'DeleteCustomer', `<c:id>${customerId}</c:id>`, securityHeader(version, 'reports', USERS.reports.password))), version, 'FORBIDDEN');
      });

      it('answers an unknown user and a wrong password identically (text and digest)', async () => {
        const bodies: string[] = [];
        for (const [user, password, digest] of [['nobody', 'x', false], ['erp', 'wrong', false], ['nobody', 'x', true], ['erp', 'wrong', true]] as const) {
          const answer = await unchanged(() => soapOp(server, version, 'CreateCustomer', minimalCustomer(), securityHeader(version, user, password, { digest })));
          expectFault(answer, version, 'UNAUTHORIZED');
          bodies.push(`${answer.status} ${answer.text}`);
        }
        expect(new Set(bodies).size).to.equal(1);
      });

      it('takes HTTP Basic and Bearer; sent both, a token and a header must both verify and the token\'s user is the caller', async () => {
        const get = `<c:id>${customerId}</c:id>`;
        payloadOf(await soapOp(server, version, 'CreateCustomer', minimalCustomer('By Basic'), '', { authorization: basic('erp', USERS.erp.password) }));
        payloadOf(await soapOp(server, version, 'GetCustomer', get, '', { authorization: `Bearer ${await jwt('crm.read')}` }));
        expectFault(await soapOp(server, version, 'CreateCustomer', minimalCustomer(), '', { authorization: `Bearer ${await jwt('crm.read')}` }), version, 'FORBIDDEN');
        // A reader's header with a writer's token: the token decides.
        payloadOf(await soapOp(server, version, 'CreateCustomer', minimalCustomer('Both'), securityHeader(version, 'erp', USERS.erp.password), { authorization: basic('reports', USERS.reports.password) }));
        // A writer's header with a reader's token: still the reader.
        expectFault(await unchanged(() => soapOp(server, version, 'CreateCustomer', minimalCustomer(), securityHeader(version, 'reports', USERS.reports.password), { authorization: basic('erp', USERS.erp.password) })), version, 'FORBIDDEN');
        // Either one wrong: refused.
        expectFault(await unchanged(() => soapOp(server, version, 'CreateCustomer', minimalCustomer(), securityHeader(version, 'erp', USERS.erp.password), { authorization: basic('erp', 'wrong') })), version, 'UNAUTHORIZED');
        expectFault(await unchanged(() => soapOp(server, version, 'CreateCustomer', minimalCustomer(), securityHeader(version, 'erp', 'wrong'), { authorization: basic('erp', USERS.erp.password) })), version, 'UNAUTHORIZED');
      });
    });
  }

  describe('/xml', () => {
    const customers = (): string => `${server.url}/xml/customers`;

    it('answers 401 with a Basic and a Bearer challenge without credentials, changing nothing', async () => {
      const answer = await unchanged(() => sendXml(customers(), 'POST', customerDoc('<type>PERSON</type><name>Anon</name>')));
      expect(expectServiceFault(answer, 401, 'UNAUTHORIZED').message).to.equal(AUTHENTICATION_FAILED);
      expect(answer.headers.get('www-authenticate')).to.equal('Basic realm="crm-bridge", Bearer realm="crm-bridge"');
      expectServiceFault(await request(`${customers()}/${customerId}`), 401, 'UNAUTHORIZED');
      expectServiceFault(await request(`${server.url}/xml/export`), 401, 'UNAUTHORIZED');
    });

    it('lets a reader GET (a customer, a search, the export) and answers its writes 403, an invalid one too', async () => {
      const auth = { authorization: basic('reports', USERS.reports.password) };
      expect((await request(`${customers()}/${customerId}`, { headers: auth })).status).to.equal(200);
      expect((await request(`${customers()}?limit=1`, { headers: auth })).status).to.equal(200);
      const exported = await fetch(`${server.url}/xml/export`, { headers: auth });
      expect(exported.status).to.equal(200);
      await exported.text();
      expectServiceFault(await unchanged(() => sendXml(customers(), 'POST', customerDoc('<type>PERSON</type><name>R</name>'), auth)), 403, 'FORBIDDEN');
      expectServiceFault(await unchanged(() => sendXml(customers(), 'POST', customerDoc('<bogus/>'), auth)), 403, 'FORBIDDEN');
      expectServiceFault(await unchanged(() => request(`${customers()}/${customerId}`, { method: 'DELETE', headers: auth })), 403, 'FORBIDDEN');
      const batch = `<CustomerBatch xmlns="${NS.crm}"><customer><externalId>R-1</externalId><type>PERSON</type><name>R</name></customer></CustomerBatch>`;
      expectServiceFault(await unchanged(() => sendXml(`${server.url}/xml/batches`, 'POST', batch, auth)), 403, 'FORBIDDEN');
    });

    it('lets a writer write with Basic or a crm.write token; a token without a crm.* scope is 403, an expired one 401', async () => {
      const byBasic = await sendXml(customers(), 'POST', customerDoc('<type>PERSON</type><name>W</name>'), { authorization: basic('erp', USERS.erp.password) });
      expect(byBasic.status, byBasic.text).to.equal(201);
      const byToken = await sendXml(customers(), 'POST', customerDoc('<type>PERSON</type><name>T</name>'), { authorization: `Bearer ${await jwt('openid crm.write')}` });
      expect(byToken.status, byToken.text).to.equal(201);
      expect(field(byToken, '/c:Customer/c:name')).to.equal('T');
      expectServiceFault(await unchanged(async () => sendXml(customers(), 'POST', customerDoc('<type>PERSON</type><name>X</name>'), { authorization: `Bearer ${await jwt('openid profile')}` })), 403, 'FORBIDDEN');
      expectServiceFault(await unchanged(async () => request(`${customers()}/${customerId}`, { headers: { authorization: `Bearer ${await jwt(undefined)}` } })), 403, 'FORBIDDEN');
      const expired = await jwt('crm.write', { exp: Math.floor(Date.now() / 1000) - 3600 });
      const answer = await unchanged(() => sendXml(customers(), 'POST', customerDoc('<type>PERSON</type><name>X</name>'), { authorization: `Bearer ${expired}` }));
      expect(expectServiceFault(answer, 401, 'UNAUTHORIZED').message).to.equal(AUTHENTICATION_FAILED);
    });

    it('answers an unknown user, a wrong password, a bad token and an unreadable header identically, and logs why', async () => {
      const bodies = new Set<string>();
      for (const authorization of [basic('nobody', 'x'), basic('erp', 'wrong'), 'Bearer not.a.token', 'Digest abc']) {
        const answer = await unchanged(() => request(`${customers()}/${customerId}`, { headers: { authorization } }));
        expect(expectServiceFault(answer, 401, 'UNAUTHORIZED').message).to.equal(AUTHENTICATION_FAILED);
        bodies.add(`${answer.status} ${answer.headers.get('www-authenticate') ?? ''} ${answer.text}`);
      }
      expect(bodies.size).to.equal(1);
      const reasons = server.logs.filter((l) => l['msg'] === 'request refused').map((l) => l['reason']);
      expect(reasons).to.include.members(['unknown user', 'wrong password']);
      expect(server.logs.find((l) => l['reason'] === 'wrong password')?.['requestId']).to.be.a('string');
    });
  });

  describe('the other routes', () => {
    it('keeps /health, /metrics, the WSDL and the XSD open; /exchange (paths and hosts) needs a reader', async () => {
      expect((await fetch(`${server.url}/health`)).status).to.equal(200);
      expect((await fetch(`${server.url}/metrics`)).status).to.equal(200);
      expect((await fetch(`${server.soapUrl}?wsdl`)).status).to.equal(200);
      expect((await fetch(`${server.soapUrl}?xsd=customer.xsd`)).status).to.equal(200);
      const refused = await request(`${server.url}/exchange`);
      expectServiceFault(refused, 401, 'UNAUTHORIZED');
      expect(refused.headers.get('www-authenticate')).to.contain('Basic realm="crm-bridge"');
      expect((await fetch(`${server.url}/exchange`, { headers: { authorization: basic('reports', USERS.reports.password) } })).status).to.equal(200);
    });
  });
});

describe('authentication: restarts, the users file, metrics', function () {
  this.timeout(30000);

  it('refuses a nonce replayed after a restart on the same database', async () => {
    const dataDir = tempDir('crm-auth-restart-');
    await writeUsers(dataDir, { erp: { password: 'pw', role: 'writer' } });
    const header = securityHeader('1.2', 'erp', 'pw', { digest: true });
    const first = await startServer({ CRM_DATA_DIR: dataDir });
    try {
      payloadOf(await soapOp(first, '1.2', 'CreateCustomer', minimalCustomer('Once'), header));
    } finally {
      await first.close();
    }
    const again = await startServer({ CRM_DATA_DIR: dataDir });
    try {
      const before = storeState(again);
      expectFault(await soapOp(again, '1.2', 'CreateCustomer', minimalCustomer('Twice'), header), '1.2', 'UNAUTHORIZED');
      expect(storeState(again)).to.equal(before);
    } finally {
      await again.close();
    }
  });

  it('picks up a users file change within 5 s: a first user turns auth on, a new one may call, a removed one may not', async () => {
    const dataDir = tempDir('crm-auth-reload-');
    const server = await startServer({ CRM_DATA_DIR: dataDir });
    try {
      const anonymous = (): Promise<SoapAnswer> => soapOp(server, '1.1', 'GetChanges', '<c:since/>');
      payloadOf(await anonymous());
      const within5s = async (what: string, done: () => Promise<boolean>): Promise<number> => {
        const start = Date.now();
        while (!(await done())) {
          if (Date.now() - start > 5000) throw new Error(`not within 5 s: ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return Date.now() - start;
      };
      await writeUsers(dataDir, { erp: { password: 'pw', role: 'writer' } });
      await within5s('auth on', async () => (await anonymous()).text.includes('<code>UNAUTHORIZED</code>'));
      const asNewcomer = (): Promise<Response> => fetch(`${server.url}/xml/customers?limit=1`, { headers: { authorization: basic('newcomer', 'pw2') } });
      expect((await asNewcomer()).status).to.equal(401);
      await writeUsers(dataDir, { erp: { password: 'pw', role: 'writer' }, newcomer: { password: 'pw2', role: 'reader' } });
      await within5s('a new user', async () => (await asNewcomer()).status === 200);
      await writeUsers(dataDir, { erp: { password: 'pw', role: 'writer' } });
      await within5s('a removed user', async () => (await asNewcomer()).status === 401);
    } finally {
      await server.close();
    }
  });

  it('puts /metrics behind a reader with CRM_METRICS_AUTH=on', async () => {
    const dataDir = tempDir('crm-auth-metrics-');
    await writeUsers(dataDir, { reports: { password: 'pw', role: 'reader' } });
    const server = await startServer({ CRM_DATA_DIR: dataDir, CRM_METRICS_AUTH: 'on' });
    try {
      expectServiceFault(await request(`${server.url}/metrics`), 401, 'UNAUTHORIZED');
      expect((await fetch(`${server.url}/metrics`, { headers: { authorization: basic('reports', 'pw') } })).status).to.equal(200);
      expect((await fetch(`${server.url}/health`)).status).to.equal(200);
    } finally {
      await server.close();
    }
  });
});

describe('auth off (no users, no tokens): v1 behaviour', function () {
  this.timeout(30000);
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  for (const version of VERSIONS) {
    it(`SOAP ${version}: a Security header with mustUnderstand is not processed, so it is refused (MustUnderstand); without it, ignored`, async () => {
      const before = storeState(server);
      const must = await soapOp(server, version, 'CreateCustomer', minimalCustomer(), securityHeader(version, 'erp', 'pw'));
      expect(must.status).to.equal(500);
      const f = faultOf(must);
      expect(f.soapCode).to.equal('MustUnderstand');
      expect(f.message).to.contain(`{${WSSE}}Security`);
      expect(storeState(server)).to.equal(before);
      payloadOf(await soapOp(server, version, 'CreateCustomer', minimalCustomer('Ignored'), securityHeader(version, 'erp', 'pw', { mustUnderstand: false })));
    });
  }

  it('ignores an Authorization header, even one that cannot be read, and keeps /exchange open', async () => {
    const answer = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc('<type>PERSON</type><name>V1</name>'), { authorization: 'Digest whatever' });
    expect(answer.status, answer.text).to.equal(201);
    expect((await fetch(`${server.url}/exchange`)).status).to.equal(200);
  });
});
