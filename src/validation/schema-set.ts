// The contract's schemas, compiled once at start-up into the validators the
// pipeline uses. The schema files are served to libxml2 from memory under a
// private base path, so schema parsing can read exactly these files and no
// others (no file system, no network).
import fs from 'node:fs';
import path from 'node:path';
import { XmlBufferInputProvider, XmlDocument, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';
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

let provider: XmlBufferInputProvider | undefined;

function registerSchemaFiles(xsdDir: string): void {
  if (provider !== undefined) return;
  const buffers: Record<string, Uint8Array> = {};
  for (const file of FILES) buffers[BASE + file] = fs.readFileSync(path.join(xsdDir, file));
  provider = new XmlBufferInputProvider(buffers);
  xmlRegisterInputProvider(provider);
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
}

let compiled: SchemaSet | undefined;

/** Compiles the schema set on first use; later calls share it (validators are immutable). */
export function schemaSet(xsdDir: string = XSD_DIR): SchemaSet {
  if (compiled === undefined) {
    registerSchemaFiles(xsdDir);
    compiled = { message: compile('message-set.xsd', MESSAGE_SET) };
  }
  return compiled;
}
