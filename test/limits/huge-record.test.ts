// A single 200 MB <customer> in a streamed batch (issue 17, item 8): refused
// with PAYLOAD_TOO_LARGE once it passes CRM_MAX_RECORD_BYTES, in bounded
// memory (never buffered), storing nothing, over HTTP and from the drop folder.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { NS } from '../../src/xml/namespaces.js';
import { customerByExternalId } from '../helpers/store.js';
import { startServer } from '../helpers/test-server.js';
import { MB, peakRssGrowth } from '../helpers/rss.js';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n<customer><externalId>BEFORE</externalId><type>PERSON</type><name>Before</name></customer>\n<customer><externalId>HUGE</externalId><type>PERSON</type><name>`;
const TAIL = `</name></customer>\n</CustomerBatch>\n`;
const LINE = `${'x'.repeat(1023)}\n`;


describe('a 200 MB record in a streamed batch', function () {
  this.timeout(120_000);

  it('POST /xml/batches: 413 PAYLOAD_TOO_LARGE naming where it starts, in bounded memory, nothing stored', async () => {
    const server = await startServer({ CRM_IMPORT_WORKERS: '0' });
    try {
      let answer = { status: 0, body: '' };
      let sentMb = 0;
      const growth = await peakRssGrowth(() => new Promise<void>((resolve, reject) => {
        const { port } = new URL(server.url);
        const req = http.request({ port: Number(port), host: '127.0.0.1', method: 'POST', path: '/xml/batches', headers: { 'content-type': 'application/xml', 'content-length': String(HEAD.length + 200 * MB + TAIL.length) } });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.on('data', (c: Buffer) => { body += c.toString(); });
          res.on('end', () => { answer = { status: res.statusCode ?? 0, body }; resolve(); });
        });
        req.on('error', (err) => { if (!answered) reject(err); });
        const chunk = LINE.repeat(64);
        const write = async (): Promise<void> => {
          req.write(HEAD);
          for (let sent = 0; sent < 200 * MB && !answered && !req.destroyed; sent += chunk.length) {
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
            sentMb = sent / MB;
          }
          if (!answered) req.end(TAIL);
        };
        write().catch(() => undefined);
      }));
      expect(answer.status, answer.body).to.equal(413);
      // With the defaults the record's name passes CRM_MAX_TEXT_CHARS (64 Ki) before the record passes CRM_MAX_RECORD_BYTES (1 MiB).
      expect(answer.body).to.contain('<code>PAYLOAD_TOO_LARGE</code>').and.match(/longer than 65536 characters at line 4, column \d+/);
      expect(growth, `peak RSS growth ${growth.toFixed(0)} MB after ${sentMb.toFixed(0)} MB sent`).to.be.below(64);
      expect(await customerByExternalId(server.store, 'BEFORE')).to.equal(undefined);
    } finally {
      await server.close();
    }
  });

  it('the drop folder: the file goes to error/ with a PAYLOAD_TOO_LARGE report, in bounded memory, nothing stored', async () => {
    // The text bound raised to libxml2's own, so it is the record bound (CRM_MAX_RECORD_BYTES, 1 MiB) that refuses it.
    const server = await startServer({ CRM_EXCHANGE_STABLE_MS: '0', CRM_IMPORT_WORKERS: '0', CRM_MAX_TEXT_CHARS: '10000000' }, { dropFolder: {} });
    const exchange = server.config.exchangeDir ?? '';
    try {
      const file = path.join(exchange, 'inbox', 'huge.xml');
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, HEAD);
      const chunk = LINE.repeat(1024);
      for (let i = 0; i < 200; i++) fs.writeSync(fd, chunk);
      fs.writeSync(fd, TAIL);
      fs.closeSync(fd);
      let outcome: string | undefined;
      const growth = await peakRssGrowth(async () => {
        await server.dropFolder?.poll();
        outcome = (await server.dropFolder?.poll())?.get('huge.xml');
      });
      expect(outcome).to.equal('unreadable');
      const report = fs.readFileSync(path.join(exchange, 'outbox', 'huge.xml.report.xml'), 'utf8');
      expect(report).to.contain('<code>PAYLOAD_TOO_LARGE</code>').and.contain('The record starting at line 4, column 1 is larger than 1048576 characters');
      expect(growth, `peak RSS growth ${growth.toFixed(0)} MB`).to.be.below(64);
      expect(await customerByExternalId(server.store, 'BEFORE')).to.equal(undefined);
    } finally {
      await server.close();
      fs.rmSync(path.join(exchange, 'error'), { recursive: true, force: true });
    }
  });
});
