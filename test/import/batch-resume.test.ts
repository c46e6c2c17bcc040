// A batch stopped part-way (its process died, or a write failed) resumes
// where it stopped when the same batch is sent again, and only then: the
// records it stored were read with a fingerprint kept with them, so another
// body under that batchId is refused, as a replay of other content is
// (VALIDATION_FAILED, nothing stored), while the same records in another
// layout resume it, each record stored once. On every channel that streams:
// /xml/batches (records read on the calling thread, and in the reading
// thread) and /api/batches.
import { expect } from 'chai';
import { NS } from '../../src/xml/namespaces.js';
import { call, expectError, type JsonAnswer } from '../helpers/json-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { expectServiceFault, request, type XmlAnswer } from '../helpers/xml-client.js';

/** Three chunks of 1000 (GROUP_SIZE) and a bit: the database refuses the third. */
const RECORDS = 2500;
const STORED = 2000;

interface Person { readonly externalId: string; readonly name: string }

interface Channel {
  readonly name: string;
  readonly env: Record<string, string>;
  /** The batch as this channel's body; `layout` 1 lays it out otherwise (spacing, member order or namespace prefix). */
  body(batchId: string, people: readonly Person[], layout: 0 | 1): string;
  post(url: string, body: string): Promise<{ status: number; code?: string; message?: string; created?: number; results?: number }>;
}

function xmlBody(batchId: string, people: readonly Person[], layout: 0 | 1): string {
  const one = (p: Person): string => (layout === 0
    ? `<customer><externalId>${p.externalId}</externalId><type>PERSON</type><name>${p.name}</name></customer>`
    : `  <c:customer>\n    <c:externalId>${p.externalId}</c:externalId>\n    <c:type>PERSON</c:type>\n    <c:name>${p.name}</c:name>\n  </c:customer>`);
  return layout === 0
    ? `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}" batchId="${batchId}">\n${people.map(one).join('\n')}\n</CustomerBatch>\n`
    : `<c:CustomerBatch xmlns:c="${NS.crm}" batchId="${batchId}">\n${people.map(one).join('\n')}\n</c:CustomerBatch>`;
}

function jsonBody(batchId: string, people: readonly Person[], layout: 0 | 1): string {
  return layout === 0
    ? JSON.stringify({ batchId, customers: people.map((p) => ({ externalId: p.externalId, type: 'PERSON', name: p.name })) })
    : JSON.stringify({ batchId, mode: 'PARTIAL', customers: people.map((p) => ({ name: p.name, type: 'PERSON', externalId: p.externalId })) }, null, 2);
}

async function postXml(url: string, body: string): ReturnType<Channel['post']> {
  const answer: XmlAnswer = await request(`${url}/xml/batches`, { method: 'POST', body, headers: { 'content-type': 'application/xml' } });
  if (answer.status !== 200) {
    const code = /<(?:\w+:)?code>([A-Z_]+)</.exec(answer.text)?.[1];
    return { status: answer.status, code, message: code === undefined ? answer.text : expectServiceFault(answer, answer.status, code).message };
  }
  return { status: 200, created: Number(/<(?:\w+:)?created>(\d+)</.exec(answer.text)?.[1]), results: answer.text.match(/<(?:\w+:)?result>/g)?.length ?? 0 };
}

async function postJson(url: string, body: string): ReturnType<Channel['post']> {
  const answer: JsonAnswer = await call(`${url}/api/batches`, 'POST', body, { 'content-type': 'application/json' });
  if (answer.status !== 200) {
    const code = String(answer.body?.['code']);
    expectError(answer, answer.status, code);
    return { status: answer.status, code, message: String(answer.body?.['message']) };
  }
  return { status: 200, created: Number(answer.body?.['created']), results: (answer.body?.['results'] as unknown[]).length };
}

