// The auth phase (issue 17: "measure the cost per request of auth against no
// auth"): GetCustomer by id under the same load, on the same data and the same
// server configuration, with no auth and with each credential a client can
// present: a WS-Security UsernameToken (PasswordText; PasswordDigest with a new
// Nonce and Created every request, so every request spends a real nonce),
// HTTP Basic (verified once, then remembered by the service), a Bearer JWT
// signed RS256 or ES256 (verified every request), on SOAP; Basic and Bearer on
// GET /xml/customers/{id}. Besides, the first Basic request of a user, which
// pays the scrypt the remembered ones do not, timed alone.
//
// Auth is on as soon as users or a JWKS are configured, so "no auth" is
// another server process. One data folder is filled, then copied (no server
// running), and two servers run side by side: one without auth on the
// original, one with auth on the copy (users in CRM_USERS_FILE, made by the
// real `crm-bridge users add`; CRM_JWT_JWKS a file the bench writes). The load
// alternates between them, one figure at a time: no auth, a credential, no
// auth, the next credential, ... so each credential's figure lies between two
// no-auth figures of its channel measured just before and just after it. On a
// machine shared with other work that moves by the minute, a baseline minutes
// away says little. The idle server's CPU during the other's figures is
// recorded: an idle server costs nothing, so the rule of one server at a time
// (no two competing for the CPU) still holds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeExit, runCrmBridge } from '../crm-bridge-command.js';
import { fill } from '../fill.js';
import { fmt } from '../format.js';
import { makeJwtIssuer, type JwtIssuer } from '../jwt-issuer.js';
import { measure, printResult, randomOf, send, soapRequest, type HttpLoadSpec, type LoadOptions, type LoadRequest, type LoadResult } from '../load.js';
import { printTable } from '../report/markdown.js';
import { startServer, withServer, type ServerProcess } from '../server-process.js';
import { customerCount, getCustomerById, leafText } from '../soap-requests.js';
import { basicAuthorization, usernameTokenHeader } from '../wsse-header.js';

const USER = 'bench';
/** Not a secret: a bench user on a throw-away data folder. */
const PASSWORD = 'bench-password-1';
/** Users per round whose first request is timed alone: each pays one scrypt, then is remembered (so each round has its own). */
const COLD_USERS = 5;

function coldUser(round: number, i: number): string {
  return `cold-${round + 1}-${i}`;
}
const ISSUER = 'https://issuer.bench.invalid/';
const AUDIENCE = 'crm-bridge-bench';

/** Where the no-auth baseline of a figure is measured: the same channel, no credentials. */
type Channel = 'soap' | 'xml';

