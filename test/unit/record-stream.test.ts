// recordStream: the records of a batch file read in a worker thread are the
// records read on the calling thread, in order, with the same fingerprint.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileSource, spooledSource } from '../../src/import/batch-source.js';
import { GROUP_SIZE, recordStream, type RecordStream } from '../../src/import/record-stream.js';
import { jsonRecordStream } from '../../src/import/json-batch.js';
import { AjvJsonValidator } from '../../src/validation/json-validator.js';
import { loadConfig } from '../../src/config.js';
import type { BatchRecord } from '../../src/domain/batch.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { NS } from '../../src/xml/namespaces.js';
import { tempDir } from '../helpers/temp-dir.js';

const validator = new XsdValidator();
const NAMESPACES = `xmlns="${NS.crm}"`;

function batchFile(records: number): string {
  const dir = tempDir('crm-record-stream-');
  const file = path.join(dir, 'batch.xml');
  const lines = Array.from({ length: records }, (_, i) =>
    // Every 400th record fails the schema, so failures cross the thread boundary too.
    `<customer><externalId>RS-${i + 1}</externalId><type>PERSON</type><name>Person ${i + 1}</name>${i % 400 === 3 ? '<email>nope</email>' : ''}</customer>`);
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch ${NAMESPACES}>\n${lines.join('\n')}\n</CustomerBatch>\n`);
  return file;
}

async function drain(stream: RecordStream): Promise<{ groups: (readonly BatchRecord[])[]; fingerprint: string }> {
  const groups: (readonly BatchRecord[])[] = [];
  for await (const group of stream.groups()) groups.push(group.records);
  return { groups, fingerprint: stream.fingerprint() };
}

describe('recordStream (pass 2 of a streamed import)', () => {
  const file = batchFile(2500);
  after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it('reads a large enough file in a worker thread, with the same records, groups and fingerprint as the calling thread', async () => {
    const inWorker = recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, { enabled: true, minBytes: 0 });
    const inline = recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, { enabled: false, minBytes: 0 });
    expect(inWorker.thread).to.equal('worker');
    expect(inline.thread).to.equal('calling');
    const a = await drain(inWorker);
    const b = await drain(inline);
    expect(a.groups.map((g) => g.length)).to.deep.equal([GROUP_SIZE, GROUP_SIZE, 500]);
    expect(a).to.deep.equal(b);
    const failed = a.groups.flat().filter((r) => r.input === undefined);
    expect(failed.map((r) => r.index)).to.deep.equal([4, 404, 804, 1204, 1604, 2004, 2404]);
    expect(failed[0]?.error?.code).to.equal('VALIDATION_FAILED');
    expect(failed[0]?.error?.message).to.match(/^line 6, column \d+: /);
  });

  it('ends a group at the mark (where an interrupted run stopped), read there with the fingerprint a run cut into other groups had, in a worker and on the calling thread', async () => {
    // An interrupted run with groups of 250 stored through record 750; this run's groups are of 1000.
    const earlier: string[] = [];
    for await (const group of recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, { enabled: false, minBytes: 0 }, 250).groups()) {
      earlier.push(group.readThrough);
    }
    for (const enabled of [true, false]) {
      const groups: { size: number; readThrough: string }[] = [];
      const stream = recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, { enabled, minBytes: 0 }, GROUP_SIZE, 750);
      for await (const group of stream.groups()) groups.push({ size: group.records.length, readThrough: group.readThrough });
      expect(groups.map((g) => g.size), `worker: ${enabled}`).to.deep.equal([750, GROUP_SIZE, 750]);
      expect(groups[0]?.readThrough, 'at the mark').to.equal(earlier[2]);
      // The last group's is the whole batch's fingerprint, however the groups were cut.
      expect(groups.at(-1)?.readThrough).to.equal(earlier.at(-1)).and.to.equal(stream.fingerprint());
    }
  });

  it('ends a JSON batch\'s group at the mark too, with the fingerprint there of a run cut into other groups', async () => {
    const json = path.join(path.dirname(file), 'batch.json');
    const customers = Array.from({ length: 1800 }, (_, i) => ({ externalId: `JS-${i + 1}`, type: 'PERSON', name: `Person ${i + 1}`, ...(i % 400 === 3 ? { email: 'nope' } : {}) }));
    fs.writeFileSync(json, JSON.stringify({ customers }));
    const readThroughs = async (groupSize: number, markAt: number): Promise<{ size: number; readThrough: string }[]> => {
      const out: { size: number; readThrough: string }[] = [];
      for await (const g of jsonRecordStream(fileSource(json), 'PARTIAL', new AjvJsonValidator(), groupSize, markAt).groups()) out.push({ size: g.records.length, readThrough: g.readThrough });
      return out;
    };
    const earlier = await readThroughs(250, 0);
    const now = await readThroughs(GROUP_SIZE, 750);
    expect(now.map((g) => g.size)).to.deep.equal([750, GROUP_SIZE, 50]);
    expect(now[0]?.readThrough).to.equal(earlier[2]?.readThrough);
    expect(now.at(-1)?.readThrough).to.equal(earlier.at(-1)?.readThrough);
  });

  it('reads an HTTP body in a worker once pass 1 has spooled it whole, never before', async () => {
    const spool = tempDir('crm-spool-');
    const body = fs.readFileSync(file);
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < body.length; i += 4096) yield body.subarray(i, i + 4096);
    }
    const source = spooledSource(chunks(), spool);
    try {
      // Not a file yet: a reader thread could not read it.
      expect(source.file?.()).to.equal(undefined);
      for await (const _chunk of source.open()) {
        // pass 1
      }
      expect(source.file?.()?.bytes).to.equal(body.length);
      const stream = recordStream(source, NAMESPACES, 'PARTIAL', validator, { enabled: true, minBytes: 0 });
      expect(stream.thread).to.equal('worker');
      expect((await drain(stream)).groups.flat()).to.have.length(2500);
    } finally {
      await source.close();
      fs.rmSync(spool, { recursive: true, force: true });
    }
  });

  it('by default reads a document of 4 MiB or more in a worker thread, and a smaller one on the calling thread', () => {
    const policy = loadConfig({}).importWorkers;
    expect(policy).to.deep.equal({ enabled: true, minBytes: 4 * 1024 * 1024, maxHeapMb: 48 });
    const size = fs.statSync(file).size;
    expect(recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, { ...policy, minBytes: size }).thread).to.equal('worker');
    expect(recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, policy).thread).to.equal('calling');
    expect(loadConfig({ CRM_IMPORT_WORKERS: '0' }).importWorkers.enabled).to.equal(false);
  });

  it('reads a file below the threshold on the calling thread', () => {
    const stream = recordStream(fileSource(file), NAMESPACES, 'PARTIAL', validator, { enabled: true, minBytes: fs.statSync(file).size + 1 });
    expect(stream.thread).to.equal('calling');
  });

  it('reports a worker that cannot read its file as an error instead of waiting for ever', async () => {
    const gone = batchFile(1);
    const source = fileSource(gone);
    const stream = recordStream(source, NAMESPACES, 'PARTIAL', validator, { enabled: true, minBytes: 0 });
    fs.rmSync(gone);
    let error: unknown;
    try {
      await drain(stream);
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/ENOENT/);
  });
});
