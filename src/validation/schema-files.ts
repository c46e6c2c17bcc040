// Where the contract's schema files are on disk, found relative to this module
// so that the service works from any working directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const XSD_DIR = path.join(ROOT, 'xsd');
export const CUSTOMER_XSD = path.join(XSD_DIR, 'customer.xsd');
/** The operator view's document (GET /exchange); not part of the contract. */
export const EXCHANGE_XSD = path.join(XSD_DIR, 'exchange.xsd');
export const WSDL_FILE = path.join(ROOT, 'wsdl', 'CustomerService.wsdl');
