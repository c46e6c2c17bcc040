// A CustomerBatch imports the same whatever its layout (issue 15): the
// product's own export, one line of any length, deep indentation, CRLF, a
// byte-order mark, comments and PIs between records, with or without a
// declaration. Every error points at its line and column as the user sees
// the file, and reading costs the same work per byte in every layout.
import { expect } from 'chai';
import { LAYOUTS, layoutDocument, type Layout } from '../../bench/batch-layouts.js';
import { numberWidth, syntheticCustomer } from '../../bench/customers.js';
import { customerXml } from '../../bench/soap-requests.js';
import { bufferSource } from '../helpers/buffer-source.js';
import { checkStructure } from '../../src/import/import-batch.js';
import { inlineRecordStream } from '../../src/import/record-stream.js';
import type { XmlElement } from '../../src/xml/dom.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { expectServiceFault, request, type XmlAnswer } from '../helpers/xml-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { text } from '../helpers/soap-client.js';
import type { Element } from 'libxmljs2';

const COUNT = 40;
const width = numberWidth(COUNT);
const records = (): string[] => Array.from({ length: COUNT }, (_, n) => customerXml(syntheticCustomer(n, width)));

/** Line and column (1-based, in characters) of `index` in `doc`, as an editor shows them; a BOM is no column. */
function positionOf(doc: string, index: number): { line: number; column: number } {
  const before = doc.slice(0, index);
  const lastNewline = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  const bom = line === 1 && doc.startsWith('\uFEFF') ? 1 : 0;
  return { line, column: index - lastNewline - bom };
}

function post(url: string, body: string): Promise<XmlAnswer> {
  return request(url, { method: 'POST', body, headers: { 'content-type': 'application/xml' } });
}

interface ReportView { counts: number[]; results: { status: string; code?: string; message?: string }[] }

function reportOf(answer: XmlAnswer): ReportView {
  expect(answer.status, answer.text.slice(0, 2000)).to.equal(200);
  const root = answer.doc?.root() as Element;
  return {
    counts: ['created', 'updated', 'unchanged', 'failed'].map((k) => Number(text(root, `c:${k}`))),
    results: root.find<Element>('c:result', { c: 'urn:crm-bridge:customer:v1' }).map((r) => ({
      status: text(r, 'c:status') ?? '',
      code: text(r, 'c:error/c:code'),
      message: text(r, 'c:error/c:message'),
    })),
  };
}

describe('POST /xml/batches in every layout', function () {
  this.timeout(30000);
  let server: TestServer;
  beforeEach(async () => { server = await startServer(); });
  afterEach(async () => { await server.close(); });

  for (const layout of LAYOUTS) {
    it(`${layout}: imports every record, and a schema error and a malformed record point at their line and column`, async () => {
      const list = records();
      list[9] = (list[9] as string).replace(/<country>[A-Z]{2}<\/country>/, '<country>de</country>');
      list[24] = (list[24] as string).replace('</name>', ' &nope;</name>');
      const doc = layoutDocument(layout, list);
      const report = reportOf(await post(`${server.url}/xml/batches`, doc));
      expect(report.counts).to.deep.equal([COUNT - 2, 0, 0, 2]);
      expect(report.results[9]?.code).to.equal('VALIDATION_FAILED');
      const country = positionOf(doc, doc.indexOf('<country>de</country>'));
      expect(report.results[9]?.message).to.match(new RegExp(`^line ${country.line}, column ${country.column}: Element '\\{urn:crm-bridge:customer:v1\\}country'`));
      expect(report.results[24]?.code).to.equal('MALFORMED_XML');
      const entity = doc.indexOf('&nope;');
      const [, line, column] = /^line (\d+), column (\d+): Entity 'nope' not defined/.exec(report.results[24]?.message ?? '') ?? [];
      // libxml2 names the entity's line, and a column at or just after it
      expect(Number(line)).to.equal(positionOf(doc, entity).line);
      expect(Number(column)).to.be.within(positionOf(doc, entity).column, positionOf(doc, entity + '&nope;'.length).column);
    });

    it(`${layout}: refuses a file whose end tag closes another element at that tag's line and column, storing nothing`, async () => {
      const list = records();
      list[30] = (list[30] as string).replace('</city>', '</cty>');
      const doc = layoutDocument(layout, list);
      const fault = expectServiceFault(await post(`${server.url}/xml/batches`, doc), 400, 'MALFORMED_XML');
      expect(fault.errors[0]).to.deep.include(positionOf(doc, doc.indexOf('</cty>')));
      expect(fault.message).to.contain('The end tag </cty> does not close <city>');
      const list2 = reportOf(await post(`${server.url}/xml/batches`, layoutDocument(layout, records())));
      expect(list2.counts, 'nothing of the refused file was stored').to.deep.equal([COUNT, 0, 0, 0]);
    });
  }
});

describe('Reading a batch: the same work in every layout', () => {
  /** An XSD validator that counts the bytes of the documents it is handed: what libxml2 parses for each record. */
  class CountingValidator extends XsdValidator {
    bytes = 0;
    largest = 0;
    override validateRecord(record: XmlElement, source: Uint8Array): ReturnType<XsdValidator['validateRecord']> {
      this.bytes += source.byteLength;
      this.largest = Math.max(this.largest, source.byteLength);
      return super.validateRecord(record, source);
    }
  }

  async function work(layout: Layout, list: readonly string[]): Promise<{ perByte: number; largest: number; inputs: unknown[] }> {
    const doc = Buffer.from(layoutDocument(layout, list), 'utf8');
    const validator = new CountingValidator();
    const source = bufferSource(doc);
    const root = await checkStructure(source, validator);
    const inputs: unknown[] = [];
    for await (const group of inlineRecordStream(source.open(), root.namespaces, root.mode, validator).groups()) {
      for (const r of group.records) inputs.push(r.input ?? r.error);
    }
    return { perByte: validator.bytes / doc.length, largest: validator.largest, inputs };
  }

  it('hands libxml2 as many bytes per byte of file in every layout as for one record a line, in documents under 128 KB, and reads the same records', async () => {
    const list = Array.from({ length: 2000 }, (_, n) => customerXml(syntheticCustomer(n, 7)));
    const generator = await work('generator', list);
    for (const layout of LAYOUTS.filter((l) => l !== 'generator')) {
      const other = await work(layout, list);
      expect(other.inputs, layout).to.deep.equal(generator.inputs);
      expect(other.perByte, `${layout}: bytes parsed per byte of file, against ${generator.perByte.toFixed(1)} for the generator layout`)
        .to.be.lessThan(generator.perByte * 1.5);
      // Records parsed together make one string first: past 128 KB V8 makes it in its large-object space, several times slower.
      expect(other.largest, `${layout}: the largest document of records parsed together`).to.be.lessThan(128 * 1024);
    }
  });
});
