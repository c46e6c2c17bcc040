// PayloadValidator on libxml2-wasm with the schemas compiled once. Why not
// libxmljs2's Document.validate(): it recompiles the schema on every call
// (~0.5 ms a message against ~20 us here), and it cannot validate an element in
// place, which batches need to validate record by record. The message is
// validated where it stands, never copied (copying a libxmljs2 node into a new
// Document makes libxml2 free dictionary-owned names).
import { XmlValidateError, type XsdValidator as Compiled } from 'libxml2-wasm';
import type { SchemaErrorDetail } from '../errors.js';
import { libraryElement, type XmlElement } from '../xml/dom.js';
import { NS } from '../xml/namespaces.js';
import { parseXml } from '../xml/parse-xml.js';
import { escapeText } from '../xml/xml-tree.js';
import { columnOfError, type TagStarts } from './error-position.js';
import type { PayloadValidator } from './payload-validator.js';
import { schemaSet, type SchemaSet } from './schema-set.js';

export class XsdValidator implements PayloadValidator {
  constructor(private readonly schemas: SchemaSet = schemaSet()) {}

  validate(root: XmlElement, source: Uint8Array): SchemaErrorDetail[] {
    return run(this.schemas.message, root, source);
  }

  validateWrapper(root: XmlElement, source: Uint8Array): SchemaErrorDetail[] {
    return run(this.schemas.wrapper, root, source);
  }

  validateRecord(record: XmlElement, source: Uint8Array): SchemaErrorDetail[] {
    return run(this.schemas.record, record, source);
  }

  validExternalId(value: string): boolean {
    // GetCustomer's externalId has the contract's ExternalId type: the XSD
    // decides, not a copy of its facets (which would also count UTF-16 units
    // where the XSD counts characters). Asked only of records that failed.
    const source = Buffer.from(`<GetCustomer xmlns="${NS.crm}"><externalId>${escapeText(value)}</externalId></GetCustomer>`, 'utf8');
    const doc = parseXml(source);
    try {
      return this.validate(doc.root, source).length === 0;
    } finally {
      doc.dispose();
    }
  }
}

function run(compiled: Compiled, element: XmlElement, source: Uint8Array): SchemaErrorDetail[] {
  try {
    compiled.validate(libraryElement(element));
    return [];
  } catch (err) {
    if (!(err instanceof XmlValidateError)) throw err;
    const lines = linesOf(source);
    const found: TagStarts = new Map();
    return err.details.map((d) => {
      const message = d.message.trim();
      return { line: d.line, column: columnOfError(lines, d.line, message, found), message };
    });
  }
}

// A batch may report errors in many records of one large body: split it once.
const LINES = new WeakMap<Uint8Array, string[]>();

function linesOf(source: Uint8Array): string[] {
  let lines = LINES.get(source);
  if (lines === undefined) {
    lines = Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8').split('\n');
    LINES.set(source, lines);
  }
  return lines;
}
