// A streamed HTTP batch is copied to the spool folder while it is imported;
// the copy of a process that died part-way is removed when a server starts,
// and no other file there.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { removeOrphanSpools, spooledSource } from '../../src/import/batch-source.js';
import { thisProcess } from '../../src/this-process.js';
import { tempDir } from '../helpers/temp-dir.js';

async function* body(): AsyncGenerator<Buffer> {
  yield Buffer.from('<CustomerBatch/>');
}

describe('batch spool files', () => {
  it('are named for the process that writes them, and removed when the import ends', async () => {
    const spool = tempDir('crm-spool-');
    const source = spooledSource(body(), spool);
    for await (const chunk of source.open()) expect(chunk.length).to.be.greaterThan(0);
    const [name] = fs.readdirSync(spool);
    expect(name).to.match(new RegExp(`^batch-${process.pid}-[0-9a-f-]{36}\\.xml$`));
    await source.close();
    expect(fs.readdirSync(spool)).to.deep.equal([]);
  });

  it('of processes that no longer run, or had this process\'s id, are removed at start; those of running processes and other files stay', () => {
    const spool = tempDir('crm-spool-');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const uuid = '0193abcd-0000-7000-8000-000000000001';
    const files = {
      dead: `batch-${dead}-${uuid}.xml`,
      own: `batch-${process.pid}-${uuid}.xml`,
      running: `batch-${process.ppid}-${uuid}.xml`,
      other: 'notes.txt',
    };
    for (const name of Object.values(files)) fs.writeFileSync(path.join(spool, name), 'x');
    // Own id: a restart given the same process id (as in a container) left it; nothing of this process is spooled at start.
    expect(removeOrphanSpools(spool, thisProcess()).sort()).to.deep.equal([files.dead, files.own].sort());
    expect(fs.readdirSync(spool).sort()).to.deep.equal([files.running, files.other].sort());
  });

  it('are nothing to remove when the spool folder does not exist yet', () => {
    expect(removeOrphanSpools(path.join(tempDir('crm-spool-'), 'spool'), thisProcess())).to.deep.equal([]);
  });
});
