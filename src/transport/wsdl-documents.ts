// The contract documents as served: the WSDL with soap:address and every
// schemaLocation rewritten to the base URL the client used, and the XSD files
// it imports. Parsed from disk once; rewritten per request with the DOM.
import fs from 'node:fs';
import path from 'node:path';
import libxml from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { NS } from '../xml/namespaces.js';
import { CUSTOMER_XSD, WSDL_FILE } from '../validation/schema-files.js';

export const SOAP_PATH = '/soap/CustomerService';

const SCHEMAS: ReadonlyMap<string, string> = new Map([[path.basename(CUSTOMER_XSD), CUSTOMER_XSD]]);

export class WsdlDocuments {
  private readonly wsdlSource = fs.readFileSync(WSDL_FILE, 'utf8');
  private readonly xsd = new Map([...SCHEMAS].map(([name, file]) => [name, fs.readFileSync(file)]));

  wsdl(baseUrl: string): string {
    const doc = libxml.parseXml(this.wsdlSource, { nonet: true });
    const ns = { wsdl: NS.wsdl, soap: 'http://schemas.xmlsoap.org/wsdl/soap/', soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/', xs: NS.xsd };
    for (const address of doc.find<Element>('//soap:address | //soap12:address', ns)) {
      address.attr({ location: `${baseUrl}${SOAP_PATH}` });
    }
    for (const ref of doc.find<Element>('//xs:import[@schemaLocation] | //xs:include[@schemaLocation]', ns)) {
      const name = path.basename(ref.attr('schemaLocation')?.value() ?? '');
      ref.attr({ schemaLocation: `${baseUrl}${SOAP_PATH}?xsd=${encodeURIComponent(name)}` });
    }
    return doc.toString(false);
  }

  /** A schema file by the name used in ?xsd=, or undefined. */
  schema(name: string): Buffer | undefined {
    return this.xsd.get(name);
  }
}
