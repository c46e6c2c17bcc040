// What the comparison with streaming parsers (bench/scanner-compare.ts) shows
// the record scanner must keep doing to earn its place: cut every record
// intact, at the line and column where it starts, whatever markup-like text
// CDATA, comments, PIs and attribute values hold; count CRLF as one line
// end; and cut a record with a fault inside its tags or text intact, so that its own parse
// reports the fault where it is and the records after it are still read
// (saxes and libxml2's push parser stop the whole document there).
import { expect } from 'chai';
import { scanDocument } from '../../src/import/scan-document.js';
import type { RawRecord } from '../../src/xml/record-scanner.js';
import { NS } from '../../src/xml/namespaces.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const ROOT = `<CustomerBatch xmlns="${NS.crm}">`;

/** The document's records, its bytes pushed `size` at a time (so every construct straddles a chunk boundary somewhere). */
async function records(doc: string, size: number): Promise<RawRecord[]> {
  const bytes = Buffer.from(doc, 'utf8');
  async function* input(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: RawRecord[] = [];
  for await (const found of scanDocument(input())) out.push(...found);
  return out;
}

const where = (list: RawRecord[]): [number, number][] => list.map((r) => [r.line, r.column]);

describe('RecordScanner on the scanner-compare corpus', () => {
  for (const size of [1, 7, 4096]) {
    it(`cuts records intact around markup-like text in CDATA, comments, PIs and attribute values (chunks of ${size} bytes)`, async () => {
      const texts = [
        '<customer><name><![CDATA[a < b > c </customer> <customer>]]></name></customer>',
        `<customer note="a>b" other='c/>'><name x="/>">y<!-- </customer> --><?pi </customer>?></name></customer>`,
        '<customer a="/>"/>',
      ];
      const doc = `${DECL}\n${ROOT}\n<!-- <customer> -->\n<?erp <customer>?>\n${texts[0]}${texts[1]}\n<!-- <customer/> -->${texts[2]}\n</CustomerBatch>\n`;
      const found = await records(doc, size);
      expect(found.map((r) => r.text)).to.deep.equal(texts);
      expect(where(found)).to.deep.equal([[5, 1], [5, 79], [6, 21]]);
    });

    it(`counts CRLF as one line end (chunks of ${size} bytes)`, async () => {
      const doc = `${DECL}\r\n${ROOT}\r\n  <customer>\r\n    <name>x</name>\r\n  </customer>\r\n  <customer><name>y</name></customer>\r\n</CustomerBatch>\r\n`;
      const found = await records(doc, size);
      expect(where(found)).to.deep.equal([[3, 3], [6, 3]]);
      expect(found[0]?.text).to.equal('<customer>\r\n    <name>x</name>\r\n  </customer>');
    });

    it(`cuts a record with a fault inside it intact and goes on to the next (chunks of ${size} bytes)`, async () => {
      // (An end tag naming another element is no such fault: it breaks the
      // element structure, and the whole document is refused there.)
      const faulty = [
        '<customer><name>a&amp b</name></customer>', // an entity reference without ';'
        '<customer><name>a&nbsp;b</name></customer>', // undefined entity
        '<x:customer><x:name>x</x:name></x:customer>', // undeclared prefix
      ];
      const good = '<customer><name>y</name></customer>';
      const doc = `${DECL}\n${ROOT}\n${faulty.map((f) => `${f}${good}`).join('\n')}\n</CustomerBatch>\n`;
      const found = await records(doc, size);
      expect(found.map((r) => r.text)).to.deep.equal(faulty.flatMap((f) => [f, good]));
      expect(where(found)).to.deep.equal([[3, 1], [3, 42], [4, 1], [4, 43], [5, 1], [5, 44]]);
    });
  }
});
