// A CustomerBatch the thread reading records cannot get through: `before`
// ordinary records, then one whose name is `megabytes` MB of text (in lines
// of 1 KB, so nothing else about it is unusual), then one more. With the
// thread's heap limited to SMALL_HEAP_MB, it runs out of memory on that
// record, every time at the same place: a real crash of the real thread.
import fs from 'node:fs';
import { NS } from '../../src/xml/namespaces.js';

/**
 * The bound on one record (CRM_MAX_RECORD_BYTES) these tests set: the default
 * 1 MiB refuses the huge record in pass 1, before any thread reads it.
 */
export const HUGE_RECORD_BOUND = 8 * 1024 * 1024;

/**
 * The longest text these tests allow (CRM_MAX_TEXT_CHARS): the huge record is
 * one name of several MB, which the default 64 Ki refuses in pass 1 too.
 */
export const HUGE_TEXT_BOUND = 10_000_000;

/** The shape limits of these tests, for a dispatcher built by hand. */
export const HUGE_SHAPE = { maxDepth: 64, maxAttributes: 64, maxTextChars: HUGE_TEXT_BOUND };

/** A heap the thread starts in and reads ordinary records with (it needs ~10 MB), but that a 2 MB record overflows. */
export const SMALL_HEAP_MB = 16;

export function writeBatchWithHugeRecord(file: string, before: number, megabytes = 3): string {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n`);
    for (let i = 1; i <= before; i++) fs.writeSync(fd, `<customer><externalId>H${i}</externalId><type>PERSON</type><name>Person H${i}</name></customer>\n`);
    fs.writeSync(fd, '<customer><externalId>HUGE</externalId><type>PERSON</type><name>');
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < megabytes * 1024; i++) fs.writeSync(fd, line);
    fs.writeSync(fd, '</name></customer>\n<customer><externalId>AFTER</externalId><type>PERSON</type><name>After</name></customer>\n</CustomerBatch>\n');
  } finally {
    fs.closeSync(fd);
  }
  return file;
}
