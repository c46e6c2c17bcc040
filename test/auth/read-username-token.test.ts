// readUsernameToken: the WS-Security 1.0 UsernameToken out of a SOAP 1.1 or
// 1.2 header, whatever prefixes the sender chose; a Security header that
// cannot be read is UNAUTHORIZED.
import { expect } from 'chai';
import { readUsernameToken, PASSWORD_DIGEST, PASSWORD_TEXT, BASE64_BINARY, WSSE_NS, WSU_NS } from '../../src/envelope/read-username-token.js';
import { SOAP11, SOAP12, type SoapVersion } from '../../src/envelope/soap-version.js';
import { UnauthorizedError } from '../../src/errors.js';
import { childElements, type XmlDocument } from '../../src/xml/dom.js';
import { parseXml } from '../../src/xml/parse-xml.js';

function headersOf(version: SoapVersion, header: string): { doc: XmlDocument; headers: ReturnType<typeof childElements> } {
  const doc = parseXml(Buffer.from(`<e:Envelope xmlns:e="${version.envelopeNs}"><e:Header>${header}</e:Header><e:Body><x/></e:Body></e:Envelope>`));
  const head = childElements(doc.root)[0];
  if (head === undefined) throw new Error('no header');
  return { doc, headers: childElements(head) };
}

function read(version: SoapVersion, header: string): ReturnType<typeof readUsernameToken> {
  const { doc, headers } = headersOf(version, header);
  try {
    return readUsernameToken(headers, version);
  } finally {
    doc.dispose();
  }
}

const security = (inner: string, attrs = ''): string => `<s:Security xmlns:s="${WSSE_NS}" xmlns:u="${WSU_NS}"${attrs}>${inner}</s:Security>`;
const token = (inner: string): string => security(`<s:UsernameToken u:Id="UT-1">${inner}</s:UsernameToken>`);

describe('readUsernameToken', () => {
  for (const version of [SOAP11, SOAP12]) {
    it(`reads a PasswordDigest token with Nonce and Created (SOAP ${version.name}, mustUnderstand, any prefixes)`, () => {
      const got = read(version, security(
        `<s:UsernameToken><s:Username> alice </s:Username><s:Password Type="${PASSWORD_DIGEST}">6S3P2EWNP3lQf+9VC3emNoT57oQ=</s:Password>` +
          `<s:Nonce EncodingType="${BASE64_BINARY}">YF6j8V/CAqi+1nRsGLRbuZhi</s:Nonce><u:Created>2008-04-28T10:02:11Z</u:Created></s:UsernameToken>`,
        ` xmlns:e2="${version.envelopeNs}" e2:mustUnderstand="1"`,
      ));
      expect(got).to.deep.equal({
        kind: 'username-token', username: 'alice', password: '6S3P2EWNP3lQf+9VC3emNoT57oQ=', passwordType: 'digest',
        nonce: 'YF6j8V/CAqi+1nRsGLRbuZhi', created: '2008-04-28T10:02:11Z',
      });
    });
  }

  it('takes a Password without Type, or with PasswordText, as text, keeping its spaces', () => {
    expect(read(SOAP11, token('<s:Username>bob</s:Username><s:Password> pw </s:Password>'))).to.include({ passwordType: 'text', password: ' pw ' });
    expect(read(SOAP11, token(`<s:Username>bob</s:Username><s:Password Type="${PASSWORD_TEXT}">pw</s:Password>`))).to.include({ passwordType: 'text', nonce: undefined, created: undefined });
  });

  it('finds nothing in a message without Security, or a Security without UsernameToken, or one for another actor', () => {
    expect(read(SOAP11, '<other xmlns="urn:x"/>')).to.equal(undefined);
    expect(read(SOAP11, security(`<u:Timestamp><u:Created>2026-12-05T12:00:00Z</u:Created></u:Timestamp>`))).to.equal(undefined);
    expect(read(SOAP11, security('<s:UsernameToken><s:Username>a</s:Username><s:Password>p</s:Password></s:UsernameToken>', ` xmlns:e2="${SOAP11.envelopeNs}" e2:actor="urn:someone-else"`))).to.equal(undefined);
  });

  it('refuses as UNAUTHORIZED what it cannot read', () => {
    const bad = [
      token('<s:Username>a</s:Username>'),
      token('<s:Password>p</s:Password>'),
      token('<s:Username>a</s:Username><s:Password Type="urn:other">p</s:Password>'),
      token('<s:Username>a</s:Username><s:Password>p</s:Password><s:Password>q</s:Password>'),
      token('<s:Username>a</s:Username><s:Password>p</s:Password><s:Nonce EncodingType="urn:hex">00</s:Nonce>'),
      security('<s:UsernameToken><s:Username>a</s:Username><s:Password>p</s:Password></s:UsernameToken><s:UsernameToken/>'),
      token('<s:Username>a</s:Username><s:Password>p</s:Password>') + token('<s:Username>b</s:Username><s:Password>p</s:Password>'),
    ];
    for (const header of bad) expect(() => read(SOAP12, header), header).to.throw(UnauthorizedError);
  });
});
