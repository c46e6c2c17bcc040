// crm-bridge import FILE: the same streamed import as POST /xml/batches, from
// a file. Its exit status tells a script what to do next, so each kind of
// ending has its own (EXIT, and the command's --help and docs/batch-files.md say so):
// 0 done, every record stored; 1 done, some records failed (see the report);
// 2 the file was refused as a CustomerBatch (not well-formed, root invalid,
// not UTF-8): nothing stored, the file must be fixed; 3 the import could not
// run or did not finish (the file missing or unreadable, the thread reading
// records died, the store or the report failed): nothing about the file's
// content was judged wrong, and the same command may succeed once the cause
// is fixed. A missing file is 3, not 2: its content was never read, and the
// fix is a path or a permission, like any other file that cannot be opened.
// Commander's own usage errors exit 64 (main.ts). Every ending but a usage
// error writes a report: the BatchReport, or a ServiceFault saying why it
// ended and, for 3, where it stopped.
import { fileSource } from '../import/batch-source.js';
import { writeAtomically } from '../files/write-atomically.js';
import type { BatchMode } from '../domain/batch.js';
import { BridgeError } from '../errors.js';
import { describeError, operatorFault, type Fault } from '../fault.js';
import { serviceFaultDocument } from '../mapping/fault-xml.js';
import { reportStream } from '../mapping/report-stream.js';
import { cliRequest, type CliContext } from './cli-context.js';
import { progress } from './progress.js';

export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly report?: string;
}

/** The exit statuses of crm-bridge import; USAGE is commander's (a bad option or argument), set in main.ts. */
export const EXIT = { OK: 0, SOME_FAILED: 1, REFUSED: 2, DID_NOT_FINISH: 3, USAGE: 64 } as const;

export async function importCommand(file: string, options: ImportOptions, context: CliContext): Promise<number> {
  const reportFile = options.report ?? `${file}.report.xml`;
  const bar = progress(options.dryRun ? `checking ${file}` : `importing ${file}`);
  const source = fileSource(file);
  const request = cliRequest();
  // How far a failing import got: the batch's mode once it has begun, and the records stored by then.
  let begun: BatchMode | undefined;
  let stored = 0;
  try {
    if (options.dryRun) {
      const preview = await context.dispatcher.previewBatch(request, source, { maxRecordChars: context.maxRecordChars, onProgress: (n) => bar.update(n) });
      try {
        await writeAtomically(reportFile, reportStream(preview.summary, preview.results()));
      } finally {
        await preview.close();
      }
      bar.stop();
      context.out(`dry run, nothing stored: ${describe(preview.summary)}; report ${reportFile}`);
      return preview.summary.failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
    }
    const { session, summary, replayed } = await context.dispatcher.importBatch(request, source, {
      workers: context.importWorkers,
      maxRecordChars: context.maxRecordChars,
      onBegin: async (_key, mode) => { begun = mode; },
      onProgress: (n) => {
        stored = n;
        bar.update(n);
      },
    });
    await writeAtomically(reportFile, reportStream(summary, session.results()));
    await session.close();
    bar.stop();
    context.out(`${replayed ? 'already imported (same batchId and content), first report: ' : ''}${describe(summary)}; report ${reportFile}`);
    return summary.failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
  } catch (err) {
    bar.stop();
    const refused = err instanceof BridgeError && err.senderFault;
    const where = refused || options.dryRun || begun === undefined
      ? 'nothing was stored'
      : begun === 'ATOMIC'
        ? `an ATOMIC batch: nothing was stored (${stored} records were staged)`
        : `${stored} records were stored before it stopped`;
    const fault = faultOf(err, where);
    const written = await writeAtomically(reportFile, (async function* () { yield serviceFaultDocument(fault).toString('utf8'); })())
      .then(() => `report ${reportFile}`, (reportErr: unknown) => `no report (${describeError(reportErr)})`);
    const ending = refused ? 'refused' : begun === undefined ? 'the import could not run' : 'the import did not finish';
    context.err(`${file}: ${ending}: ${fault.message} (${fault.code}); ${written}`);
    if (!(err instanceof BridgeError) && !isSystemError(err) && err instanceof Error && err.stack !== undefined) context.err(err.stack);
    return refused ? EXIT.REFUSED : EXIT.DID_NOT_FINISH;
  }
}

/** The ServiceFault of an import that ended early, for the operator who ran it: an internal failure keeps its own message. */
function faultOf(err: unknown, where: string): Fault {
  const fault = operatorFault(err);
  return { ...fault, message: `${fault.message}; ${where}` };
}

function describe(s: { created: number; updated: number; unchanged: number; failed: number }): string {
  return `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed`;
}

/** An error of the operating system (a file missing, unreadable, a disk full): its message says it all, no stack needed. */
function isSystemError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((err as { code: string }).code);
}
