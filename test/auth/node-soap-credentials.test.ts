// What a real client sends, read and verified: node-soap's WSSecurity
// (PasswordDigest with Nonce and Created, PasswordText, on SOAP 1.1 with
// mustUnderstand and on SOAP 1.2), its BasicAuthSecurity and BearerSecurity
// headers, through the readers and verifiers the service will use.
import { expect } from 'chai';
import soap from 'soap';
import { DigestKey } from '../../src/auth/digest-key.js';
import { readAuthorization } from '../../src/auth/authorization-header.js';
import { PasswordChecker } from '../../src/auth/password-checker.js';
import { hashPassword } from '../../src/auth/password-hash.js';
import type { UserEntry } from '../../src/auth/users-file.js';
import { UsernameTokenVerifier } from '../../src/auth/username-token.js';
import { readUsernameToken } from '../../src/envelope/read-username-token.js';
import { SOAP11, SOAP12, type SoapVersion } from '../../src/envelope/soap-version.js';
import { UnauthorizedError } from '../../src/errors.js';
import { MemoryNonceLedger } from '../../src/store/memory-nonce-ledger.js';
import { childElements } from '../../src/xml/dom.js';
import { parseXml } from '../../src/xml/parse-xml.js';

const PARAMS = { ln: 4, r: 8, p: 1 };
const PASSWORD = 'Pässword & <more>';

function tokenIn(version: SoapVersion, securityXml: string): ReturnType<typeof readUsernameToken> {
  const doc = parseXml(Buffer.from(`<soap:Envelope xmlns:soap="${version.envelopeNs}"><soap:Header>${securityXml}</soap:Header><soap:Body><x/></soap:Body></soap:Envelope>`));
  try {
    const header = childElements(doc.root)[0];
    return readUsernameToken(header === undefined ? [] : childElements(header), version);
  } finally {
    doc.dispose();
  }
}

describe('credentials as node-soap sends them', () => {
  const key = DigestKey.ephemeral();
  let users: Map<string, UserEntry>;
  let verifier: UsernameTokenVerifier;
  before(async () => {
    users = new Map([['erp', { role: 'writer', passwordHash: await hashPassword(PASSWORD, PARAMS), digestSecret: key.seal('erp', PASSWORD) }]]);
    verifier = new UsernameTokenVerifier(() => users, new PasswordChecker(() => users, { dummyParams: PARAMS }), () => key, new MemoryNonceLedger(), { digest: true });
  });

  for (const [version, options] of [[SOAP11, { mustUnderstand: true }], [SOAP12, {}]] as const) {
    it(`verifies its WSSecurity PasswordDigest on SOAP ${version.name}, once`, async () => {
      const xml = new soap.WSSecurity('erp', PASSWORD, { passwordType: 'PasswordDigest', ...options }).toXML();
      const token = tokenIn(version, xml);
      expect(token?.passwordType).to.equal('digest');
      if (token === undefined) throw new Error('no token');
      expect(await verifier.verify(token)).to.deep.equal({ name: 'erp', role: 'writer', provenBy: 'username-token' });
      const replay = await verifier.verify(token).then(() => undefined, (e: unknown) => e);
      expect(replay).to.be.instanceOf(UnauthorizedError);
    });
  }

  it('verifies its WSSecurity PasswordText, with and without a nonce, and refuses a wrong password', async () => {
    for (const hasNonce of [false, true]) {
      const token = tokenIn(SOAP11, new soap.WSSecurity('erp', PASSWORD, { passwordType: 'PasswordText', hasNonce }).toXML());
      if (token === undefined) throw new Error('no token');
      expect((await verifier.verify(token)).name).to.equal('erp');
    }
    const wrong = tokenIn(SOAP11, new soap.WSSecurity('erp', 'guess', { passwordType: 'PasswordDigest' }).toXML());
    if (wrong === undefined) throw new Error('no token');
    expect(await verifier.verify(wrong).then(() => undefined, (e: unknown) => e)).to.be.instanceOf(UnauthorizedError);
  });

  it('reads its BasicAuthSecurity and BearerSecurity headers', () => {
    const basic: Record<string, string> = {};
    new soap.BasicAuthSecurity('erp', PASSWORD).addHeaders(basic);
    expect(readAuthorization(basic['Authorization'])).to.deep.equal({ kind: 'basic', username: 'erp', password: PASSWORD });
    const bearer: Record<string, string> = {};
    new soap.BearerSecurity('eyJhbGciOiJFUzI1NiJ9.e30.c2ln').addHeaders(bearer);
    expect(readAuthorization(bearer['Authorization'])).to.deep.equal({ kind: 'bearer', token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' });
  });
});
