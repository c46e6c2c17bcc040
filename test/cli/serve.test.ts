// crm-bridge serve as an operator starts it again after a crash: a real
// process on a data folder a killed one left behind.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { tempDir } from '../helpers/temp-dir.js';

const MAIN = path.resolve('dist/src/main.js');

describe('crm-bridge serve (command line)', function () {
  this.timeout(30000);

  it('runs node with the V8 flags of npm start, whichever way it is started (the crm-bridge shebang or npm start)', () => {
    const v8Flags = (command: string): string[] => command.split(/\s+/).filter((arg) => arg.startsWith('--') && arg !== '--enable-source-maps');
    const shebang = fs.readFileSync(MAIN, 'utf8').split('\n')[0] ?? '';
    const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(v8Flags(shebang)).to.include('--max-semi-space-size=4');
    expect(v8Flags(shebang)).to.deep.equal(v8Flags(start));
  });

  it('removes at start the spool copy of a batch whose process was killed mid-import', async () => {
    const dataDir = tempDir('crm-serve-');
    const spool = path.join(dataDir, 'spool');
    fs.mkdirSync(spool);
    const orphan = `batch-${spawnSync(process.execPath, ['-e', '0']).pid}-0193abcd-0000-7000-8000-000000000001.xml`;
    fs.writeFileSync(path.join(spool, orphan), '<CustomerBatch>');
    const server = spawn(process.execPath, [MAIN, 'serve'], {
      env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_PORT: '0', CRM_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    try {
      const removed = await new Promise<unknown>((resolve) => {
        readline.createInterface({ input: server.stdout! }).on('line', (line) => {
          const fields = JSON.parse(line) as { msg?: string; removed?: unknown };
          if (fields.msg?.startsWith('removed the spool files')) resolve(fields.removed);
        });
      });
      expect(removed).to.deep.equal([orphan]);
      expect(fs.readdirSync(spool)).to.deep.equal([]);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
