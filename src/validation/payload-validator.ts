// The validation stage's interface. The validator is the hot spot of a request,
// so it stays behind this one method and can be swapped without touching callers.
import type { Document } from 'libxmljs2';
import type { SchemaErrorDetail } from '../errors.js';

export interface PayloadValidator {
  /**
   * Validates a whole parsed message (a SOAP envelope, or a bare payload) in place.
   * Returns every schema error with its line and column in `source`; [] when valid.
   */
  validate(doc: Document, source: Buffer): SchemaErrorDetail[];
}
