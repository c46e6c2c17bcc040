// The bench's JSON batch file holds the very customers of its XML batch file,
// so the batches phase compares the two imports on the same work: the XML
// file posted after the JSON one finds every customer UNCHANGED.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { JSON_BATCH, postBatchFile, XML_BATCH } from '../../bench/batch-exchange.js';
import { writeBatchFile } from '../../bench/batch-file.js';
import { writeJsonBatchFile } from '../../bench/json-batch-file.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('bench: the JSON batch file of the batches phase', () => {
  const customers = 40;
  let server: TestServer;
  let dir: string;

  before(async () => {
    server = await startServer();
    dir = tempDir('crm-bridge-bench-files-');
  });

  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports through POST /api/batches as the XML file does through POST /xml/batches, customer for customer', async () => {
    const json = path.join(dir, 'customers.json');
    const xml = path.join(dir, 'customers.xml');
    const jsonBytes = await writeJsonBatchFile(json, customers);
    const xmlBytes = await writeBatchFile(xml, customers);
    expect(jsonBytes).to.equal(fs.statSync(json).size);
    expect((JSON.parse(fs.readFileSync(json, 'utf8')) as { customers: unknown[] }).customers).to.have.length(customers);

    const target = { url: server.url, pid: process.pid };
    const first = await postBatchFile(target, JSON_BATCH, json, jsonBytes, customers);
    expect(first).to.include({ created: customers, failed: 0 });
    const again = await postBatchFile(target, XML_BATCH, xml, xmlBytes, customers);
    expect(again).to.include({ created: 0, unchanged: customers, failed: 0 });
  });
});
