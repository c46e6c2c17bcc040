// The validation stage's interface. The validator is the hot spot of a request,
// so it stays behind this one method and can be swapped without touching callers.
import type { SchemaErrorDetail } from '../errors.js';
import type { XmlElement } from '../xml/dom.js';

export interface PayloadValidator {
  /**
   * Validates `root` (a SOAP Envelope, or a bare contract document's root) in
   * place. Returns every schema error with its line and column in `source`
   * (the bytes as sent); [] when valid.
   */
  validate(root: XmlElement, source: Uint8Array): SchemaErrorDetail[];
  /** As validate(), but the records of a batch wrapper are left for validateRecord(). */
  validateWrapper(root: XmlElement, source: Uint8Array): SchemaErrorDetail[];
  /** One batch record (`customer` element), in place. */
  validateRecord(record: XmlElement, source: Uint8Array): SchemaErrorDetail[];
  /** Whether `value` is an externalId the contract allows (its ExternalId type). */
  validExternalId(value: string): boolean;
}
