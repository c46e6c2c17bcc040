// The bench's own WS-Security UsernameToken header and Basic header
// (bench/wsse-header.ts): what the service reads out of them is what the
// bench meant to send, and the digest is the profile's, checked against a
// value computed outside Node (openssl) and against the service's own.
import { expect } from 'chai';
import { readAuthorization } from '../../src/auth/authorization-header.js';
import { passwordDigest as serviceDigest } from '../../src/auth/username-token.js';
import { readUsernameToken } from '../../src/envelope/read-username-token.js';
import { SOAP11 } from '../../src/envelope/soap-version.js';
import { childElements } from '../../src/xml/dom.js';
import { parseXml } from '../../src/xml/parse-xml.js';
import { basicAuthorization, passwordDigest, usernameTokenHeader } from '../../bench/wsse-header.js';
import { getCustomerById } from '../../bench/soap-requests.js';

const NONCE = Buffer.from([...Array(16).keys()]);
const CREATED = '2024-05-01T12:00:00.000Z';

/** The UsernameToken the service reads out of a GetCustomer envelope carrying `header`. */
function readToken(header: string): ReturnType<typeof readUsernameToken> {
  const doc = parseXml(Buffer.from(getCustomerById('c-1', header)));
  try {
    const head = childElements(doc.root).find((e) => e.name === 'Header');
    if (head === undefined) throw new Error('the envelope has no Header');
    return readUsernameToken(childElements(head), SOAP11);
  } finally {
    doc.dispose();
  }
}

describe('bench: WS-Security UsernameToken and Basic headers', () => {
  it('digests the nonce bytes, Created and the UTF-8 password as openssl does', () => {
    // printf '\x00..\x0f2024-05-01T12:00:00.000Zsécret' | openssl sha1 -binary | base64
    expect(passwordDigest(NONCE, CREATED, 'sécret')).to.equal('03tnUN9Yc1cFmvvwu82Q38YtiW8=');
  });

  it('sends a PasswordDigest token the service reads back with its nonce, Created and the digest it computes itself', () => {
    const token = readToken(usernameTokenHeader({ user: 'erp', password: 'sécret', type: 'digest', nonce: NONCE, created: CREATED }));
    expect(token).to.include({ username: 'erp', passwordType: 'digest', nonce: 'AAECAwQFBgcICQoLDA0ODw==', created: CREATED });
    expect(token?.password).to.equal(serviceDigest(NONCE, CREATED, 'sécret'));
  });

  it('makes a new nonce and a current Created for every digest token', () => {
    const a = readToken(usernameTokenHeader({ user: 'erp', password: 'p', type: 'digest' }));
    const b = readToken(usernameTokenHeader({ user: 'erp', password: 'p', type: 'digest' }));
    expect(a?.nonce).to.not.equal(b?.nonce);
    expect(Buffer.from(a?.nonce ?? '', 'base64')).to.have.length(16);
    expect(Math.abs(Date.parse(a?.created ?? '') - Date.now())).to.be.below(5000);
  });

  it('sends a PasswordText token with the password as written, markup escaped, and no nonce', () => {
    const token = readToken(usernameTokenHeader({ user: 'erp', password: 'a<b&"c"', type: 'text' }));
    expect(token).to.include({ username: 'erp', passwordType: 'text', password: 'a<b&"c"' });
    expect(token?.nonce).to.equal(undefined);
    expect(token?.created).to.equal(undefined);
  });

  it('writes HTTP Basic the service reads back, a colon in the password kept', () => {
    expect(readAuthorization(basicAuthorization('erp', 'pa:ss wörd'))).to.deep.include({ kind: 'basic', username: 'erp', password: 'pa:ss wörd' });
  });
});