const CHANNELS: readonly Channel[] = [
  { name: 'POST /xml/batches, records read on the calling thread', env: { CRM_IMPORT_WORKERS: '0' }, body: xmlBody, post: postXml },
  { name: 'POST /xml/batches, records read in the reading thread', env: { CRM_IMPORT_WORKERS: '1', CRM_IMPORT_WORKER_MIN_BYTES: '0' }, body: xmlBody, post: postXml },
  { name: 'POST /api/batches', env: {}, body: jsonBody, post: postJson },
];

for (const channel of CHANNELS) {
  describe(`${channel.name}: a batch stopped part-way, then sent again`, () => {
    let server: TestServer;
    before(async () => { server = await startServer({ CRM_EXCHANGE: 'off', ...channel.env }); });
    after(async () => { await server.close(); });

    const count = (sql: string, ...args: unknown[]): number => server.db.prepare(sql).pluck().get(...args) as number;
    const storedOf = (prefix: string): number => count("SELECT count(*) FROM customers WHERE external_id LIKE ? || '-%'", prefix);

    it('refuses other records under its batchId (one changed, fewer) and stores nothing; the same records in another layout resume it, each stored once', async () => {
      const prefix = `RS${CHANNELS.indexOf(channel)}`;
      const batchId = `resume-${prefix}`;
      const people = Array.from({ length: RECORDS }, (_, i) => ({ externalId: `${prefix}-${i + 1}`, name: `Person ${i + 1}` }));

      // The database refuses the third chunk's results: the import stops there, two chunks stored.
      server.db.exec(`CREATE TRIGGER stop_third_chunk BEFORE INSERT ON batch_results WHEN NEW.idx > ${STORED}
        BEGIN SELECT RAISE(ABORT, 'the disk is gone'); END`);
      try {
        const stopped = await channel.post(server.url, channel.body(batchId, people, 0));
        expect(stopped, 'the interrupted import').to.include({ status: 500, code: 'INTERNAL' });
      } finally {
        server.db.exec('DROP TRIGGER IF EXISTS stop_third_chunk');
      }
      expect(storedOf(prefix)).to.equal(STORED);
      const batchKey = server.db.prepare('SELECT batch_key FROM batches WHERE batch_id = ?').pluck().get(batchId) as string;
      const results = (): number => count('SELECT count(*) FROM batch_results WHERE batch_key = ?', batchKey);
      expect(results()).to.equal(STORED);

      const renamed = people.map((p, i) => (i === 4 ? { ...p, name: 'Someone Else' } : p));
      for (const [what, other] of [['record 5 changed', renamed], ['fewer records than were stored', people.slice(0, 1500)], ['no record', []]] as const) {
        const refused = await channel.post(server.url, channel.body(batchId, other, 0));
        expect(refused, what).to.include({ status: 400, code: 'VALIDATION_FAILED' });
        expect(refused.message, what).to.contain(`batchId '${batchId}' was begun with other content`);
        expect(storedOf(prefix), what).to.equal(STORED);
        expect(results(), what).to.equal(STORED);
        expect(count("SELECT count(*) FROM customers WHERE name = 'Someone Else'"), what).to.equal(0);
      }

      const resumed = await channel.post(server.url, channel.body(batchId, people, 1));
      expect(resumed).to.deep.equal({ status: 200, created: RECORDS, results: RECORDS });
      expect(storedOf(prefix)).to.equal(RECORDS);
      expect(count(`SELECT count(*) FROM customer_history h JOIN customers c ON c.id = h.customer_id WHERE c.external_id LIKE ? || '-%'`, prefix), 'one change per record').to.equal(RECORDS);
      // Done now: the same batch replays; the changed one is other content, as for any finished batch.
      expect(await channel.post(server.url, channel.body(batchId, people, 0))).to.deep.equal({ status: 200, created: RECORDS, results: RECORDS });
      expect(await channel.post(server.url, channel.body(batchId, renamed, 0))).to.include({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });
}
