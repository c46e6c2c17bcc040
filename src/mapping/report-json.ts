// A batch report as JSON text, streamed (contract v1.1, POST /api/batches):
// {"batchId","created","updated","unchanged","failed","results":[...]},
// counts first, then the results a page at a time, so a report of a million
// records is never held whole (report-stream.ts is its XML twin). A failed
// result's error always carries `errors` (possibly empty): for a record of a
// JSON batch, JSON Pointers relative to the record.
import type { BatchSummary, RecordResult } from '../domain/batch.js';

const PAGE = 500;

export async function* reportJsonStream(summary: BatchSummary, results: AsyncIterable<RecordResult>): AsyncGenerator<string> {
  const counts = { batchId: summary.batchId, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, failed: summary.failed };
  yield `${JSON.stringify(counts).slice(0, -1)},"results":[`;
  let page: string[] = [];
  let first = true;
  for await (const result of results) {
    page.push(JSON.stringify(resultJson(result)));
    if (page.length === PAGE) {
      yield (first ? '' : ',') + page.join(',');
      first = false;
      page = [];
    }
  }
  if (page.length > 0) yield (first ? '' : ',') + page.join(',');
  yield ']}';
}

/** One result as the report lists it; JSON.stringify leaves out what is absent. */
export function resultJson(r: RecordResult): Record<string, unknown> {
  return {
    index: r.index,
    externalId: r.externalId,
    id: r.id,
    status: r.status,
    error: r.error === undefined ? undefined : {
      code: r.error.code,
      message: r.error.message,
      errors: (r.error.errors ?? []).map((e) => ({ path: e.path, message: e.message })),
    },
  };
}
