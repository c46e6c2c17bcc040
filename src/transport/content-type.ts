// Parses a Content-Type header into its media type and parameters (RFC 9110 8.3).

export interface ContentType {
  readonly mediaType: string;
  readonly params: ReadonlyMap<string, string>;
}

export function parseContentType(header: string | undefined): ContentType {
  const [type = '', ...rest] = (header ?? '').split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    params.set(key, value);
  }
  return { mediaType: type.trim().toLowerCase(), params };
}

/** A SOAPAction header value without its quotes (SOAP 1.1 6.1.1: it is a quoted URI). */
export function unquote(value: string | undefined): string {
  const v = (value ?? '').trim();
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
}
