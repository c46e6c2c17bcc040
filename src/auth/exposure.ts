// Safe by default (issue 17, item 7): a service with no users and no token
// issuer answers anyone who reaches it, so it may only listen where no one
// else can reach it, on loopback, unless the operator says otherwise with
// CRM_AUTH=off. Decided once at start; the users file may gain users later,
// but a start is judged by what it starts with.
import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Contract: loopback is 127.0.0.0/8, ::1 and localhost (any spelling of ::1, with or without brackets). */
export function isLoopback(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return LOOPBACK.check(h, 'ipv4');
  if (net.isIPv6(h)) return LOOPBACK.check(h, 'ipv6');
  return false;
}

export interface Exposure {
  /** Why the start is refused, naming what to set; undefined when it may go on. */
  readonly refusal?: string;
  /** Logged as a warning at every such start. */
  readonly warning?: string;
}

export function judgeExposure(host: string, authConfigured: boolean, authOff: boolean): Exposure {
  if (authConfigured || isLoopback(host)) return {};
  if (authOff) {
    return { warning: `listening on ${host} with no authentication (CRM_AUTH=off): anyone who can reach this address can read, change and delete every customer` };
  }
  return {
    refusal: `refusing to listen on ${host} with no authentication: add a user (crm-bridge users add NAME --role writer, kept in CRM_USERS_FILE), or set CRM_JWT_JWKS (with CRM_JWT_ISSUER and CRM_JWT_AUDIENCE) for bearer tokens, or set CRM_AUTH=off to serve this address without authentication; or listen on loopback (CRM_HOST=127.0.0.1)`,
  };
}
