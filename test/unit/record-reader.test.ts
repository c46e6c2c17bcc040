// Records are parsed up to 100 to a libxml2 document (readRecords); each must
// come out exactly as if it had been parsed alone (readRecord): the customer,
// or the failure with its code, message, line and column in the whole document.
import { expect } from 'chai';
import { readRecord, readRecords } from '../../src/import/record-reader.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { RecordScanner, type RawRecord } from '../../src/xml/record-scanner.js';

const NS = 'urn:crm-bridge:customer:v1';

function recordsOf(doc: string): { namespaces: string; raws: RawRecord[] } {
  const raws: RawRecord[] = [];
  let namespaces = '';
  const scanner = new RecordScanner({
    root: (tag) => { namespaces = /xmlns(:\w+)?="[^"]*"/g.exec(tag.text)?.[0] ?? ''; },
    record: (r) => raws.push(r),
  });
  scanner.push(doc);
  scanner.end();
  return { namespaces, raws };
}

const good = (i: number): string => `<customer><externalId>R-${i}</externalId><type>PERSON</type><name>Name ${i}</name></customer>`;

describe('Reading batch records together', () => {
  const validator = new XsdValidator();

  it('gives each record what reading it alone gives, valid or not, at any line and column', () => {
    const parts = [
      good(1),
      `  ${good(2)}`,
      // a schema error on the third line of a record that spans lines
      `<customer>\n  <externalId>R-3</externalId>\n  <type>ALIEN</type><name>x</name>\n</customer>`,
      good(4),
      `<other xmlns="urn:elsewhere"/>`,
      `<customer><externalId>R-6</externalId><name>no type</name></customer>`,
      ...Array.from({ length: 150 }, (_, i) => good(100 + i)),
      `<customer><externalId>R-7</externalId><type>PERSON</type><name>late &amp; fine</name></customer>`,
      // a schema error on the first line of a record that does not start the line
      `    <customer><externalId>R-8</externalId><type>ALIEN</type><name>x</name></customer>`,
    ];
    const { namespaces, raws } = recordsOf(`<CustomerBatch xmlns="${NS}">\n${parts.join('\n')}\n</CustomerBatch>`);
    expect(raws).to.have.length(parts.length);
    const together = readRecords(raws, namespaces, validator);
    const alone = raws.map((r) => readRecord(r, namespaces, validator));
    expect(together).to.deep.equal(alone);
    const failures = alone.flatMap((r) => (r.record.error === undefined ? [] : [[r.record.index, r.record.error.code]]));
    expect(failures).to.deep.equal([[3, 'VALIDATION_FAILED'], [5, 'VALIDATION_FAILED'], [6, 'VALIDATION_FAILED'], [158, 'VALIDATION_FAILED']]);
    expect(alone[2]?.record.error?.message).to.match(/^line 6, column \d+: .*ALIEN/);
    expect(alone[157]?.record.error?.message).to.match(/^line 162, column 43: .*ALIEN/);
  });

  it('reads the records of a group with a malformed one alone, so only that one fails, at its place', () => {
    const parts = [good(1), `<customer><externalId>R-2</externalId><type>PERSON</type><name>a & b</name></customer>`, good(3)];
    const { namespaces, raws } = recordsOf(`<CustomerBatch xmlns="${NS}">\n${parts.join('\n')}\n</CustomerBatch>`);
    const together = readRecords(raws, namespaces, validator);
    expect(together).to.deep.equal(raws.map((r) => readRecord(r, namespaces, validator)));
    expect(together.map((r) => r.record.error?.code)).to.deep.equal([undefined, 'MALFORMED_XML', undefined]);
    expect(together[1]?.record.error?.message).to.match(/^line 3, column \d+/);
  });
});
