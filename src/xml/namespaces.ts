// Namespace URIs the service reads and writes. Queries always use these, never
// the prefixes a sender happened to choose.
export const NS = {
  crm: 'urn:crm-bridge:customer:v1',
  /** The operator view of the drop folder (xsd/exchange.xsd); not part of the contract. */
  exchange: 'urn:crm-bridge:exchange:v1',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
} as const;

export const SOAP_ACTION_PREFIX = `${NS.crm}/`;
