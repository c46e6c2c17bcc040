// Safe by default (issue 17, item 7): with no users and no token issuer,
// crm-bridge serve refuses to listen on a non-loopback address unless
// CRM_AUTH=off, which it then warns about at every start. A real process.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { isLoopback, judgeExposure } from '../../src/auth/exposure.js';
import { tempDir } from '../helpers/temp-dir.js';
import { writeUsers } from '../helpers/auth.js';

const MAIN = path.resolve('dist/src/main.js');

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly lines: Record<string, unknown>[];
}

/** Runs `crm-bridge serve` until it exits, or until it listens (then stops it with SIGTERM). */
function serve(env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { ...process.env, CRM_PORT: '0', CRM_LOG_LEVEL: 'info', CRM_EXCHANGE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const lines: Record<string, unknown>[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const fields = JSON.parse(line) as Record<string, unknown>;
    lines.push(fields);
    if (fields['msg'] === 'crm-bridge listening') child.kill('SIGTERM');
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr, lines })));
}

describe('safe by default: the start off loopback without auth', function () {
  this.timeout(30000);

  it('knows loopback: 127.0.0.0/8, ::1 in any spelling, localhost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST']) expect(isLoopback(host), host).to.equal(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '::ffff:8.8.8.8', '']) expect(isLoopback(host), host).to.equal(false);
    expect(judgeExposure('0.0.0.0', true, false)).to.deep.equal({});
    expect(judgeExposure('127.0.0.1', false, false)).to.deep.equal({});
  });

  it('refuses CRM_HOST=0.0.0.0 with no users and no CRM_JWT_JWKS, naming CRM_USERS_FILE, CRM_JWT_JWKS and CRM_AUTH=off', async () => {
    const run = await serve({ CRM_DATA_DIR: tempDir('crm-refuse-'), CRM_HOST: '0.0.0.0' });
    expect(run.code).to.equal(1);
    for (const name of ['CRM_USERS_FILE', 'CRM_JWT_JWKS', 'CRM_AUTH=off']) expect(run.stderr).to.contain(name);
    expect(run.lines.some((l) => l['msg'] === 'crm-bridge listening')).to.equal(false);
  });

  it('starts with CRM_AUTH=off, with a warning, and with a user without one', async () => {
    const off = await serve({ CRM_DATA_DIR: tempDir('crm-refuse-'), CRM_HOST: '0.0.0.0', CRM_AUTH: 'off' });
    expect(off.code, off.stderr).to.equal(0);
    expect(off.lines.find((l) => l['level'] === 40 && String(l['msg']).includes('CRM_AUTH=off'))).to.not.equal(undefined);
    const dataDir = tempDir('crm-refuse-');
    await writeUsers(dataDir, { erp: { password: 'pw', role: 'writer' } });
    const withUser = await serve({ CRM_DATA_DIR: dataDir, CRM_HOST: '0.0.0.0' });
    expect(withUser.code, withUser.stderr).to.equal(0);
    expect(withUser.lines.find((l) => l['msg'] === 'crm-bridge listening')?.['auth']).to.equal('on');
    expect(withUser.lines.some((l) => l['level'] === 40)).to.equal(false);
  });
});
