// The auth stage (dispatch/auth-stage.ts): network channels verified while
// auth is on, anonymous while it is off; the local channels (crm-bridge
// import/export, the drop folder) trusted, as the actor they name; what a
// role may call (operation-access.ts); refusals logged with their reason.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher, createDropFolder, stages } from '../../src/app.js';
import { exportCommand } from '../../src/cli/export-command.js';
import type { CliContext } from '../../src/cli/cli-context.js';
import { AuthStage, type CallerVerifier } from '../../src/dispatch/auth-stage.js';
import { EXPORT } from '../../src/dispatch/export-entry.js';
import { accessOf } from '../../src/dispatch/operation-access.js';
import { OPERATIONS } from '../../src/dispatch/operation-table.js';
import type { RequestContext } from '../../src/dispatch/request-context.js';
import type { Stage } from '../../src/dispatch/stage.js';
import type { Caller } from '../../src/domain/caller.js';
import { AUTHENTICATION_FAILED, ForbiddenError, UnauthorizedError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { record } from '../helpers/batch.js';
import { tempDir } from '../helpers/temp-dir.js';

class Verifier implements CallerVerifier {
  enabled = true;
  calls = 0;
  constructor(private readonly answer: Caller | Error) {}
  on(): boolean { return this.enabled; }
  async verify(): Promise<Caller> {
    this.calls += 1;
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

/** Remembers the caller each request reached it with. */
class CallerRecorder implements Stage {
  readonly callers: (Caller | undefined)[] = [];
  async admit(context: RequestContext): Promise<void> {
    this.callers.push(context.caller);
  }
}

const reader: Caller = { name: 'reports', role: 'reader', provenBy: 'password' };

describe('the auth stage', () => {
  const warnings: object[] = [];
  const log = { warn: (obj: object) => { warnings.push(obj); } };

  it('gives every operation an access: reads for GetCustomer, SearchCustomers, GetChanges, Export; writes for the rest and for names it does not know', () => {
    const reads = [...OPERATIONS.keys(), EXPORT.name, 'ImportBatch', 'PreviewBatch', 'SomethingNew'].filter((op) => accessOf(op) === 'read');
    expect(reads.sort()).to.deep.equal(['Export', 'GetChanges', 'GetCustomer', 'SearchCustomers']);
  });

  it('sets the verified caller; refuses a reader\'s write as FORBIDDEN and logs it with the request id', async () => {
    const stage = new AuthStage(new Verifier(reader), log);
    const context: RequestContext = { channel: 'xml', requestId: 'r-1', credentials: { authorization: 'Basic x' } };
    await stage.admit(context, 'GetCustomer');
    expect(context.caller).to.deep.equal(reader);
    const write: RequestContext = { channel: 'soap-1.2', requestId: 'r-2' };
    const err = await stage.admit(write, 'UpsertCustomers').then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ForbiddenError);
    expect(write.caller).to.equal(undefined);
    expect(warnings.at(-1)).to.deep.include({ requestId: 'r-2', operation: 'UpsertCustomers', code: 'FORBIDDEN' });
  });

  it('logs an UNAUTHORIZED refusal\'s reason, which the client never reads', async () => {
    const stage = new AuthStage(new Verifier(new UnauthorizedError('wrong password')), log);
    const err = await stage.admit({ channel: 'xml', requestId: 'r-3' }, 'GetCustomer').then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(UnauthorizedError);
    expect((err as Error).message).to.equal(AUTHENTICATION_FAILED);
    expect(warnings.at(-1)).to.deep.include({ requestId: 'r-3', reason: 'wrong password', code: 'UNAUTHORIZED' });
  });

  it('lets network requests through anonymously while auth is off, without asking the verifier', async () => {
    const verifier = new Verifier(new UnauthorizedError('never asked'));
    verifier.enabled = false;
    const context: RequestContext = { channel: 'soap-1.1', requestId: 'r-4' };
    await new AuthStage(verifier, log).admit(context, 'DeleteCustomer');
    expect(context.caller).to.equal(undefined);
    expect(verifier.calls).to.equal(0);
  });

  it('trusts the local channels whatever the verifier says: a writer named by its actor', async () => {
    const stage = new AuthStage(new Verifier(new UnauthorizedError('never asked')), log);
    const cli: RequestContext = { channel: 'cli', requestId: 'r-5', actor: 'alice' };
    await stage.admit(cli, 'ImportBatch');
    expect(cli.caller).to.deep.equal({ name: 'alice', role: 'writer', provenBy: 'local' });
  });

  it('runs crm-bridge as the OS user and a dropped file as file:NAME through the composition root\'s stages', async () => {
    const dir = tempDir('crm-actor-');
    const config = loadConfig({ CRM_DATA_DIR: dir, CRM_EXCHANGE_STABLE_MS: '0', CRM_LOG_LEVEL: 'silent' });
    const store = new SqliteStore(openDatabase(config.dbFile));
    const recorder = new CallerRecorder();
    const dispatcher = createDispatcher(store, [...stages(), recorder]);
    try {
      const context: CliContext = { dispatcher, importWorkers: { enabled: false, minBytes: 0 }, maxRecordChars: 1 << 20, out: () => undefined, err: () => undefined };
      expect(await exportCommand(path.join(dir, 'out.xml'), {}, context)).to.equal(0);
      expect(recorder.callers.at(-1)).to.deep.equal({ name: os.userInfo().username, role: 'writer', provenBy: 'local' });
      const folder = createDropFolder(config, config.exchangeDir ?? '', store, createLogger('silent'), {}, dispatcher);
      await folder.poll();
      fs.writeFileSync(path.join(folder.dir('inbox'), 'erp-nightly.xml'), `<CustomerBatch xmlns="urn:crm-bridge:customer:v1" xmlns:c="urn:crm-bridge:customer:v1">\n${record('ACTOR-1')}</CustomerBatch>\n`);
      await folder.poll();
      await folder.poll();
      expect(recorder.callers.at(-1)).to.deep.equal({ name: 'file:erp-nightly.xml', role: 'writer', provenBy: 'local' });
    } finally {
      await store.close();
    }
  });
});
