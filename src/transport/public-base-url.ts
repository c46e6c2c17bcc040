// The base URL a client reached us on, for the addresses in the served WSDL:
// the configured public URL, else X-Forwarded-Proto/-Host, else Host, over
// https when the client's connection to us was TLS.
import type { IncomingHttpHeaders } from 'node:http';

const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

function first(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  // A proxy chain sends a list; the first entry is the client-facing one.
  return s?.split(',')[0]?.trim() || undefined;
}

export function publicBaseUrl(
  headers: IncomingHttpHeaders,
  configured: string | undefined,
  fallbackHost: string,
  encrypted = false,
): string {
  if (configured) return configured;
  const proto = first(headers['x-forwarded-proto']);
  const host = first(headers['x-forwarded-host']) ?? first(headers.host);
  const scheme = proto === 'https' || (proto === undefined && encrypted) ? 'https' : 'http';
  return `${scheme}://${host !== undefined && SAFE_HOST.test(host) ? host : fallbackHost}`;
}
