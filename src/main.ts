#!/usr/bin/env -S node --max-semi-space-size=4 --no-allocation-site-pretenuring --heap-growing-percent=50 --v8-pool-size=0
// The crm-bridge command (commander: the standard, well-kept CLI parser for
// Node). `serve` is the default, so `node dist/src/main.js` and `npm start`
// run the service. Configuration comes from the environment (config.ts).
// The V8 flags (also in npm start):
// --max-semi-space-size=4: a streamed import allocates fast and V8's default
// 16 MiB semi-spaces let ~30 MiB of garbage sit in RSS; measured on 200k
// customers, peak RSS 189 MiB -> 164 MiB at the same speed.
// --no-allocation-site-pretenuring: after an import, V8 at times decided to
// allocate some short-lived objects straight in the old generation, and a
// following export in the same process then spent 2-3x the CPU, most of it in
// mark-compacts every ~0.25 s (300k customers: 14-19 s of CPU against ~6 s in
// a fresh process, in 6 of 17 runs; with the flag 5-8 s in 7 of 7).
// The import itself measured the same with and without it.
// --heap-growing-percent=50: V8 let the old generation grow to ~4x what was
// live (13 -> 58 MB between mark-compacts during an import); growing it by
// half instead took the peak RSS of a 300k import 184 -> 147-150 MB with the
// worker thread, 162 -> 126 MB without, at the same speed, which is what lets
// the worker thread be the default (a 1M import through POST /xml/batches:
// 7,932/s at 176 MB, against 7,487/s at 216 MB without the flag).
// --v8-pool-size=0: V8's background threads (parallel GC, concurrent marking,
// compiles) sized by Node from the available parallelism (one thread on two
// cores) instead of a fixed four, which on two cores took CPU from the event
// loop and the import's reading thread: a 100k import's four helper threads
// used 3.4 s of CPU in 12.4 s; with one, imports 10.9-11.5 s against
// 11.9-12.5 (100k) and 30.7-32.6 s against 32.8-36.9 (300k), GetCustomer
// 6,701-7,795 req/s (p99 15-16 ms) against 5,934-7,472 (p99 16-22 ms),
// SearchCustomers 1,611-1,644 (p99 34 ms) against 1,358-1,598 (39-46 ms),
// CreateCustomer 3,901-4,593 against 3,092-4,611; alternating runs on this
// machine, no pair worse by more than 1 %.
import cluster from 'node:cluster';
import { Command } from 'commander';
import { openCommandLine, prepareStore } from './app.js';
import { exportCommand } from './cli/export-command.js';
import { EXIT, importCommand } from './cli/import-command.js';
import type { CliContext } from './cli/cli-context.js';
import { readPassword } from './cli/read-password.js';
import { usersAdd, usersList, usersRemove, usersRotateKey, USERS_EXIT, type UsersContext } from './cli/users-command.js';
import { runPrimary } from './cluster/primary.js';
import { loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { refusalToServe, serve, watchDropFolder } from './serve.js';

/** The settings, or exit 1 saying which one is wrong (a stack trace tells an operator nothing more). */
function settings(): Config {
  try {
    return loadConfig();
  } catch (err) {
    process.stderr.write(`crm-bridge: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

const config = settings();

/** Runs a command against the configured store and exits with its status. */
async function withStore(run: (context: CliContext) => Promise<number>): Promise<void> {
  const commandLine = openCommandLine(config);
  const context: CliContext = {
    dispatcher: commandLine.dispatcher,
    importWorkers: config.importWorkers,
    maxRecordChars: config.maxRecordChars,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  let status: number;
  try {
    status = await run(context);
  } finally {
    await commandLine.close();
  }
  process.exitCode = status;
}

const program = new Command('crm-bridge')
  .description('SOAP/XML integration service in front of a CRM customer store (settings: CRM_* environment variables, see docs/configuration.md)')
  .showHelpAfterError()
  // A usage error (unknown option, missing argument) exits 64 (EX_USAGE), not commander's 1, which import uses for
  // "some records failed"; inherited by every command defined below. Help and --version still exit 0.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.USAGE));

program
  .command('serve', { isDefault: true })
  .description('serve SOAP and XML over HTTP (what npm start runs)')
  .action(async () => {
    const log = createLogger(config.logLevel);
    try {
      const refusal = await refusalToServe(config, log);
      if (refusal !== undefined) {
        log.fatal({ host: config.host }, refusal);
        process.stderr.write(`crm-bridge: ${refusal}\n`);
        process.exit(1);
      }
      if (config.workers > 1 && cluster.isWorker && !config.clusterWorker) {
        // Forked by another supervisor's cluster (PM2 in cluster mode): it spreads the load, and a worker cannot fork.
        log.warn({ workers: config.workers }, 'CRM_WORKERS ignored: this process is a cluster worker of another supervisor');
      }
      if (config.workers > 1 && cluster.isPrimary) runPrimary(config, log, () => prepareStore(config));
      else await serve(config, log);
    } catch (err) {
      // A users file that is not one, a digest key that cannot be read: say which, and do not serve without them.
      log.fatal({ err }, 'cannot start');
      process.stderr.write(`crm-bridge: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  });

program
  .command('watch')
  .description('watch the drop folder only, without HTTP (CRM_EXCHANGE_DIR, default <data>/exchange)')
  .action(() => {
    const log = createLogger(config.logLevel);
    const stop = watchDropFolder(config, log);
    const end = (): void => {
      void stop().then(() => process.exit(0));
    };
    process.on('SIGINT', end);
    process.on('SIGTERM', end);
  });

program
  .command('import')
  .description('import a CustomerBatch file')
  .argument('<file>', 'CustomerBatch XML file, of any size')
  .option('--dry-run', 'check every record and predict the outcome; store nothing')
  .option('--report <path>', 'where to write the BatchReport, or the ServiceFault of an import that ended early (default: <file>.report.xml)')
  .addHelpText('after', `
Exit status:
  0   done: every record stored
  1   done: some records failed (see the report)
  2   the file was refused as a CustomerBatch (not well-formed, root invalid, not UTF-8): nothing stored
  3   the import could not run or did not finish (file missing or unreadable, the thread reading
      records crashed or ran out of memory, the store or the report failed): the report and stderr
      say what happened and how far it got
  64  usage error (unknown option, missing FILE)`)
  .action((file: string, options: { dryRun?: boolean; report?: string }) =>
    // importCommand answers every failure of the import itself; this is the store failing to open or close.
    withStore((context) => importCommand(file, options, context)).catch((err: unknown) => {
      process.stderr.write(`${file}: the import could not run or did not finish: the store failed: ${err instanceof Error ? err.message : String(err)} (INTERNAL)\n`);
      process.exitCode = EXIT.DID_NOT_FINISH;
    }));

program
  .command('export')
  .description('export customers as a CustomerBatch file (written under a temporary name, then renamed)')
  .argument('<file>', 'file to write')
  .option('--updated-since <dateTime>', 'only customers updated at or after this xs:dateTime')
  .action((file: string, options: { updatedSince?: string }) => withStore((context) => exportCommand(file, options, context)));

/** Runs a users command against CRM_USERS_FILE and exits with its status; a file that cannot be read or written is status 1. */
function withUsers(run: (context: UsersContext) => Promise<number>): Promise<void> {
  const context: UsersContext = {
    usersFile: config.usersFile,
    keyFile: config.usersKeyFile,
    digestAllowed: config.wsseDigest,
    readPassword: () => readPassword(process.stdin, (text) => process.stderr.write(text)),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  return run(context).then(
    (status) => { process.exitCode = status; },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = USERS_EXIT.REFUSED;
    },
  );
}

const users = program
  .command('users')
  .description('the users who may call the service, and their roles (CRM_USERS_FILE, default <data>/users.json; see docs/security.md)');

users
  .command('add')
  .description('add a user; the password is the first line of standard input (never an argument)')
  .argument('<name>', 'user name: letters, digits, . _ @ -')
  .requiredOption('--role <role>', 'reader (reads only) or writer (everything)')
  .option('--update', 'replace the password and role of an existing user (no password on stdin: keep it, change the role)')
  .option('--digest', 'keep the password sealed for WS-Security PasswordDigest (the default unless CRM_WSSE_DIGEST=off)')
  .option('--no-digest', 'keep only the scrypt hash: PasswordText, Basic only')
  .addHelpText('after', `
Examples:
  printf '%s\\n' "$PASSWORD" | crm-bridge users add erp --role writer
  crm-bridge users add erp --role reader --update < /dev/null    # change the role only

Exit status: 0 done, 1 refused (the user exists without --update, no password), 64 usage error`)
  .action((name: string, options: { role: string; update?: boolean; digest?: boolean }) => withUsers((context) => usersAdd(name, options, context)));

users
  .command('remove')
  .description('remove a user')
  .argument('<name>', 'user name')
  .action((name: string) => withUsers((context) => usersRemove(name, context)));

users
  .command('rotate-key')
  .description('make a new digest key (CRM_USERS_KEY_FILE) and seal every PasswordDigest password with it; a running service follows within 5 s')
  .action(() => withUsers((context) => usersRotateKey(context)));

users
  .command('list')
  .description('list the users: name, role, digest or no-digest (never a secret)')
  .action(() => withUsers((context) => usersList(context)));

await program.parseAsync(process.argv);
