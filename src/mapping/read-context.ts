// What a request reader may ask of the pipeline while reading: the schema
// errors of one batch record, and the schema's word on an externalId
// (validation stays a stage of its own).
import type { SchemaErrorDetail } from '../errors.js';
import type { XmlElement } from '../xml/dom.js';

export interface ReadContext {
  validateRecord(record: XmlElement): SchemaErrorDetail[];
  validExternalId(value: string): boolean;
}
