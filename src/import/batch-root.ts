// The root of a streamed batch: its start tag, checked by the same XSD as any
// CustomerBatch (attributes mode and batchId; the records come one by one
// later), and what the records need from it (namespace declarations).
import type { BatchMode } from '../domain/batch.js';
import { MalformedXmlError, ValidationFailedError, type SchemaErrorDetail } from '../errors.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { attrValue, childElements, nsDeclarations } from '../xml/dom.js';
import { clip } from '../xml/clip.js';
import { batchMode } from '../mapping/batch-record.js';
import { expectRoot } from '../validation/contract-root.js';
import { parseXml } from '../xml/parse-xml.js';
import { escapeAttr } from '../xml/xml-tree.js';
import type { RootTag } from '../xml/record-scanner.js';
import { atPosition, snippetAt, type PieceStart } from './snippet.js';

export interface BatchRoot {
  readonly batchId: string | undefined;
  readonly mode: BatchMode;
  /** The root's namespace declarations as attributes, for parsing a record on its own. */
  readonly namespaces: string;
}

export function readBatchRoot(tag: RootTag, validator: PayloadValidator): BatchRoot {
  const empty = tag.selfClosing ? tag.text : tag.text.replace(/>$/, '/>');
  const snippet = snippetAt('', empty);
  let doc;
  try {
    doc = parseXml(snippet);
  } catch (err) {
    if (err instanceof MalformedXmlError) throw new MalformedXmlError(err.message, shift(err.errors, tag));
    throw err;
  }
  try {
    const el = childElements(doc.root)[0];
    expectRoot(el, 'CustomerBatch');
    const errors = validator.validate(el, snippet);
    if (errors.length > 0) {
      throw new ValidationFailedError(`The batch's root element fails the schema: ${clip(errors[0]?.message ?? '')}`, shift(errors, tag));
    }
    const namespaces = Object.entries(nsDeclarations(el))
      .map(([prefix, uri]) => `${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${escapeAttr(uri)}"`)
      .join(' ');
    return {
      batchId: attrValue(el, 'batchId'),
      mode: batchMode(attrValue(el, 'mode')),
      namespaces,
    };
  } finally {
    doc.dispose();
  }
}

function shift(errors: readonly SchemaErrorDetail[], start: PieceStart): SchemaErrorDetail[] {
  return errors.map((e) => ({ ...atPosition(e, start), message: clip(e.message) }));
}
