// A seeded mutation fuzzer over samples/ (issue 17, item 9; /api: issue 18):
// every request under samples/ (SOAP 1.1, SOAP 1.2, /xml, /api), given
// credentials and mutated (bytes, markup, JSON values and members, encodings,
// DOCTYPEs, namespaces, headers, targets, the WS-Security header, Basic and
// Bearer), is sent to a real server on a real
// SQLite file, with auth off and with auth on. Every answer must be a
// success or a contract fault (never INTERNAL, never a stack trace), a
// refusal must change nothing in the store, a request whose credentials
// prove no one must never be served and a reader's must never write, a read
// must change nothing, the service must stay up (GET /health after every
// batch) and log no error.
//
// FUZZ_SEED (a number, or "random") and FUZZ_COUNT (requests in all, half on
// each server; default 700) change the run; FUZZ_ONLY=n[,m...] sends only
// those requests of the run, to replay a failure; FUZZ_CHANNELS=json[,xml,
// soap11,soap12] draws only from those channels' samples (another run than
// the default: replay with the same FUZZ_CHANNELS). A failure shows the seed,
// the request's index, its mutations, headers and bytes.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { writeUsers } from '../helpers/auth.js';
import { createCustomer } from '../helpers/store.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { addCredentials, FUZZ_USERS, type Tokens } from './credentials.js';
import { CHANNELS, showRequest, type FuzzRequest } from './fuzz-request.js';
import { mutate, type RunState } from './mutations.js';
import { judge } from './oracle.js';
import { Random, runSeed } from './random.js';
import { Sender, type FuzzAnswer } from './send.js';
import { StoreWatch } from './store-watch.js';
import { instantiate, loadTemplates, type Target, type Template } from './templates.js';

const SEED = runSeed(process.env['FUZZ_SEED'], 0x5eed17);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 700);
const ONLY = process.env['FUZZ_ONLY']?.split(',').map(Number);
const ONLY_CHANNELS = process.env['FUZZ_CHANNELS']?.split(',').map((c) => c.trim()).filter((c) => c !== '');
for (const c of ONLY_CHANNELS ?? []) if (!(CHANNELS as readonly string[]).includes(c)) throw new Error(`FUZZ_CHANNELS names ${c}; the channels are ${CHANNELS.join(', ')}`);
/** Requests between two health checks, each batch aimed at a customer of its own. */
const BATCH = 25;
/** Failures shown in full; the rest are counted. */
const SHOWN = 8;
const ISSUER = 'https://issuer.fuzz.example/';
const AUDIENCE = 'crm-bridge';

interface Failure {
  readonly index: number;
  readonly problems: readonly string[];
  readonly req: FuzzRequest;
  readonly answer: FuzzAnswer | undefined;
}

interface Tally {
  readonly outcomes: Map<string, number>;
  readonly failures: Failure[];
  sent: number;
  shapeSent: number;
}

async function makeTokens(dataDir: string): Promise<Tokens> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwks = path.join(dataDir, 'jwks.json');
  fs.writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
  const sign = (key: CryptoKey, claims: Record<string, unknown>, opts: { exp?: number; aud?: string } = {}): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(opts.aud ?? AUDIENCE).setSubject('fuzz-client')
      .setIssuedAt().setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600).sign(key);
  return {
    writer: await sign(pair.privateKey, { scope: 'crm.write' }),
    reader: await sign(pair.privateKey, { scope: 'crm.read' }),
    noScope: await sign(pair.privateKey, { scope: 'openid profile' }),
    expired: await sign(pair.privateKey, { scope: 'crm.write' }, { exp: Math.floor(Date.now() / 1000) - 3600 }),
    otherAudience: await sign(pair.privateKey, { scope: 'crm.write' }, { aud: 'someone-else' }),
  };
}

/**
 * How often a sample is drawn: the streamed batch has a reader of its own
 * (import/record-scanner.ts) and is drawn as often as a third of the SOAP
 * samples; each /api sample twice as often as one other, so that /api, with
 * a parser, validator and error body of its own, gets about a third of the run.
 */
