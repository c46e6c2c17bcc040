// An error as an /api answer (contract v1.1): the JSON error body with the
// same HTTP status and headers as the same fault on /xml (http-status.ts).
import { faultFor, type FaultLogger } from '../fault.js';
import { faultJson } from '../mapping/fault-json.js';
import type { HttpReply } from './http-reply.js';
import { authChallenge, faultHeaders, xmlStatus } from './http-status.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** `challenge`: WWW-Authenticate of an UNAUTHORIZED answer (authChallenge). */
export function jsonError(err: unknown, requestId: string, log: FaultLogger, challenge = authChallenge(false)): HttpReply & { faultCode: string } {
  const fault = faultFor(err, requestId, log);
  return {
    status: xmlStatus(err, fault),
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      ...faultHeaders(fault),
      ...(fault.code === 'UNAUTHORIZED' ? { 'www-authenticate': challenge } : {}),
    },
    body: Buffer.from(JSON.stringify(faultJson(fault)), 'utf8'),
    faultCode: fault.code,
  };
}
