// Worker thread of RecordReaders: reads groups of raw records (parse,
// validate against the schema compiled once per worker, map to customers).
import { parentPort } from 'node:worker_threads';
import { XsdValidator } from '../validation/xsd-validator.js';
import type { RawRecord } from '../xml/record-scanner.js';
import { readRecord } from './record-reader.js';

const validator = new XsdValidator();

parentPort?.on('message', (m: { id: number; records: RawRecord[]; namespaces: string }) => {
  try {
    parentPort?.postMessage({ id: m.id, results: m.records.map((r) => readRecord(r, m.namespaces, validator)) });
  } catch (err) {
    parentPort?.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