function weightOf(t: Template): number {
  return t.name === 'xml/05-batch' ? 4 : t.channel === 'json' ? 2 : 1;
}

/** A customer of its own for each batch, stored as a create would: the samples' id and externalId become its. */
async function newTarget(server: TestServer, rng: Random): Promise<Target> {
  const target = { id: randomUUID(), externalId: `ERP-T${rng.word(8)}` };
  await createCustomer(server.store, { externalId: target.externalId, type: 'ORGANIZATION', name: 'Fuzz Target GmbH', addresses: [], contacts: [] }, target.id, new Date().toISOString());
  return target;
}

function showFailure(f: Failure, auth: boolean): string {
  const answer = f.answer === undefined
    ? 'no answer'
    : `HTTP ${f.answer.status} ${JSON.stringify(f.answer.headers['content-type'] ?? '')}\n${f.answer.body.toString('utf8').slice(0, 1500)}`;
  return [
    `#${f.index} (${auth ? 'auth on' : 'auth off'}): ${f.problems.join('; ')}`,
    showRequest(f.req),
    `answer: ${answer}`,
    `replay: FUZZ_SEED=${SEED} FUZZ_ONLY=${f.index}${ONLY_CHANNELS === undefined ? '' : ` FUZZ_CHANNELS=${ONLY_CHANNELS.join(',')}`} npx mocha --no-config --timeout 600000 dist/test/fuzz/fuzz.test.js`,
  ].join('\n');
}

/** Sends requests `indexes` of the run to `server`, judging each; returns what came back. */
async function fuzz(server: TestServer, indexes: readonly number[], tokens: Tokens | undefined): Promise<Tally> {
  const auth = tokens !== undefined;
  const templates = loadTemplates('/soap/CustomerService').filter((t) => ONLY_CHANNELS?.includes(t.channel) ?? true);
  const watch = new StoreWatch(server.db);
  const sender = new Sender(server.url);
  const run: RunState = { nonces: [], jwt: auth ? { issuer: ISSUER, audience: AUDIENCE } : undefined };
  const tally: Tally = { outcomes: new Map(), failures: [], sent: 0, shapeSent: 0 };
  let target: Target | undefined;
  let logged = server.logs.length;
  try {
    for (const [n, index] of indexes.entries()) {
      const rng = Random.forRequest(SEED, index);
      if (target === undefined || index % BATCH === 0 || ONLY !== undefined) target = await newTarget(server, Random.forRequest(SEED ^ 0x7a7a7a7a, index));
      const req = instantiate(rng.weighted(templates.map((t) => [t, weightOf(t)] as const)), target, rng);
      const credentials = addCredentials(req, rng, tokens, run.nonces);
      req.mutations.push(`credentials: ${credentials}`);
      mutate(req, rng, run);

      const before = watch.mark();
      let answer: FuzzAnswer | undefined;
      const problems: string[] = [];
      try {
        answer = await sender.send(req);
      } catch (err) {
        problems.push(`no answer: ${(err as Error).message}`);
      }
      tally.sent += 1;
      if (req.shape) tally.shapeSent += 1;
      if (answer !== undefined) {
        const verdict = judge(req, answer);
        problems.push(...verdict.problems);
        const changed = watch.changedSince(before);
        const refused = verdict.code !== undefined || verdict.problems.length > 0;
        if (changed !== undefined && refused) problems.push(`a refusal (${verdict.code ?? 'bad answer'}) changed the store: ${changed}`);
        if (changed !== undefined && !refused && verdict.read) problems.push(`a read changed the store: ${changed}`);
        if (auth && !refused && req.role === 'none') problems.push('served a request whose credentials prove no one');
        if (auth && changed !== undefined && req.role === 'reader') problems.push(`a reader's request changed the store: ${changed}`);
        const outcome = `${req.channel} ${verdict.code ?? `ok ${answer.status}`}`;
        tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
      }
      const errors = server.logs.slice(logged).filter((l) => typeof l['level'] === 'number' && l['level'] >= 50);
      logged = server.logs.length;
      if (errors.length > 0) problems.push(`the server logged an error: ${JSON.stringify(errors[0]).slice(0, 600)}`);
      if (problems.length > 0) tally.failures.push({ index, problems, req, answer });

      if ((n + 1) % BATCH === 0 || n === indexes.length - 1) {
        const health = await fetch(`${server.url}/health`);
        const body = await health.text();
        if (health.status !== 200 || !body.includes('"ok"')) {
          tally.failures.push({ index, problems: [`GET /health answered ${health.status} ${body} after this request`], req, answer });
          break;
        }
      }
    }
  } finally {
    sender.close();
  }
  return tally;
}

