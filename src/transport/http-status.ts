// The only fault -> HTTP status table, and the headers a fault adds to its
// answer. Stages raise typed errors; the transport edge alone decides the status.
import type { SoapVersion } from '../envelope/soap-version.js';
import { PreconditionFailedError, type FaultCode } from '../errors.js';
import type { Fault } from '../fault.js';

/** HTTP status of an XML-over-HTTP error (contract table). */
export const XML_STATUS: Readonly<Record<FaultCode, number>> = {
  MALFORMED_XML: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_OPERATION: 400,
  NOT_FOUND: 404,
  DUPLICATE_EXTERNAL_ID: 409,
  VERSION_CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** HTTP status of `err` answered on /xml as `fault`: the table, except If-Match's precondition (412). */
export function xmlStatus(err: unknown, fault: Fault): number {
  return err instanceof PreconditionFailedError ? 412 : XML_STATUS[fault.code];
}

/**
 * HTTP status of a SOAP fault: the version's rule (1.1: always 500, WS-I R1126;
 * 1.2: Sender 400, else 500), except the two refusals made before any SOAP
 * processing, which keep their HTTP meaning so proxies and clients see them.
 */
export function soapFaultStatus(version: SoapVersion, fault: Fault): number {
  if (fault.code === 'PAYLOAD_TOO_LARGE') return 413;
  if (fault.code === 'UNSUPPORTED_MEDIA_TYPE') return 415;
  return version.faultStatus[fault.kind];
}

/** Headers of a fault's answer besides its Content-Type, SOAP and /xml alike: Retry-After for UNAVAILABLE (RFC 9110 10.2.3). */
export function faultHeaders(fault: Fault): Record<string, string> {
  return fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
}
