// kill -9 in the middle of importing a dropped file, then a restart: the file
// is picked up again and, when it finishes, every record is stored exactly
// once and the report is complete.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { NS } from '../../src/xml/namespaces.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

const MAIN = path.resolve('dist/src/main.js');
const RECORDS = 20_000;

function watcher(dataDir: string): ChildProcess {
  return spawn(process.execPath, [MAIN, 'watch'], {
    env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_EXCHANGE_POLL_MS: '50', CRM_EXCHANGE_STABLE_MS: '0', CRM_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
}


function count(dbFile: string, sql: string): number {
  if (!fs.existsSync(dbFile)) return 0;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).pluck().get() as number | null) ?? 0;
  } catch {
    return 0; // the schema is not there yet
  } finally {
    db.close();
  }
}

describe('drop folder: crash safety (kill -9 part-way, restart)', function () {
  this.timeout(120_000);

  it('finishes the file after a restart with every record stored exactly once and a complete report', async () => {
    const dataDir = tempDir('crm-crash-');
    const dbFile = path.join(dataDir, 'crm.db');
    const inbox = path.join(dataDir, 'exchange', 'inbox');
    fs.mkdirSync(inbox, { recursive: true });
    const records = Array.from({ length: RECORDS }, (_, i) =>
      `<customer><externalId>K-${i}</externalId><type>PERSON</type><name>Kill ${i}</name><addresses><address type="BILLING"><line1>l</line1><city>c</city><country>DE</country></address></addresses></customer>`);
    fs.writeFileSync(path.join(dataDir, 'big.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n${records.join('\n')}\n</CustomerBatch>\n`);
    // The documented way to drop a file: write it elsewhere, rename it into inbox/.
    fs.renameSync(path.join(dataDir, 'big.xml'), path.join(inbox, 'big.xml'));

    const first = watcher(dataDir);
    const stored = await until('the first chunks to commit', () => {
      const n = count(dbFile, 'SELECT count(*) FROM batch_results');
      return n >= 1000 ? n : undefined;
    }, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const afterKill = count(dbFile, 'SELECT count(*) FROM batch_results');
    expect(afterKill, 'killed before the end').to.be.lessThan(RECORDS);
    expect(afterKill).to.be.at.least(stored);
    expect(fs.readdirSync(path.join(dataDir, 'exchange', 'work'))).to.have.length(1);

    const second = watcher(dataDir);
    const report = path.join(dataDir, 'exchange', 'outbox', 'big.xml.report.xml');
    try {
      await until('the report', () => (fs.existsSync(report) ? true : undefined), 90_000);
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }

    const text = fs.readFileSync(report, 'utf8');
    expect(text).to.contain(`<created>${RECORDS}</created>`);
    expect(text).to.contain('<failed>0</failed>');
    expect(text.match(/<result>/g)).to.have.length(RECORDS);
    expect(text.match(/<status>CREATED<\/status>/g)).to.have.length(RECORDS);
    expect(count(dbFile, 'SELECT count(*) FROM customers')).to.equal(RECORDS);
    expect(count(dbFile, "SELECT count(*) FROM change_log WHERE kind = 'CREATED'")).to.equal(RECORDS);
    expect(count(dbFile, 'SELECT count(DISTINCT customer_id) FROM change_log')).to.equal(RECORDS);
    expect(count(dbFile, 'SELECT count(*) FROM addresses')).to.equal(RECORDS);
    expect(fs.readdirSync(path.join(dataDir, 'exchange', 'work'))).to.deep.equal([]);
    expect(fs.readdirSync(path.join(dataDir, 'exchange', 'archive'))).to.have.length(1);
  });
});