function report(tally: Tally, auth: boolean): void {
  if (process.env['FUZZ_COUNT'] !== undefined || tally.failures.length > 0) {
    const counts = [...tally.outcomes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(`      fuzz (${auth ? 'auth on' : 'auth off'}, seed ${SEED}): ${tally.sent} requests (${tally.shapeSent} with shape mutations); ${counts}`);
  }
  if (tally.failures.length === 0) return;
  const shown = tally.failures.slice(0, SHOWN).map((f) => showFailure(f, auth)).join('\n\n');
  const kinds = new Map<string, number>();
  for (const f of tally.failures) for (const p of f.problems) {
    const kind = p.replace(/\d+/g, 'N').slice(0, 80);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  expect.fail(`${tally.failures.length} of ${tally.sent} mutated requests (seed ${SEED}) were answered against the contract:\n`
    + `${[...kinds.entries()].map(([k, n]) => `  ${n} x ${k}`).join('\n')}\n\n${shown}`);
}

/** This server's share of the run: auth off takes the even indexes, auth on the odd ones. */
function indexesFor(parity: 0 | 1): number[] {
  if (ONLY !== undefined) return ONLY.filter((i) => i % 2 === parity);
  return Array.from({ length: Math.ceil((COUNT - parity) / 2) }, (_, k) => 2 * k + parity);
}

describe(`fuzz: mutated samples (seed ${SEED}, ${ONLY === undefined ? `${COUNT} requests` : `only #${ONLY.join(',')}`}${ONLY_CHANNELS === undefined ? '' : `, ${ONLY_CHANNELS.join(',')} only`})`, function () {
  this.timeout(Math.max(60_000, COUNT * 200));

  describe('the fuzzer\'s own checks', () => {
    let server: TestServer;
    before(async () => { server = await startServer(); });
    after(async () => { await server.close(); });

    it('sees a write made by a served request, and none by a refused one', async () => {
      const watch = new StoreWatch(server.db);
      const sender = new Sender(server.url);
      try {
        const create = (name: string): FuzzRequest => ({
          channel: 'xml', template: 'self-check', method: 'POST', path: '/xml/customers', headers: { 'content-type': 'application/xml' },
          body: Buffer.from(`<Customer xmlns="urn:crm-bridge:customer:v1"><type>PERSON</type><name>${name}</name></Customer>`),
          role: 'writer', authorizationRole: 'none', mutations: [], shape: false,
        });
        let before = watch.mark();
        expect((await sender.send(create('Seen'))).status).to.equal(201);
        expect(watch.changedSince(before)).to.match(/customers INSERT x1/);
        before = watch.mark();
        expect((await sender.send(create(''))).status).to.equal(400);
        expect(watch.changedSince(before)).to.equal(undefined);
      } finally {
        sender.close();
      }
    });

    it('judges an INTERNAL, a stack trace and a misplaced status as failures', () => {
      const req = loadTemplates('/soap/CustomerService').find((t) => t.channel === 'xml' && t.method === 'POST');
      expect(req).to.exist;
      const r = instantiate(req as NonNullable<typeof req>, { id: 'x', externalId: 'ERP-x' }, new Random(1));
      const fault = (code: string, status: number, message = 'm'): FuzzAnswer => ({
        status,
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><ServiceFault xmlns="urn:crm-bridge:customer:v1"><code>${code}</code><message>${message}</message></ServiceFault>`),
      });
      expect(judge(r, fault('VALIDATION_FAILED', 400)).problems).to.deep.equal([]);
      expect(judge(r, fault('INTERNAL', 500)).problems).to.deep.equal(['INTERNAL']);
      expect(judge(r, fault('NOT_FOUND', 400)).problems).to.have.length(1);
      expect(judge(r, fault('VALIDATION_FAILED', 400, 'Error: x\n    at read (/srv/src/x.ts:1:2)')).problems).to.have.length(1);
    });

    it('judges an /api INTERNAL, a misplaced status, MALFORMED_XML and a body it should not have served as failures', () => {
      const t = loadTemplates('/soap/CustomerService').find((x) => x.name === 'json/01-create');
      expect(t).to.exist;
      const r = instantiate(t as Template, { id: 'x', externalId: 'ERP-x' }, new Random(1));
      const error = (code: string, status: number, extra: Record<string, unknown> = {}): FuzzAnswer => ({
        status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(JSON.stringify({ code, message: 'The body is not JSON: x at line 1, column 2', errors: [{ path: '/name', message: 'm' }], ...extra })),
      });
      const created: FuzzAnswer = {
        status: 201,
        headers: { 'content-type': 'application/json; charset=utf-8', location: '/api/customers/x' },
        body: Buffer.from(JSON.stringify({ id: 'x', type: 'PERSON', name: 'n', addresses: [], contacts: [], version: 1 })),
      };
      expect(judge(r, error('MALFORMED_JSON', 400)).problems).to.deep.equal([]);
      expect(judge(r, created).problems).to.deep.equal([]);
      expect(judge(r, error('INTERNAL', 500)).problems).to.deep.equal(['INTERNAL']);
      expect(judge(r, error('NOT_FOUND', 400)).problems).to.have.length(1);
      expect(judge(r, error('MALFORMED_XML', 400)).problems).to.have.length(1);
      expect(judge(r, error('VALIDATION_FAILED', 400, { stack: 'x' })).problems).to.have.length(1);
      const proto = { ...r, body: Buffer.from('{"__proto__":{"type":"PERSON","name":"x"}}') };
      expect(judge(proto, created).problems).to.deep.equal(['served a body with unknown member(s) /__proto__']);
      const repeated = { ...r, body: Buffer.from('{"type":"PERSON","name":"x","name":"y"}') };
      expect(judge(repeated, created).problems).to.deep.equal(['served a body that repeats member "name"']);
      const surrogate = { ...r, body: Buffer.from('{"type":"PERSON","name":"\\ud800"}') };
      expect(judge(surrogate, created).problems).to.deep.equal(['served a body carrying U+D800, which XML 1.0 cannot']);
    });
  });

  describe('auth off (v1 clients)', () => {
    let server: TestServer;
    before(async () => { server = await startServer(); });
    after(async () => { await server.close(); });

    it(`answers every mutated request within the contract and changes nothing when it refuses`, async () => {
      report(await fuzz(server, indexesFor(0), undefined), false);
    });
  });

  describe('auth on (users and bearer tokens)', () => {
    let server: TestServer;
    let tokens: Tokens;
    before(async () => {
      const dataDir = tempDir('crm-fuzz-');
      await writeUsers(dataDir, FUZZ_USERS);
      tokens = await makeTokens(dataDir);
      server = await startServer({ CRM_DATA_DIR: dataDir, CRM_JWT_JWKS: path.join(dataDir, 'jwks.json'), CRM_JWT_ISSUER: ISSUER, CRM_JWT_AUDIENCE: AUDIENCE });
    });
    after(async () => { await server.close(); });

    it(`answers every mutated request within the contract, serves no one unproven, lets no reader write`, async () => {
      report(await fuzz(server, indexesFor(1), tokens), true);
    });
  });
});
