// crm-bridge import FILE: the same streamed import as POST /xml/batches, from
// a file. Exit status: 0 every record stored, 1 some records failed, 2 the
// file could not be read (missing, not well-formed, root invalid): then
// nothing was stored.
import { fileSource } from '../batch/batch-source.js';
import { importBatch } from '../batch/import-batch.js';
import { previewBatch } from '../batch/preview-batch.js';
import { writeAtomically } from '../batch/write-atomically.js';
import { BridgeError } from '../errors.js';
import { reportStream } from '../mapping/report-stream.js';
import type { CliContext } from './cli-context.js';
import { progress } from './progress.js';

export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly report?: string;
}

export const EXIT = { OK: 0, SOME_FAILED: 1, UNREADABLE: 2 } as const;

export async function importCommand(file: string, options: ImportOptions, context: CliContext): Promise<number> {
  const reportFile = options.report ?? `${file}.report.xml`;
  const bar = progress(options.dryRun ? `checking ${file}` : `importing ${file}`);
  const source = fileSource(file);
  try {
    if (options.dryRun) {
      const preview = await previewBatch(source, { ...context, onProgress: (n) => bar.update(n) });
      try {
        await writeAtomically(reportFile, reportStream(preview.summary, preview.results()));
      } finally {
        await preview.close();
      }
      bar.stop();
      context.out(`dry run, nothing stored: ${describe(preview.summary)}; report ${reportFile}`);
      return preview.summary.failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
    }
    const { session, summary, replayed } = await importBatch(source, { ...context, workers: context.importWorkers, onProgress: (n) => bar.update(n) });
    await writeAtomically(reportFile, reportStream(summary, session.results()));
    await session.close();
    bar.stop();
    context.out(`${replayed ? 'already imported (same batchId and content), first report: ' : ''}${describe(summary)}; report ${reportFile}`);
    return summary.failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
  } catch (err) {
    bar.stop();
    if (err instanceof BridgeError || isFileError(err)) {
      context.err(`${file}: ${err instanceof Error ? err.message : String(err)}${err instanceof BridgeError ? ` (${err.code})` : ''}; nothing was stored`);
      return EXIT.UNREADABLE;
    }
    throw err;
  }
}

function describe(s: { created: number; updated: number; unchanged: number; failed: number }): string {
  return `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed`;
}

function isFileError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((err as { code: string }).code);
}
