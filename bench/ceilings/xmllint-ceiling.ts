// The validation ceiling: `xmllint --stream --schema xsd/customer.xsd` (libxml2's
// own streaming validator, in C) over a CustomerBatch file of N customers.
// crm-bridge validates every record of a streamed import against the same
// schema with the same libxml2, so this bounds its import rate from the
// validation side. xmllint comes from Debian's libxml2-utils; when it is not
// installed the result says so and the bench goes on.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBatchFile } from '../batch-file.js';
import { fmt } from '../format.js';

const XSD = path.resolve('xsd/customer.xsd');

export type XmllintCeiling =
  | { readonly kind: 'measured'; readonly customers: number; readonly bytes: number; readonly seconds: number; readonly perSecond: number; readonly version: string }
  | { readonly kind: 'absent'; readonly reason: string };

interface Run { readonly code: number | null; readonly stderr: string; readonly seconds: number }

/** Runs xmllint; rejects with ENOENT when it is not installed. Killed with the bench. */
function xmllint(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('xmllint', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const killOnExit = (): void => { child.kill('SIGKILL'); };
    process.on('exit', killOnExit);
    let stderr = '';
    // Only the tail: a broken file can make xmllint write an error per record.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
    child.once('error', (err) => {
      process.off('exit', killOnExit);
      reject(err);
    });
    child.once('close', (code) => {
      process.off('exit', killOnExit);
      resolve({ code, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

export async function measureXmllintCeiling(customers: number): Promise<XmllintCeiling> {
  let version: string;
  try {
    version = (await xmllint(['--version'])).stderr.split('\n')[0]?.trim() ?? 'xmllint';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      console.log('\nxmllint ceiling: xmllint is not installed (Debian: apt-get install libxml2-utils); skipped');
      return { kind: 'absent', reason: 'xmllint not installed (apt-get install libxml2-utils)' };
    }
    throw err;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-bench-xmllint-'));
  try {
    const file = path.join(dir, 'customers.xml');
    console.log(`\nxmllint ceiling: writing a ${fmt(customers)}-customer CustomerBatch to ${file}`);
    const bytes = await writeBatchFile(file, customers);
    const run = await xmllint(['--stream', '--noout', '--schema', XSD, file]);
    if (run.code !== 0) throw new Error(`xmllint --stream --schema exited with ${String(run.code)}:\n${run.stderr}`);
    const perSecond = customers / run.seconds;
    console.log(`  ${version}: ${fmt(customers)} customers (${(bytes / 2 ** 20).toFixed(0)} MiB) validated in ${run.seconds.toFixed(2)} s, ` +
      `${fmt(Math.round(perSecond))} customers/s (${run.stderr.trim().split('\n').at(-1) ?? ''})`);
    return { kind: 'measured', customers, bytes, seconds: run.seconds, perSecond, version };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
