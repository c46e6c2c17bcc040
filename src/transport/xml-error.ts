// An error as a bare ServiceFault document with the contract's HTTP status: the
// answer of every non-SOAP route (and, later, of every /xml resource).
import { faultFor, type FaultLogger } from '../fault.js';
import { serviceFaultDocument } from '../mapping/fault-xml.js';
import type { HttpReply } from './http-reply.js';
import { authChallenge, faultHeaders, xmlStatus } from './http-status.js';

/** `challenge`: WWW-Authenticate of an UNAUTHORIZED answer (authChallenge). */
export function xmlError(err: unknown, requestId: string, log: FaultLogger, challenge = authChallenge(false)): HttpReply & { faultCode: string } {
  const fault = faultFor(err, requestId, log);
  return {
    status: xmlStatus(err, fault),
    headers: {
      'content-type': 'application/xml; charset=utf-8',
      ...faultHeaders(fault),
      ...(fault.code === 'UNAUTHORIZED' ? { 'www-authenticate': challenge } : {}),
    },
    body: serviceFaultDocument(fault),
    faultCode: fault.code,
  };
}
