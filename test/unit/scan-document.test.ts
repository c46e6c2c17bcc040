// scanDocument: bytes in, records out. A file's chunks are decoded in pieces
// smaller than the chunk, so a character's UTF-8 bytes can be split at a
// piece boundary inside a chunk as well as between chunks.
import { expect } from 'chai';
import { PIECE_BYTES, scanDocument } from '../../src/import/scan-document.js';
import type { RawRecord } from '../../src/xml/record-scanner.js';
import { NS } from '../../src/xml/namespaces.js';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n`;

/** A document whose 4-, 3- and 2-byte characters start one byte before each of the first three piece boundaries. */
function straddlingDocument(): { doc: Buffer; records: string[] } {
  const records: string[] = [];
  let bytes = Buffer.byteLength(HEAD);
  const add = (record: string): void => {
    records.push(record);
    bytes += Buffer.byteLength(record) + 1;
  };
  ['\u{1D11E}', '\u20AC', '\u00E9'].forEach((char, k) => {
    const boundary = (k + 1) * PIECE_BYTES;
    while (bytes + 300 < boundary) add(`<customer><externalId>P-${records.length}</externalId><name>Ünïcödé ${records.length}</name></customer>`);
    const before = `<customer><externalId>S-${k}</externalId><name>`;
    const pad = boundary - 1 - bytes - Buffer.byteLength(before);
    add(`${before}${'p'.repeat(pad)}${char}</name></customer>`);
  });
  add('<customer><externalId>last</externalId></customer>');
  return { doc: Buffer.from(`${HEAD}${records.join('\n')}\n</CustomerBatch>\n`), records };
}

async function scanned(chunks: Buffer[]): Promise<RawRecord[]> {
  async function* input(): AsyncGenerator<Buffer> {
    yield* chunks;
  }
  const out: RawRecord[] = [];
  for await (const found of scanDocument(input())) out.push(...found);
  return out;
}

describe('scanDocument (both passes of a streamed import)', () => {
  const { doc, records } = straddlingDocument();

  it('splits no character at a piece boundary inside one large chunk', async () => {
    for (const k of [1, 2, 3]) expect(doc[k * PIECE_BYTES - 1], `a lead byte before boundary ${k}`).to.be.greaterThanOrEqual(0xc0);
    const whole = await scanned([doc]);
    expect(whole.map((r) => r.text)).to.deep.equal(records);
    // the same positions as when the bytes come a few at a time
    const small: Buffer[] = [];
    for (let i = 0; i < doc.length; i += 1000) small.push(doc.subarray(i, i + 1000));
    expect(whole).to.deep.equal(await scanned(small));
  });
});
