// The contract's schemas, compiled once at start-up into the validators the
// pipeline uses. The schema files are served to libxml2 from memory under a
// private base path, so schema parsing can read exactly these files and no
// others (no file system, no network).
import fs from 'node:fs';
import path from 'node:path';
import { XmlBufferInputProvider, XmlDocument, XmlElement, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';
import { NS } from '../xml/namespaces.js';
import { XSD_DIR } from './schema-files.js';

const BASE = '/crm-bridge-schemas/';
const FILES = ['customer.xsd', 'envelope/soap11-envelope.xsd', 'envelope/soap12-envelope.xsd', 'envelope/xml.xsd'];

/** Every message root the service accepts: SOAP envelopes and bare contract documents. */
const MESSAGE_SET = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="${NS.xsd}" targetNamespace="urn:crm-bridge:schema-set">
  <xs:import namespace="${NS.crm}" schemaLocation="customer.xsd"/>
  <xs:import namespace="${NS.soap11}" schemaLocation="envelope/soap11-envelope.xsd"/>
  <xs:import namespace="${NS.soap12}" schemaLocation="envelope/soap12-envelope.xsd"/>
</xs:schema>`;

/** The same, but batch records (customer children of UpsertCustomers and CustomerBatch) are not looked into. */
const WRAPPER_SET = MESSAGE_SET.replace('schemaLocation="customer.xsd"', 'schemaLocation="customer-wrappers.xsd"');

/** A batch record on its own: the contract's Customer type as a global `customer` element. */
const RECORD_SET = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="${NS.xsd}" xmlns:tns="${NS.crm}" targetNamespace="${NS.crm}" elementFormDefault="qualified">
  <xs:include schemaLocation="customer.xsd"/>
  <xs:element name="customer" type="tns:Customer"/>
</xs:schema>`;

/** Wrappers whose records are validated one at a time, so one bad record fails alone. */
const RECORD_WRAPPERS = ['UpsertCustomers', 'CustomerBatch'];

let provider: XmlBufferInputProvider | undefined;

function registerSchemaFiles(xsdDir: string): void {
  if (provider !== undefined) return;
  const buffers: Record<string, Uint8Array> = {};
  for (const file of FILES) buffers[BASE + file] = fs.readFileSync(path.join(xsdDir, file));
  const customer = buffers[BASE + 'customer.xsd'];
  if (customer === undefined) throw new Error('customer.xsd missing');
  buffers[BASE + 'customer-wrappers.xsd'] = Buffer.from(withOpaqueRecords(customer), 'utf8');
  provider = new XmlBufferInputProvider(buffers);
  xmlRegisterInputProvider(provider);
}

/**
 * customer.xsd with the record elements of the batch wrappers retyped to "any
 * content, not validated", derived at start-up so the contract stays the one
 * file; everything else (mode, batchId, 1..1000 records) is still checked.
 */
function withOpaqueRecords(customerXsd: Uint8Array): string {
  const doc = XmlDocument.fromBuffer(customerXsd);
  try {
    const ns = { xs: NS.xsd };
    for (const wrapper of RECORD_WRAPPERS) {
      const record = doc.get(`/xs:schema/xs:element[@name="${wrapper}"]//xs:element[@name="customer"]`, ns);
      if (!(record instanceof XmlElement)) throw new Error(`customer.xsd: ${wrapper} has no customer element`);
      record.setAttr('type', 'tns:OpaqueRecord');
    }
    const opaque = doc.root.addElement('complexType', 'xs');
    opaque.setAttr('name', 'OpaqueRecord');
    const any = opaque.addElement('sequence', 'xs').addElement('any', 'xs');
    any.setAttr('processContents', 'skip');
    any.setAttr('minOccurs', '0');
    any.setAttr('maxOccurs', 'unbounded');
    opaque.addElement('anyAttribute', 'xs').setAttr('processContents', 'skip');
    return doc.toString();
  } finally {
    doc.dispose();
  }
}

function compile(name: string, source: string): XsdValidator {
  const doc = XmlDocument.fromString(source, { url: BASE + name });
  try {
    return XsdValidator.fromDoc(doc);
  } finally {
    doc.dispose();
  }
}

export interface SchemaSet {
  /** SOAP 1.1/1.2 envelopes (Body children validated "lax", so payloads strictly) and every contract element. */
  readonly message: XsdValidator;
  /** As `message`, with batch records left unchecked. */
  readonly wrapper: XsdValidator;
  /** One batch record (`customer`). */
  readonly record: XsdValidator;
}

let compiled: SchemaSet | undefined;

/** Compiles the schema set on first use; later calls share it (validators are immutable). */
export function schemaSet(xsdDir: string = XSD_DIR): SchemaSet {
  if (compiled === undefined) {
    registerSchemaFiles(xsdDir);
    compiled = {
      message: compile('message-set.xsd', MESSAGE_SET),
      wrapper: compile('wrapper-set.xsd', WRAPPER_SET),
      record: compile('record-set.xsd', RECORD_SET),
    };
  }
  return compiled;
}
