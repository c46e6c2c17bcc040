// writeAtomically: a reader sees the whole file or none, and a write that
// fails (a folder that cannot be written, a source that breaks) is an
// ordinary rejection that leaves nothing behind, never an uncaught error.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { writeAtomically } from '../../src/files/write-atomically.js';
import { tempDir } from '../helpers/temp-dir.js';

async function* pieces(...texts: string[]): AsyncGenerator<string> {
  yield* texts;
}

describe('writeAtomically', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('crm-atomic-'); });

  it('writes every piece under the final name and leaves no temporary file', async () => {
    await writeAtomically(path.join(dir, 'report.xml'), pieces('<a>', 'b', '</a>'));
    expect(fs.readFileSync(path.join(dir, 'report.xml'), 'utf8')).to.equal('<a>b</a>');
    expect(fs.readdirSync(dir)).to.deep.equal(['report.xml']);
  });

  it('rejects when the folder cannot be written (it is a file)', async () => {
    const notADir = path.join(dir, 'outbox');
    fs.writeFileSync(notADir, '');
    const failed = await writeAtomically(path.join(notADir, 'report.xml'), pieces('<a/>')).then(() => undefined, (err: unknown) => err);
    expect((failed as { code?: string } | undefined)?.code).to.equal('ENOTDIR');
  });

  it('rejects with the source\'s error when it breaks part-way, leaving neither the file nor a temporary one', async () => {
    async function* breaking(): AsyncGenerator<string> {
      yield '<a>';
      throw new Error('database is locked');
    }
    const failed = await writeAtomically(path.join(dir, 'report.xml'), breaking()).then(() => undefined, (err: unknown) => err);
    expect((failed as Error | undefined)?.message).to.equal('database is locked');
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});

describe('writeAtomically with a mode', () => {
  it('gives the file exactly that mode, whatever the umask and the mode of the file it replaces', async () => {
    const dir = tempDir('crm-atomic-mode-');
    const file = path.join(dir, 'users.json');
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    const umask = process.umask(0o002);
    try {
      await writeAtomically(file, pieces('{"users":{}}'), { mode: 0o600 });
    } finally {
      process.umask(umask);
    }
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(fs.readFileSync(file, 'utf8')).to.equal('{"users":{}}');
  });
});