export const AUTH_MODES = ['soap-text', 'soap-digest', 'soap-basic', 'soap-rs256', 'soap-es256', 'xml-basic', 'xml-es256'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

interface ModeInfo {
  readonly title: string;
  readonly channel: Channel;
  /**
   * Verifies a token or a digest on every request: the issue's "must not
   * halve GetCustomer's throughput" is said of these. Text and Basic are
   * verified with scrypt once and then remembered.
   */
  readonly verifiesEachRequest: boolean;
}

export const MODE_INFO: Readonly<Record<AuthMode, ModeInfo>> = {
  'soap-text': { title: 'SOAP, WS-Security UsernameToken PasswordText', channel: 'soap', verifiesEachRequest: false },
  'soap-digest': { title: 'SOAP, WS-Security PasswordDigest, new Nonce and Created per request', channel: 'soap', verifiesEachRequest: true },
  'soap-basic': { title: 'SOAP, HTTP Basic (remembered after the first)', channel: 'soap', verifiesEachRequest: false },
  'soap-rs256': { title: 'SOAP, Bearer JWT RS256 (2048-bit key)', channel: 'soap', verifiesEachRequest: true },
  'soap-es256': { title: 'SOAP, Bearer JWT ES256 (P-256)', channel: 'soap', verifiesEachRequest: true },
  'xml-basic': { title: 'GET /xml/customers/{id}, HTTP Basic (remembered after the first)', channel: 'xml', verifiesEachRequest: false },
  'xml-es256': { title: 'GET /xml/customers/{id}, Bearer JWT ES256 (P-256)', channel: 'xml', verifiesEachRequest: true },
};

export const BASELINE_TITLE: Readonly<Record<Channel, string>> = {
  soap: 'SOAP, no auth',
  xml: 'GET /xml/customers/{id}, no auth',
};

/** A credential's figure with the no-auth figures of its channel just before and just after it. */
export interface ModeFigure {
  readonly before: LoadResult;
  readonly auth: LoadResult;
  readonly after: LoadResult;
}

export interface ColdBasic {
  /** The first Basic request of each cold user: scrypt, then remembered. */
  readonly firstMs: readonly number[];
  /** The same user's second request, remembered. */
  readonly againMs: readonly number[];
}

export interface AuthRound {
  readonly results: Readonly<Record<AuthMode, ModeFigure>>;
  readonly coldBasic: ColdBasic;
}

export interface AuthPhaseResult {
  readonly customers: number;
  readonly rounds: readonly AuthRound[];
  /** CPU the idle server used while the other was measured, and over how long (undefined where /proc does not tell). */
  readonly idle: { readonly cpuMs: number; readonly seconds: number } | undefined;
}

export interface AuthPhaseOptions {
  readonly customers: number;
  readonly rounds: number;
  readonly inFlight: number;
  readonly load: Omit<LoadOptions, 'url'>;
  readonly serverNodeArgs: readonly string[];
}

function xmlGet(id: string, headers: Readonly<Record<string, string>> = {}): LoadRequest {
  return { method: 'GET', path: `/xml/customers/${encodeURIComponent(id)}`, headers: { accept: 'application/xml', ...headers } };
}

function soapGet(id: string, headers: Readonly<Record<string, string>> = {}, securityHeader = ''): LoadRequest {
  return soapRequest('GetCustomer', getCustomerById(id, securityHeader), headers);
}

/** The request of `mode` for customer `id`: a digest's Nonce and Created are new each call. */
function requestFor(mode: AuthMode, id: string, tokens: Readonly<Record<'RS256' | 'ES256', string>>): LoadRequest {
  const basic = { authorization: basicAuthorization(USER, PASSWORD) };
  switch (mode) {
    case 'soap-text': return soapGet(id, {}, usernameTokenHeader({ user: USER, password: PASSWORD, type: 'text' }));
    case 'soap-digest': return soapGet(id, {}, usernameTokenHeader({ user: USER, password: PASSWORD, type: 'digest' }));
    case 'soap-basic': return soapGet(id, basic);
    case 'soap-rs256': return soapGet(id, { authorization: `Bearer ${tokens.RS256}` });
    case 'soap-es256': return soapGet(id, { authorization: `Bearer ${tokens.ES256}` });
    case 'xml-basic': return xmlGet(id, basic);
    case 'xml-es256': return xmlGet(id, { authorization: `Bearer ${tokens.ES256}` });
  }
}

/** A sample answer must be the customer asked for, or the figure would not be GetCustomer's. */
async function checkSample(url: string, title: string, request: LoadRequest, id: string): Promise<void> {
  const sample = await send(url, request);
  const right = sample.status === 200 && leafText(sample.body, 'id') === id && (request.method === 'GET' || customerCount(sample.body) === 1);
  console.log(`\n  ${title}: one answer is HTTP ${sample.status}, ${fmt(Buffer.byteLength(sample.body))} bytes`);
  if (!right) throw new Error(`${title}: expected HTTP 200 with customer ${id}, got HTTP ${sample.status}:\n${sample.body.slice(0, 3000)}`);
}

async function measureSpec(server: ServerProcess, title: string, next: (id: string) => LoadRequest, ids: readonly string[], load: Omit<LoadOptions, 'url'>): Promise<LoadResult> {
  const id = randomOf(ids);
  await checkSample(server.url, title, next(id), id);
  const spec: HttpLoadSpec = { title: `GetCustomer by id, ${title}`, nextRequest: () => next(randomOf(ids)) };
  const result = await measure(spec, { url: server.url, ...load, serverCpuSeconds: () => server.cpuSeconds() });
  printResult(result);
  return result;
}

/** The settings that turn auth on, as docs/security.md gives them. */
function authEnv(dataDir: string): Record<string, string> {
  return {
    CRM_USERS_FILE: path.join(dataDir, 'bench-users.json'),
    CRM_JWT_JWKS: path.join(dataDir, 'bench-jwks.json'),
    CRM_JWT_ISSUER: ISSUER,
    CRM_JWT_AUDIENCE: AUDIENCE,
  };
}

/** `crm-bridge users add NAME --role reader`, the password on standard input, as an operator adds a user. */
async function addUser(dataDir: string, name: string, password: string): Promise<void> {
  const run = await runCrmBridge(['users', 'add', name, '--role', 'reader'], dataDir, { CRM_USERS_FILE: authEnv(dataDir)['CRM_USERS_FILE'] ?? '' }, `${password}\n`);
  if (run.exitCode !== 0) throw new Error(`crm-bridge users add ${name}: ${describeExit(run)}\n${run.stderrTail}`);
  console.log(`  crm-bridge users add ${name} --role reader: ${run.stdout.trim()} (${run.seconds.toFixed(1)} s)`);
}

/**
 * Each cold user's first Basic request alone (nothing else in flight), which
 * verifies the password with scrypt, then its second, which the service
 * remembers: the difference is what the remembering saves per request.
 */
async function coldBasic(server: ServerProcess, round: number, ids: readonly string[]): Promise<ColdBasic> {
  const firstMs: number[] = [];
  const againMs: number[] = [];
  const timed = async (name: string): Promise<number> => {
    const id = randomOf(ids);
    const started = performance.now();
    const answer = await send(server.url, soapGet(id, { authorization: basicAuthorization(name, `${PASSWORD}-${name}`) }));
    const ms = performance.now() - started;
    if (answer.status !== 200) throw new Error(`Basic as ${name}: HTTP ${answer.status}\n${answer.body.slice(0, 3000)}`);
    return ms;
  };
  for (let i = 1; i <= COLD_USERS; i++) {
    firstMs.push(await timed(coldUser(round, i)));
    againMs.push(await timed(coldUser(round, i)));
  }
  console.log(`\n  SOAP, HTTP Basic, a user's first request alone (scrypt): ${firstMs.map((ms) => ms.toFixed(1)).join(', ')} ms; ` +
    `its second (remembered): ${againMs.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  return { firstMs, againMs };
}

/** Tracks the CPU a server uses while the other one is under load. */
class IdleMeter {
  cpuSeconds = 0;
  seconds = 0;
  known = true;

  async during<T>(idle: ServerProcess, work: () => Promise<T>): Promise<T> {
    const cpu = idle.cpuSeconds();
    const started = performance.now();
    const result = await work();
    const after = idle.cpuSeconds();
    if (cpu === undefined || after === undefined) this.known = false;
    else this.cpuSeconds += after - cpu;
    this.seconds += (performance.now() - started) / 1000;
    return result;
  }
}

async function measureRound(plain: ServerProcess, auth: ServerProcess, round: number, ids: readonly string[],
  tokens: Readonly<Record<'RS256' | 'ES256', string>>, load: Omit<LoadOptions, 'url'>, idle: IdleMeter): Promise<AuthRound> {
  // Auth must really be on: a call without credentials is refused.
  const bare = await send(auth.url, soapGet(randomOf(ids)));
  if (!bare.body.includes('UNAUTHORIZED')) throw new Error(`auth server: a call without credentials was not refused (HTTP ${bare.status}):\n${bare.body.slice(0, 3000)}`);
  const baseline = (channel: Channel): Promise<LoadResult> =>
    idle.during(auth, () => measureSpec(plain, BASELINE_TITLE[channel], channel === 'soap' ? (id) => soapGet(id) : (id) => xmlGet(id), ids, load));
  // SOAP's credentials, then /xml's; every other round in reverse, so no credential always runs first or last.
  const order = round % 2 === 0 ? AUTH_MODES : [...AUTH_MODES].reverse();
  const results: Partial<Record<AuthMode, ModeFigure>> = {};
  let last: { channel: Channel; result: LoadResult } | undefined;
  for (const mode of order) {
    const { channel } = MODE_INFO[mode];
    const before = last?.channel === channel ? last.result : await baseline(channel);
    const figure = await idle.during(plain, () => measureSpec(auth, MODE_INFO[mode].title, (id) => requestFor(mode, id, tokens), ids, load));
    const next = order[order.indexOf(mode) + 1];
    const after = await baseline(channel);
    results[mode] = { before, auth: figure, after };
    last = next === undefined || MODE_INFO[next].channel !== channel ? undefined : { channel, result: after };
  }
  return { results: results as Record<AuthMode, ModeFigure>, coldBasic: await coldBasic(auth, round, ids) };
}

export async function runAuthPhase(options: AuthPhaseOptions): Promise<AuthPhaseResult> {
  const { customers, load, rounds } = options;
  console.log(`\nauth phase: GetCustomer by id without auth and with each credential, ${fmt(customers)} customers, ` +
    `${load.connections} connections, ${load.warmupSeconds} s warm-up, ${load.seconds} s counted; ` +
    `a server without auth and one with auth side by side, the load alternating: no auth, a credential, no auth, ...; ${rounds} round(s)`);
  const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-bench-auth-plain-'));
  const authDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-bench-auth-'));
  try {
    let ids: readonly string[] = [];
    await withServer(() => startServer(options.serverNodeArgs, { dataDir: plainDir }), async (server) => {
      console.log(`\nauth phase: fill (crm-bridge without auth, pid ${server.pid}), data in ${plainDir}`);
      const filled = await fill({ url: server.url, customers, batchSize: 1000, inFlight: options.inFlight, keepIds: customers });
      ids = filled.sampledIds;
      console.log(`  filled ${fmt(customers)} customers in ${filled.seconds.toFixed(1)} s`);
    });
    // Stopped, the store is one file again (its WAL checkpointed): the copy is the same data.
    fs.cpSync(plainDir, authDir, { recursive: true });

    console.log(`\nauth phase: users and token keys in ${authDir}`);
    await addUser(authDir, USER, PASSWORD);
    for (let round = 0; round < rounds; round++) {
      for (let i = 1; i <= COLD_USERS; i++) await addUser(authDir, coldUser(round, i), `${PASSWORD}-${coldUser(round, i)}`);
    }
    const issuer: JwtIssuer = await makeJwtIssuer(authEnv(authDir)['CRM_JWT_JWKS'] ?? '', ISSUER, AUDIENCE);
    // One token per key, sent with every request as a client does until it expires; verified every time.
    const tokens = { RS256: await issuer.token('RS256', 'bench-client', 'crm.read'), ES256: await issuer.token('ES256', 'bench-client', 'crm.read') };

    const idle = new IdleMeter();
    const results = await withServer(() => startServer(options.serverNodeArgs, { dataDir: plainDir }), (plain) =>
      withServer(() => startServer(options.serverNodeArgs, { dataDir: authDir, env: authEnv(authDir) }), async (auth) => {
        console.log(`\nauth phase: crm-bridge without auth (pid ${plain.pid}) and with auth (pid ${auth.pid}: CRM_USERS_FILE, CRM_JWT_JWKS, ` +
          'CRM_JWT_ISSUER, CRM_JWT_AUDIENCE), the same data, the same settings otherwise');
        const out: AuthRound[] = [];
        for (let round = 0; round < rounds; round++) {
          console.log(`\nauth phase, round ${round + 1} of ${rounds}`);
          out.push(await measureRound(plain, auth, round, ids, tokens, load, idle));
        }
        return out;
      }));
    const result: AuthPhaseResult = {
      customers,
      rounds: results,
      idle: idle.known ? { cpuMs: idle.cpuSeconds * 1000, seconds: idle.seconds } : undefined,
    };
    console.log('\nauth phase: each figure beside the no-auth figures of its channel just before and after it (their mean; the range of the two)\n');
    printTable(AUTH_TABLE_HEADERS, authTableRows(result));
    console.log(`\n${authVerdict(result)}`);
    if (result.idle !== undefined) {
      console.log(`the idle server used ${result.idle.cpuMs.toFixed(0)} ms of CPU in ${result.idle.seconds.toFixed(0)} s of the other's figures`);
    }
    return result;
  } finally {
    fs.rmSync(plainDir, { recursive: true, force: true });
    fs.rmSync(authDir, { recursive: true, force: true });
  }
}

// ---- report

/** The no-auth figure a credential's is read against: the mean of the no-auth figures just before and after it. */
export interface Baseline {
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuMicros: number | undefined;
  /** req/s of the two no-auth servers, for the range. */
  readonly range: readonly [number, number];
  readonly failed: number;
}

export function baselineOf(result: AuthPhaseResult, round: number, mode: AuthMode): Baseline {
  const figure = result.rounds[round]?.results[mode];
  if (figure === undefined) throw new Error(`auth phase: no ${mode} in round ${round + 1}`);
  const { before, after } = figure;
  const mean = (a: number, b: number): number => (a + b) / 2;
  const cpu = before.serverCpuMicros === undefined || after.serverCpuMicros === undefined ? undefined : mean(before.serverCpuMicros, after.serverCpuMicros);
  return {
    reqPerSec: mean(before.reqPerSec, after.reqPerSec),
    p50Ms: mean(before.p50Ms, after.p50Ms),
    p99Ms: mean(before.p99Ms, after.p99Ms),
    serverCpuMicros: cpu,
    range: [Math.min(before.reqPerSec, after.reqPerSec), Math.max(before.reqPerSec, after.reqPerSec)],
    failed: before.non2xx + before.errors + after.non2xx + after.errors,
  };
}

function ratio(value: number, base: number): string {
  return base > 0 ? `${(value / base).toFixed(2)}×` : '—';
}

function failedOf(r: LoadResult): number {
  return r.non2xx + r.errors;
}

/** Whether `mode` in `round` keeps at least half the no-auth throughput; undefined when failed requests make it unfit to judge. */
export function keepsHalf(result: AuthPhaseResult, round: number, mode: AuthMode): boolean | undefined {
  const r = result.rounds[round]?.results[mode].auth;
  if (r === undefined) return undefined;
  const base = baselineOf(result, round, mode);
  if (failedOf(r) > 0 || base.failed > 0) return undefined;
  return r.reqPerSec >= 0.5 * base.reqPerSec;
}

export const AUTH_TABLE_HEADERS = ['GetCustomer by id', 'round', 'req/s (no auth)', 'req/s', 'ratio', 'p50 (no auth) / p50', 'p99 (no auth) / p99',
  'server CPU µs per answer (no auth) / with auth', 'added per request'] as const;

export function authTableRows(result: AuthPhaseResult): string[][] {
  return result.rounds.flatMap((round, i) => AUTH_MODES.map((mode): string[] => {
    const r = round.results[mode].auth;
    const base = baselineOf(result, i, mode);
    const failed = failedOf(r);
    const cpu = r.serverCpuMicros === undefined || base.serverCpuMicros === undefined ? undefined : [base.serverCpuMicros, r.serverCpuMicros];
    return [
      MODE_INFO[mode].title,
      String(i + 1),
      `${fmt(Math.round(base.reqPerSec))} (${fmt(Math.round(base.range[0]))}-${fmt(Math.round(base.range[1]))})`,
      `${fmt(Math.round(r.reqPerSec))}${failed > 0 ? ` (${fmt(failed)} failed)` : ''}`,
      ratio(r.reqPerSec, base.reqPerSec),
      `${base.p50Ms.toFixed(1)} / ${r.p50Ms} ms (${ratio(r.p50Ms, base.p50Ms)})`,
      `${base.p99Ms.toFixed(1)} / ${r.p99Ms} ms (${ratio(r.p99Ms, base.p99Ms)})`,
      cpu === undefined ? 'n/a' : `${fmt(Math.round(cpu[0] ?? 0))} / ${fmt(Math.round(cpu[1] ?? 0))}`,
      cpu === undefined ? 'n/a' : `${(cpu[1] ?? 0) - (cpu[0] ?? 0) >= 0 ? '+' : ''}${fmt(Math.round((cpu[1] ?? 0) - (cpu[0] ?? 0)))} µs CPU`,
    ];
  }));
}

/** Issue 17's "verifying a token or a digest must not halve GetCustomer's throughput", as this run found it (a finding, not a test). */
export function authVerdict(result: AuthPhaseResult): string {
  const judged = result.rounds.flatMap((_, i) => AUTH_MODES.filter((m) => MODE_INFO[m].verifiesEachRequest).map((mode) => {
    const r = result.rounds[i]?.results[mode].auth;
    const base = baselineOf(result, i, mode);
    return { mode, round: i + 1, keeps: keepsHalf(result, i, mode), ratio: r === undefined ? 0 : r.reqPerSec / base.reqPerSec };
  }));
  const halved = judged.filter((j) => j.keeps === false);
  const unjudged = judged.filter((j) => j.keeps === undefined);
  const worst = [...judged].sort((a, b) => a.ratio - b.ratio)[0];
  const worstText = worst === undefined ? '' : `; lowest: ${MODE_INFO[worst.mode].title}, round ${worst.round}, ${worst.ratio.toFixed(2)}×`;
  if (halved.length > 0) {
    return `issue 17, "verifying a token or a digest must not halve GetCustomer's throughput": NOT met by ` +
      `${[...new Set(halved.map((h) => MODE_INFO[h.mode].title))].join('; ')}${worstText}`;
  }
  if (unjudged.length > 0) return `issue 17, "verifying a token or a digest must not halve GetCustomer's throughput": not judged (failed requests)${worstText}`;
  return `issue 17, "verifying a token or a digest must not halve GetCustomer's throughput": met in every round${worstText}`;
}

/** Rows of the figures table. */
export function authPhaseRows(result: AuthPhaseResult): [string, string][] {
  const line = (r: LoadResult): string => `${fmt(Math.round(r.reqPerSec))} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, ` +
    `${r.non2xx} non-2xx, ${r.errors} connection errors${r.serverCpuMicros === undefined ? '' : `, server CPU ${fmt(r.serverCpuMicros)} µs per answer`}`;
  const ms = (list: readonly number[]): string => list.map((x) => x.toFixed(1)).join(', ');
  const rows: [string, string][] = result.rounds.flatMap((round, i): [string, string][] => [
    ...AUTH_MODES.flatMap((mode): [string, string][] => {
      const f = round.results[mode];
      const title = `auth phase, round ${i + 1}: GetCustomer by id, ${MODE_INFO[mode].title}`;
      return [[title, line(f.auth)], [`${title}: no auth just before / just after`, `${line(f.before)} / ${line(f.after)}`]];
    }),
    [`auth phase, round ${i + 1}: SOAP, HTTP Basic, a user's first request alone (scrypt) / its second (remembered)`,
      `${ms(round.coldBasic.firstMs)} ms / ${ms(round.coldBasic.againMs)} ms`],
  ]);
  if (result.idle !== undefined) {
    rows.push(['auth phase: CPU of the idle server while the other was measured', `${result.idle.cpuMs.toFixed(0)} ms in ${result.idle.seconds.toFixed(0)} s`]);
  }
  return rows;
}
