// PayloadValidator on libxml2-wasm with the schema compiled once. Why not
// libxmljs2's Document.validate(): it recompiles the schema on every call
// (~0.5 ms a message against ~20 us here), and it cannot validate an element in
// place, which batches need to validate record by record. The message is
// validated where it stands, never copied (copying a libxmljs2 node into a new
// Document makes libxml2 free dictionary-owned names).
import { XmlValidateError, type XsdValidator as Compiled } from 'libxml2-wasm';
import type { SchemaErrorDetail } from '../errors.js';
import type { XmlElement } from '../xml/dom.js';
import { columnOfError } from './error-position.js';
import type { PayloadValidator } from './payload-validator.js';
import { schemaSet } from './schema-set.js';

export class XsdValidator implements PayloadValidator {
  constructor(private readonly compiled: Compiled = schemaSet().message) {}

  validate(root: XmlElement, source: Uint8Array): SchemaErrorDetail[] {
    try {
      this.compiled.validate(root);
      return [];
    } catch (err) {
      if (!(err instanceof XmlValidateError)) throw err;
      const lines = Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8').split('\n');
      return err.details.map((d) => {
        const message = d.message.trim();
        return { line: d.line, column: columnOfError(lines, d.line, message), message };
      });
    }
  }
}
