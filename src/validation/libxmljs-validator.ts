// PayloadValidator on libxmljs2. The message is validated whole, in place,
// against one schema set: customer.xsd plus the SOAP 1.1 and 1.2 envelope
// schemas whose Body is "lax". Why whole: copying the Body child into a new
// Document makes libxml2 free dictionary-owned names (memory errors at GC), and
// re-serialising it to validate would parse twice and lose the sender's lines.
// Cost: libxmljs2 recompiles the schema on each validate() call (~0.5 ms).
import libxml from 'libxmljs2';
import type { Document } from 'libxmljs2';
import path from 'node:path';
import type { SchemaErrorDetail } from '../errors.js';
import { NS } from '../xml/namespaces.js';
import { columnOfError } from './error-position.js';
import type { PayloadValidator } from './payload-validator.js';
import { XSD_DIR } from './schema-files.js';

/** The schema set: one driver document importing the three schemas by relative path. */
function schemaSetSource(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="${NS.xsd}" targetNamespace="urn:crm-bridge:schema-set">
  <xs:import namespace="${NS.crm}" schemaLocation="customer.xsd"/>
  <xs:import namespace="${NS.soap11}" schemaLocation="envelope/soap11-envelope.xsd"/>
  <xs:import namespace="${NS.soap12}" schemaLocation="envelope/soap12-envelope.xsd"/>
</xs:schema>`;
}

export class LibxmljsValidator implements PayloadValidator {
  private readonly schema: Document;

  constructor(xsdDir: string = XSD_DIR) {
    this.schema = libxml.parseXml(schemaSetSource(), {
      baseUrl: path.join(xsdDir, 'schema-set.xsd'),
      nonet: true,
    });
    // Fail at start-up, not on the first request, when a schema file is broken.
    const probe = libxml.parseXml(`<ServiceFault xmlns="${NS.crm}"><code>INTERNAL</code><message/></ServiceFault>`);
    if (!probe.validate(this.schema)) {
      throw new Error(`The schema set in ${xsdDir} does not compile or rejects a valid fault`);
    }
  }

  validate(doc: Document, source: Buffer): SchemaErrorDetail[] {
    if (doc.validate(this.schema)) return [];
    const lines = source.toString('utf8').split('\n');
    return doc.validationErrors.map((e) => {
      const message = (e.message ?? 'schema error').trim();
      const line = e.line ?? 0;
      return { line, column: columnOfError(lines, line, message), message };
    });
  }
}
