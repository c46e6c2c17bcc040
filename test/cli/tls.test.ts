// HTTPS (CRM_TLS_CERT, CRM_TLS_KEY): the real `crm-bridge serve` process with
// a certificate the test makes (openssl), asked over TLS as a client that
// trusts only that certificate would.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import type { TLSSocket } from 'node:tls';
import { tempDir } from '../helpers/temp-dir.js';

const MAIN = path.resolve('dist/src/main.js');

interface Pair { readonly cert: string; readonly key: string }

/** A self-signed certificate for 127.0.0.1 and localhost, valid a day. */
function makeCertificate(dir: string, name: string): Pair {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=crm-bridge ${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert,
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  return { cert, key };
}

interface Served {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

function serve(dataDir: string, env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const fields = JSON.parse(line) as { msg?: string; url?: string };
      if (fields.msg === 'crm-bridge listening' && fields.url !== undefined) resolve({ process: child, url: fields.url, exited });
    });
  });
}

/** Exit status and standard error of a start that must be refused. */
async function refusedStart(dataDir: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_LOG_LEVEL: 'fatal', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

interface Answer { readonly status: number; readonly body: string; readonly fingerprint: string }

function get(url: string, ca: string, options: https.RequestOptions = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: fs.readFileSync(ca), agent: false, ...options }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function fingerprintOf(certFile: string): string {
  return new X509Certificate(fs.readFileSync(certFile)).fingerprint256;
}

describe('HTTPS (CRM_TLS_CERT, CRM_TLS_KEY)', function () {
  this.timeout(30000);
  let dir: string;
  let first: Pair;

  before(() => {
    dir = tempDir('crm-tls-');
    first = makeCertificate(dir, 'first');
  });

  it('serves every channel over TLS with the certificate given, and the WSDL advertises https', async () => {
    const served = await serve(tempDir('crm-tls-data-'), { CRM_TLS_CERT: first.cert, CRM_TLS_KEY: first.key });
    try {
      expect(served.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await get(`${served.url}/health`, first.cert);
      expect(health.status).to.equal(200);
      expect(health.fingerprint).to.equal(fingerprintOf(first.cert));
      const wsdl = await get(`${served.url}/soap/CustomerService?wsdl`, first.cert);
      expect(wsdl.body).to.contain(`location="${served.url}/soap/CustomerService"`);
      const missing = await get(`${served.url}/xml/customers/00000000-0000-7000-8000-000000000000`, first.cert);
      expect(missing.status).to.equal(404);
      expect(missing.body).to.contain('<code>NOT_FOUND</code>');
      const soap = await get(`${served.url}/soap/CustomerService`, first.cert, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:crm-bridge:customer:v1/GetCustomer"' } },
        fs.readFileSync('samples/soap11/07-GetCustomer-not-found.request.xml', 'utf8'));
      expect(soap.status).to.equal(500);
      expect(soap.body, soap.body).to.contain('<code>NOT_FOUND</code>');
      // A client that does not trust the certificate is refused by its own TLS check.
      const untrusted = await get(`${served.url}/health`, first.cert, { ca: undefined }).then(() => 'answered', (err: Error) => err.message);
      expect(untrusted).to.match(/self[- ]signed/i);
    } finally {
      served.process.kill('SIGTERM');
      await served.exited;
    }
  });

  it('serves new connections with a renewed certificate after SIGHUP, without a restart', async () => {
    const live = { cert: path.join(dir, 'live.crt'), key: path.join(dir, 'live.key') };
    fs.copyFileSync(first.cert, live.cert);
    fs.copyFileSync(first.key, live.key);
    const served = await serve(tempDir('crm-tls-data-'), { CRM_TLS_CERT: live.cert, CRM_TLS_KEY: live.key });
    try {
      const renewed = makeCertificate(dir, 'renewed');
      fs.copyFileSync(renewed.cert, live.cert);
      fs.copyFileSync(renewed.key, live.key);
      served.process.kill('SIGHUP');
      const deadline = Date.now() + 10_000;
      let seen = '';
      while (Date.now() < deadline) {
        seen = await get(`${served.url}/health`, renewed.cert).then((a) => a.fingerprint, () => '');
        if (seen !== '') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen).to.equal(fingerprintOf(renewed.cert));
    } finally {
      served.process.kill('SIGTERM');
      await served.exited;
    }
  });

  it('refuses to start, naming the settings, when the key is not the certificate\'s or one of the two is missing', async () => {
    const other = makeCertificate(dir, 'other');
    const mismatched = await refusedStart(tempDir('crm-tls-data-'), { CRM_TLS_CERT: first.cert, CRM_TLS_KEY: other.key });
    expect(mismatched.code).to.equal(1);
    expect(mismatched.stderr).to.contain('CRM_TLS_CERT').and.to.contain('CRM_TLS_KEY');
    const alone = await refusedStart(tempDir('crm-tls-data-'), { CRM_TLS_CERT: first.cert });
    expect(alone.code).to.not.equal(0);
    expect(alone.stderr).to.contain('CRM_TLS_CERT and CRM_TLS_KEY go together');
    const unreadable = await refusedStart(tempDir('crm-tls-data-'), { CRM_TLS_CERT: path.join(dir, 'absent.crt'), CRM_TLS_KEY: first.key });
    expect(unreadable.code).to.equal(1);
    expect(unreadable.stderr).to.contain('CRM_TLS_CERT: cannot read');
  });
});
