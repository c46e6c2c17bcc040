// A batch's fingerprint is stored with it, and a re-sent batchId is replayed
// only when the body's fingerprint is the stored one: so its form must not
// move, or batches stored before would no longer replay. Stated here
// independently of src/domain/batch-fingerprint.ts: SHA-256 over
// `mode:<mode>\n`, then each record's JSON and a newline.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { BatchFingerprint } from '../../src/domain/batch-fingerprint.js';
import type { BatchSource } from '../../src/import/batch-source.js';
import { jsonRecordStream } from '../../src/import/json-batch.js';
import { AjvJsonValidator } from '../../src/validation/json-validator.js';

function expected(mode: string, lines: readonly string[]): string {
  return createHash('sha256').update(`mode:${mode}\n${lines.map((l) => `${l}\n`).join('')}`).digest('hex');
}

function source(text: string, size: number): BatchSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    open: async function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
    close: async () => undefined,
  };
}

describe('batch fingerprint', () => {
  it('is SHA-256 of the mode line, then each record as JSON on a line', () => {
    const records = [{ name: 'A', addresses: [{ city: 'Zoë' }] }, 'raw text', { b: 1, a: undefined }];
    const fingerprint = new BatchFingerprint('ATOMIC');
    for (const r of records) fingerprint.add(r);
    expect(fingerprint.digest()).to.equal(expected('ATOMIC', ['{"name":"A","addresses":[{"city":"Zoë"}]}', '"raw text"', '{"b":1}']));
  });

  it('takes of a JSON batch each customer as read (members in the contract\'s order, null and [] absent), and of a failed record its value with sorted members (null absent there too)', async () => {
    const text = '{"mode":"PARTIAL","customers":[\n' +
      '{"name":"Ada","phone":null,"type":"PERSON","externalId":"J-1","contacts":[],"addresses":[{"country":"DE","city":"Köln","line1":"Ring 1","type":"BILLING"}]},\n' +
      '{"type":"PERSON","name":"Bo","fax":"1","email":null,"zz":{"y":2,"x":[{"d":1,"c":null}]}},\n' +
      '{ "type" : "PERSON" , "name" : "C" }\n]}';
    const lines = [
      '{"externalId":"J-1","type":"PERSON","name":"Ada","addresses":[{"type":"BILLING","line1":"Ring 1","city":"Köln","country":"DE"}]}',
      '{"fax":"1","name":"Bo","type":"PERSON","zz":{"x":[{"d":1}],"y":2}}',
      '{"type":"PERSON","name":"C"}',
    ];
    for (const size of [7, 1 << 16]) {
      const stream = jsonRecordStream(source(text, size), 'PARTIAL', new AjvJsonValidator(), 2);
      const indices: number[] = [];
      for await (const group of stream.groups()) indices.push(...group.records.map((r) => r.index));
      expect(indices).to.deep.equal([1, 2, 3]);
      expect(stream.fingerprint(), `chunks of ${size}`).to.equal(expected('PARTIAL', lines));
    }
  });
});
