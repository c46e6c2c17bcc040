// A BatchReport document as a stream of text: counts first, then the results
// a page at a time, so a report of a million records is never held whole.
import type { BatchSummary, RecordResult } from '../domain/batch.js';
import { fragment, streamEnd, streamStart } from '../xml/build.js';
import { writeReportCounts, writeResult } from './batch-messages.js';

const PAGE = 500;

export async function* reportStream(summary: BatchSummary, results: AsyncIterable<RecordResult>): AsyncGenerator<string> {
  yield streamStart('BatchReport');
  yield fragment((parent) => writeReportCounts(parent, summary));
  let page: RecordResult[] = [];
  for await (const result of results) {
    page.push(result);
    if (page.length === PAGE) {
      const full = page;
      yield fragment((parent) => full.forEach((r) => writeResult(parent, r)));
      page = [];
    }
  }
  const rest = page;
  if (rest.length > 0) yield fragment((parent) => rest.forEach((r) => writeResult(parent, r)));
  yield streamEnd('BatchReport');
}
