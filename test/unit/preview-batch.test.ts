// A dry run spools its predictions to a temporary file; whether it ends well
// or breaks part-way through reading, that file does not outlive it.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BatchSource } from '../../src/import/batch-source.js';
import { previewBatch } from '../../src/import/preview-batch.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { NS } from '../../src/xml/namespaces.js';
import { tempDir } from '../helpers/temp-dir.js';

const customers = Array.from({ length: 3 }, (_, i) => `<customer><externalId>P${i}</externalId><type>PERSON</type><name>Preview ${i}</name></customer>`);
const document = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">${customers.join('')}</CustomerBatch>\n`);

/** The whole document on the first pass; on the second, `failAfter` bytes and then a read error, as a disk or a dropped spool would. */
function source(failAfter?: number): BatchSource {
  let opened = 0;
  return {
    async *open() {
      opened += 1;
      if (opened === 1 || failAfter === undefined) { yield document; return; }
      yield document.subarray(0, failAfter);
      throw new Error('EIO: read failed');
    },
    close: async () => undefined,
  };
}

describe('crm-bridge import --dry-run (preview of a batch)', () => {
  let tmp: string;
  let store: SqliteStore;
  let previousTmp: string | undefined;
  const spools = (): string[] => fs.readdirSync(tmp).filter((f) => f.startsWith('crm-preview-'));

  beforeEach(() => {
    tmp = tempDir('crm-preview-test-');
    store = new SqliteStore(openDatabase(path.join(tmp, 'crm.db')));
    previousTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp; // os.tmpdir() reads it on every call
  });
  afterEach(async () => {
    if (previousTmp === undefined) delete process.env['TMPDIR']; else process.env['TMPDIR'] = previousTmp;
    await store.close();
  });

  const deps = (): { store: SqliteStore; now: () => string; newId: () => string } => ({ store, now: () => new Date().toISOString(), newId: () => 'unused' });

  it('predicts every record and removes its spool when closed', async () => {
    const preview = await previewBatch(source(), { deps: deps(), validator: new XsdValidator() });
    expect(preview.summary).to.include({ created: 3, failed: 0 });
    const statuses: string[] = [];
    for await (const r of preview.results()) statuses.push(r.status);
    expect(statuses).to.deep.equal(['CREATED', 'CREATED', 'CREATED']);
    expect(spools()).to.have.length(1);
    await preview.close();
    expect(spools()).to.deep.equal([]);
  });

  it('removes its spool when the document cannot be read to the end', async () => {
    const failing = previewBatch(source(document.indexOf('<customer>', 200)), { deps: deps(), validator: new XsdValidator() });
    let error: unknown;
    await failing.catch((err: unknown) => { error = err; });
    expect(String(error)).to.contain('EIO');
    expect(spools()).to.deep.equal([]);
  });
});
