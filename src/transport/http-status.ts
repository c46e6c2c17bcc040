// Every HTTP status the service answers with, and the headers a fault adds to
// its answer. Stages raise typed errors and operations return results; the
// transport edge alone decides the status, here.
import type { SoapVersion } from '../envelope/soap-version.js';
import { HeadersTooLargeError, MethodNotAllowedError, PreconditionFailedError, type FaultCode } from '../errors.js';
import type { Fault } from '../fault.js';

/** Statuses of answers that are not faults (RFC 9110 15.3, 15.4.5): SOAP answers are always OK. */
export const SUCCESS_STATUS = { ok: 200, created: 201, noContent: 204, notModified: 304 } as const;

/**
 * The status of a request cut off at the HTTP edge before it was read whole
 * (slow-client.ts; RFC 9110 15.5.9), sent with no body and the connection
 * closed, as node does itself when the headers are too slow: it is no fault
 * of the contract, whose faults answer requests that arrived.
 */
export const REQUEST_TIMEOUT_STATUS = 408;

/** HTTP status of an XML-over-HTTP or /api error (contract tables; MALFORMED_JSON is /api's alone). */
export const XML_STATUS: Readonly<Record<FaultCode, number>> = {
  MALFORMED_XML: 400,
  MALFORMED_JSON: 400,
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

/**
 * Errors whose HTTP status says more than their code's: If-Match's
 * precondition (VERSION_CONFLICT, RFC 9110 15.5.13), a method the path
 * does not take (UNKNOWN_OPERATION, 15.5.6) and headers too large to read
 * (PAYLOAD_TOO_LARGE, RFC 6585 5).
 */
const REFINED_STATUS: readonly (readonly [abstract new (...args: never[]) => Error, number])[] = [
  [PreconditionFailedError, 412],
  [MethodNotAllowedError, 405],
  [HeadersTooLargeError, 431],
];

/** HTTP status of `err` answered on /xml (and every non-SOAP route) as `fault`. */
export function xmlStatus(err: unknown, fault: Fault): number {
  return REFINED_STATUS.find(([type]) => err instanceof type)?.[1] ?? XML_STATUS[fault.code];
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

/** Headers of a fault's answer besides its Content-Type, SOAP and /xml alike: Retry-After for UNAVAILABLE (RFC 9110 10.2.3), Allow with a 405 (10.2.1). */
export function faultHeaders(fault: Fault): Record<string, string> {
  return {
    ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
    ...(fault.allow === undefined ? {} : { allow: fault.allow }),
  };
}

/**
 * WWW-Authenticate of a 401 on /xml and the operator routes (RFC 9110 11.6.1:
 * a 401 must carry one): Basic, and Bearer (RFC 6750 3) when tokens are on,
 * as one header of two challenges. SOAP faults carry none (contract: SOAP
 * keeps SOAP's statuses).
 */
export function authChallenge(bearer: boolean): string {
  return bearer ? 'Basic realm="crm-bridge", Bearer realm="crm-bridge"' : 'Basic realm="crm-bridge"';
}
