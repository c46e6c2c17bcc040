import { expect } from 'chai';
import { MalformedXmlError, ValidationFailedError } from '../../src/errors.js';
import { RecordScanner, type RawRecord, type RootTag } from '../../src/xml/record-scanner.js';

/** Scans `doc` pushed in pieces of `size` characters (every split point is a chunk boundary somewhere). */
function scan(doc: string, size = doc.length): { root: RootTag | undefined; records: RawRecord[] } {
  let root: RootTag | undefined;
  const records: RawRecord[] = [];
  const scanner = new RecordScanner({ root: (r) => { root = r; }, record: (r) => records.push(r) });
  for (let i = 0; i < doc.length; i += size) scanner.push(doc.slice(i, i + size));
  scanner.end();
  return { root, records };
}

const DOC = `\uFEFF<?xml version="1.0" encoding="utf-8"?>
<!-- export of <CustomerBatch> -->
<?erp note?>
<b:CustomerBatch xmlns:b="urn:crm-bridge:customer:v1" batchId="a>b" mode='PARTIAL'>
  <b:customer><b:name attr="x/>y">A &amp; B</b:name><!-- </b:customer> --></b:customer>
  <b:customer>
    <b:name><![CDATA[</b:customer> <odd>]]></b:name><?pi </b:customer>?>
    <b:empty/>
  </b:customer><b:customer/>
</b:CustomerBatch>
<!-- trailer -->
`;

describe('RecordScanner (streamed batch documents)', () => {
  for (const size of [DOC.length, 1, 2, 3, 7, 64]) {
    it(`finds the root and every record with its position, in chunks of ${size}`, () => {
      const { root, records } = scan(DOC, size);
      expect(root?.text).to.equal(`<b:CustomerBatch xmlns:b="urn:crm-bridge:customer:v1" batchId="a>b" mode='PARTIAL'>`);
      expect([root?.line, root?.column]).to.deep.equal([4, 1]);
      expect(records.map((r) => [r.index, r.line, r.column])).to.deep.equal([[1, 5, 3], [2, 6, 3], [3, 9, 16]]);
      expect(records[0]?.text).to.equal('<b:customer><b:name attr="x/>y">A &amp; B</b:name><!-- </b:customer> --></b:customer>');
      expect(records[1]?.text.endsWith('<b:empty/>\n  </b:customer>')).to.equal(true);
      expect(records[2]?.text).to.equal('<b:customer/>');
    });
  }

  it('accepts an empty, self-closing batch', () => {
    expect(scan('<CustomerBatch xmlns="urn:crm-bridge:customer:v1"/>').records).to.deep.equal([]);
  });

  const malformed: [string, string, number, number][] = [
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY e "e">]><CustomerBatch/>', 1, 1],
    ['a document ending inside a record', '<CustomerBatch>\n<customer><name>x</name>', 2, 25],
    ['text after the root', '<CustomerBatch/>\ntrailing', 2, 1],
    ['a second root', '<CustomerBatch/><CustomerBatch/>', 1, 17],
    ['a wrong end tag for the root', '<CustomerBatch></Batch>', 1, 16],
    ['a declared encoding other than the one the text was decoded from', '<?xml version="1.0" encoding="ISO-8859-1"?><CustomerBatch/>', 1, 1],
    ['an unquoted "<" in a tag', '<CustomerBatch>\n  <customer a="1" <b/></customer></CustomerBatch>', 2, 19],
    ['an empty document', '', 1, 1],
    ['a markup declaration inside a record', '<CustomerBatch>\n<customer><name>x</name><!ELEMENT a ANY></customer></CustomerBatch>', 2, 25],
    ['a space after "<" inside a record', '<CustomerBatch>\n<customer><name>x</name>< b/></customer></CustomerBatch>', 2, 26],
    ['a digit after "<" inside a record', '<CustomerBatch><customer>\n  <1/></customer></CustomerBatch>', 2, 4],
    ['an end tag naming another element inside a record', '<CustomerBatch>\n<customer><name>x</nam></customer></CustomerBatch>', 2, 18],
    ['an end tag longer than the start tag it meets', '<CustomerBatch>\n<customer><name>x</names></customer></CustomerBatch>', 2, 18],
    ['a missing end tag inside a record', '<CustomerBatch>\n<customer>\n  <name>x\n</customer>\n<customer/></CustomerBatch>', 4, 1],
    ['a record closed by the end tag of another prefix', '<b:CustomerBatch xmlns:b="urn:x">\n<b:customer></c:customer></b:CustomerBatch>', 2, 13],
  ];
  for (const [what, doc, line, column] of malformed) {
    it(`refuses ${what} as MALFORMED_XML at its line and column`, () => {
      let error: unknown;
      try { scan(doc, 5); } catch (err) { error = err; }
      expect(error).to.be.instanceOf(MalformedXmlError);
      expect((error as MalformedXmlError).errors[0]).to.deep.include({ line, column });
    });
  }

  it('takes end tags with whitespace before ">" and prefixed names as closing their start tags', () => {
    const { records } = scan('<CustomerBatch>\n<b:customer xmlns:b="urn:x"><b:name\ta="1" >x</b:name\n><e/></b:customer >\n</CustomerBatch >', 3);
    expect(records.map((r) => r.text)).to.deep.equal(['<b:customer xmlns:b="urn:x"><b:name\ta="1" >x</b:name\n><e/></b:customer >']);
  });

  it('keeps positions exact on a document of one long line, and quotes a long wrong name only in part', () => {
    const record = '<customer><name>x</name></customer>';
    const doc = `<CustomerBatch>${record.repeat(2000)}<customer><${'n'.repeat(500)}>x</${'m'.repeat(500)}></customer></CustomerBatch>`;
    let error: unknown;
    try { scan(doc, 4096); } catch (err) { error = err; }
    expect(error).to.be.instanceOf(MalformedXmlError);
    const detail = (error as MalformedXmlError).errors[0];
    expect(detail).to.deep.include({ line: 1, column: doc.indexOf('</m') + 1 });
    expect((error as MalformedXmlError).message.length).to.be.lessThan(800);
  });

  it('refuses text between records as VALIDATION_FAILED (the XSD allows only records there)', () => {
    expect(() => scan('<CustomerBatch>\n  stray <customer/></CustomerBatch>')).to.throw(ValidationFailedError);
  });
});
