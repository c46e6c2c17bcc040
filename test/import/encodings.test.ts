// A CustomerBatch in any encoding XML allows a processor to read (XML 1.0
// 4.3.3): UTF-8 and UTF-16 with or without a byte-order mark, and the
// single-byte encodings legacy ERPs write (ISO-8859-1, windows-1252), named by
// the declaration. Bytes that are not the document's encoding, a declaration
// that disagrees with the byte-order mark, and constructs too large to be a
// record refuse the whole file, at their line and column, storing nothing.
import { expect } from 'chai';
import { expectServiceFault, request, type XmlAnswer } from '../helpers/xml-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { text } from '../helpers/soap-client.js';
import type { Element } from 'libxmljs2';
import { NS } from '../../src/xml/namespaces.js';

const customer = (ext: string, name: string): string =>
  `<customer><externalId>${ext}</externalId><type>PERSON</type><name>${name}</name></customer>`;

function post(server: TestServer, body: Buffer): Promise<XmlAnswer> {
  return request(`${server.url}/xml/batches`, { method: 'POST', body, headers: { 'content-type': 'application/xml' } });
}

async function storedName(server: TestServer, externalId: string): Promise<string | undefined> {
  const answer = await request(`${server.url}/xml/customers?externalId=${externalId}`);
  return text(answer.doc?.root() as Element, 'c:customer/c:name');
}

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
  return le;
}

describe('POST /xml/batches: encodings and limits', function () {
  this.timeout(30000);
  let server: TestServer;
  beforeEach(async () => { server = await startServer(); });
  afterEach(async () => { await server.close(); });

  const doc = (declaration: string, names: string[]): string =>
    `${declaration}\n<CustomerBatch xmlns="${NS.crm}">\n${names.map((n, i) => customer(`E-${i + 1}`, n)).join('\n')}\n</CustomerBatch>\n`;

  const readable: [string, () => Buffer][] = [
    ['UTF-16LE with a byte-order mark', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('<?xml version="1.0" encoding="UTF-16"?>', ['Zoë Ærø', 'Jörg 𝄞']), 'utf16le')])],
    ['UTF-16BE with a byte-order mark', () => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(doc('<?xml version="1.0" encoding="UTF-16"?>', ['Zoë Ærø', 'Jörg 𝄞']))])],
    ['UTF-16LE without a byte-order mark', () => Buffer.from(doc('<?xml version="1.0" encoding="UTF-16"?>', ['Zoë Ærø', 'Jörg 𝄞']), 'utf16le')],
    ['ISO-8859-1 as declared', () => Buffer.from(doc('<?xml version="1.0" encoding="ISO-8859-1"?>', ['Zoë Ærø', 'Jörg Müller']), 'latin1')],
  ];
  for (const [what, body] of readable) {
    it(`imports a batch in ${what}, every character as sent`, async () => {
      const answer = await post(server, body());
      expect(answer.status, answer.text).to.equal(200);
      expect(await storedName(server, 'E-1')).to.equal('Zoë Ærø');
      expect(await storedName(server, 'E-2')).to.match(/^Jörg (𝄞|Müller)$/);
    });
  }

  it('refuses bytes that are not UTF-8 at their line and column, storing nothing (never a U+FFFD in a stored name)', async () => {
    const body = Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n${customer('E-1', 'Fine')}\n<customer><externalId>E-2</externalId><type>PERSON</type><name>M`),
      Buffer.from([0xfc]), // ü in ISO-8859-1: not UTF-8
      Buffer.from(`ller</name></customer>\n</CustomerBatch>\n`),
    ]);
    const fault = expectServiceFault(await post(server, body), 400, 'MALFORMED_XML');
    expect(fault.message).to.contain('not utf-8');
    expect(fault.errors[0]).to.deep.include({ line: 4, column: 65 });
    expect(await storedName(server, 'E-1')).to.equal(undefined);
  });

  it('refuses a declaration that disagrees with the byte-order mark, and an encoding it cannot read', async () => {
    const mismatch = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc('<?xml version="1.0" encoding="UTF-8"?>', ['A']), 'utf16le')]);
    expect(expectServiceFault(await post(server, mismatch), 400, 'MALFORMED_XML').message).to.contain('names encoding UTF-8, but the document reads as utf-16le');
    const unknown = Buffer.from(doc('<?xml version="1.0" encoding="X-ERP-7BIT"?>', ['A']));
    expect(expectServiceFault(await post(server, unknown), 400, 'MALFORMED_XML').message).to.contain('encoding X-ERP-7BIT is not supported');
  });

  it("refuses '--' inside a comment between records at its place", async () => {
    const body = Buffer.from(`<CustomerBatch xmlns="${NS.crm}">\n${customer('E-1', 'A')}\n<!-- a -- b -->\n</CustomerBatch>`);
    expect(expectServiceFault(await post(server, body), 400, 'MALFORMED_XML').errors[0]).to.deep.include({ line: 3, column: 8 });
  });

  it('refuses a record left open (an unclosed comment) with PAYLOAD_TOO_LARGE once it passes 1 MiB, naming where it starts, storing nothing', async () => {
    const good = Array.from({ length: 8000 }, (_, i) => customer(`L-${i}`, `Name ${i}`)).join('\n');
    const body = Buffer.from(`<CustomerBatch xmlns="${NS.crm}">\n${customer('E-1', 'A')}\n<customer><!-- never closed\n${good}\n${good}\n</CustomerBatch>\n`);
    expect(body.length).to.be.greaterThan(1024 * 1024);
    const fault = expectServiceFault(await post(server, body), 413, 'PAYLOAD_TOO_LARGE');
    expect(fault.message).to.match(/^The record starting at line 3, column 1 is larger than 1048576 characters/);
    expect(await storedName(server, 'E-1')).to.equal(undefined);
  });
});
