// Pass 2's record cutter (json-record-cutter.ts) cuts the records of a checked
// JSON batch byte for byte as pass 1's tokenizing cutter does, however the
// text is laid out and wherever the chunks of the body split it, and counts
// each record's members as a parser does (parse-json.ts finds repeated names
// by that count).
import { expect } from 'chai';
import jsonc from 'jsonc-parser';
import { cutJsonBatch } from '../../src/json/json-batch-cutter.js';
import { cutCheckedJsonBatch, type CutRecord } from '../../src/json/json-record-cutter.js';

const LIMITS = { maxRecordChars: 1 << 20, maxDepth: 64, maxTextChars: 1 << 20 };

async function* chunked(text: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < text.length; i += size) yield text.subarray(i, i + size);
}

async function records(cuts: AsyncGenerator<(Buffer | CutRecord)[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const found of cuts) for (const r of found) out.push(('bytes' in r ? r.bytes : r).toString('utf8'));
  return out;
}

/** Members of every object in `text`, repeated names too, as jsonc-parser's visitor meets them. */
function membersByParser(text: string): number {
  let n = 0;
  jsonc.visit(text, { onObjectProperty: () => { n++; } });
  return n;
}

const DOCUMENTS: Record<string, string> = {
  'one record a line': '{"batchId":"b-1","mode":"PARTIAL","customers":[\n{"externalId":"A","type":"PERSON","name":"A"},\n{"externalId":"B","type":"PERSON","name":"B"}\n]}\n',
  'pretty, CRLF, spaces before commas': '{\r\n  "mode" : "ATOMIC" ,\r\n  "customers" : [\r\n    {\r\n      "name" : "x"\r\n    } ,\r\n    { "name" : "y" }\t\r\n  ]\r\n}\r\n',
  'strings holding brackets, commas, quotes, backslashes and escapes': '{"customers":[{"name":"a, [b] {c} \\"d\\" \\\\","x":"\\u005d\\\\"},{"name":"\\\\\\""},{"n":"é ü 😀 ,]}"}]}',
  'a member name with an escape that reads "customers"': '{"batchId":"x","custom\\u0065rs":[{"name":"escaped"}],"after":1}',
  'other members holding arrays and objects, before and after': '{"meta":{"customers":[{"no":1}]},"list":[[1,2],{"a":[3]}],"customers":[{"a":[{"b":[]}]},{}],"tail":{"c":[1]}}',
  'records that are not objects': '{"customers":[1, -2.5e3 ,"s",true,null,[1,[2]],{"k":false}]}',
  'an empty records array': '{"mode":"PARTIAL","customers":[]}',
  'a byte-order mark': '\uFEFF{"customers":[{"name":"bom"}]}',
  'nothing but whitespace between tokens': '{"customers":[{"a":1}\n\n,\n\n{"b":2}\n\n]\n\n}',
  'repeated names, and colons in names and strings': '{"batchId":"a:b","customers":[{"a":1,"a":{"b":":","b":[{"c":"\\":\\"}"}]}} , {"x:y" : "::", "z":{}},{"q\\\\":":"}]}',
};

describe('JSON batch, pass 2: cutting records from a checked text', () => {
  for (const [name, document] of Object.entries(DOCUMENTS)) {
    it(`cuts ${name} as the tokenizing cutter does, for every chunk size`, async () => {
      const text = Buffer.from(document, 'utf8');
      const expected = await records(cutJsonBatch(chunked(text, text.length), 'customers', {}, LIMITS));
      for (let size = 1; size <= text.length; size++) {
        expect(await records(cutCheckedJsonBatch(chunked(text, size), 'customers')), `chunks of ${size}`).to.deep.equal(expected);
      }
    });
  }

  it('counts the members of each record as a parser does, repeated names too, for every chunk size', async () => {
    for (const [name, document] of Object.entries(DOCUMENTS)) {
      const text = Buffer.from(document, 'utf8');
      for (let size = 1; size <= text.length; size++) {
        for await (const found of cutCheckedJsonBatch(chunked(text, size), 'customers')) {
          for (const r of found) {
            const record = r.bytes.toString('utf8');
            expect(r.members, `${name}: ${record}, chunks of ${size}`).to.equal(membersByParser(record));
          }
        }
      }
    }
  });

  it('finds the records themselves (a check that the corpus above cuts something)', async () => {
    const text = Buffer.from(DOCUMENTS['other members holding arrays and objects, before and after'] ?? '', 'utf8');
    expect(await records(cutCheckedJsonBatch(chunked(text, 7), 'customers'))).to.deep.equal(['{"a":[{"b":[]}]}', '{}']);
    const escaped = Buffer.from(DOCUMENTS['a member name with an escape that reads "customers"'] ?? '', 'utf8');
    expect(await records(cutCheckedJsonBatch(chunked(escaped, 3), 'customers'))).to.deep.equal(['{"name":"escaped"}']);
  });
});
