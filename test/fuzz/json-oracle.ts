// What every /api answer to a mutated request must be, from the contract's
// "JSON over HTTP" alone: a success in JSON, or an error body
// {"code","message","errors":[...]} with a code of the catalogue (never
// INTERNAL; MALFORMED_JSON for a body that is not JSON, never MALFORMED_XML)
// and that code's status; and a body the service took must have been one
// the contract lets it take (a JSON media type in UTF-8, one object, no
// unknown or repeated member, only characters XML 1.0 can carry).
import type { FuzzRequest } from './fuzz-request.js';
import type { FuzzAnswer } from './send.js';

/** The contract's codes on /api with their statuses; INTERNAL is left out on purpose. */
const JSON_STATUS: Readonly<Record<string, readonly number[]>> = {
  MALFORMED_JSON: [400],
  VALIDATION_FAILED: [400],
  // 405 with Allow: a method the path does not take.
  UNKNOWN_OPERATION: [400, 405],
  NOT_FOUND: [404],
  DUPLICATE_EXTERNAL_ID: [409],
  // 412: an If-Match that names another version.
  VERSION_CONFLICT: [409, 412],
  UNAUTHORIZED: [401],
  FORBIDDEN: [403],
  PAYLOAD_TOO_LARGE: [413],
  UNSUPPORTED_MEDIA_TYPE: [415],
  UNAVAILABLE: [503],
};

const CUSTOMER = new Set(['id', 'externalId', 'type', 'name', 'email', 'phone', 'status', 'vatNumber', 'addresses', 'contacts', 'version', 'createdAt', 'updatedAt']);
const ADDRESS = new Set(['type', 'line1', 'line2', 'city', 'region', 'postalCode', 'country']);
const CONTACT = new Set(['firstName', 'lastName', 'email', 'phone', 'role']);
/** Not XML 1.0's Char (2.2): what /api must neither take nor answer. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function judgeJson(req: FuzzRequest, answer: FuzzAnswer, problems: string[]): { code: string | undefined; read: boolean } {
  const method = req.method.toUpperCase();
  const read = method === 'GET' || method === 'HEAD';
  if (answer.status === 204 || answer.status === 304) {
    if (answer.body.length > 0) problems.push(`HTTP ${answer.status} with a body`);
    if (answer.status === 204 && method !== 'DELETE') problems.push(`HTTP 204 to ${method}`);
    if (answer.status === 304 && headerOf(req, 'if-none-match') === undefined) problems.push('HTTP 304 without an If-None-Match');
    return { code: undefined, read };
  }
  const type = mediaType(answer.headers['content-type']);
  if (type !== 'application/json') problems.push(`answer Content-Type ${String(answer.headers['content-type'] ?? '(none)')}`);
  const value = parsed(answer.body);
  if (value instanceof Error) {
    problems.push(`the answer is not JSON: ${value.message}`);
    return { code: undefined, read: false };
  }
  if (answer.status === 200 || answer.status === 201) {
    // Routes match as express matches them: in any case, with or without a trailing slash.
    const resource = (req.path.split('?', 1)[0] ?? '').toLowerCase().replace(/\/+$/, '');
    if (isObject(value) && 'code' in value && 'errors' in value) problems.push(`HTTP ${answer.status} with an error body`);
    else if (resource === '/api/batches') problems.push(...reportProblems(value), ...servedBatchProblems(req, value));
    else if (resource === '/api/export') problems.push(...exportProblems(value));
    else problems.push(...successProblems(value));
    if (answer.status === 201 && !String(answer.headers['location'] ?? '').startsWith('/api/customers/')) problems.push('201 without a Location under /api/customers/');
    if ((method === 'POST' || method === 'PUT') && resource !== '/api/batches') problems.push(...servedBodyProblems(req));
    return { code: undefined, read };
  }
  if (!isObject(value) || Object.keys(value).sort().join(',') !== 'code,errors,message') {
    problems.push(`HTTP ${answer.status} without the error body {code,message,errors}`);
    return { code: undefined, read: false };
  }
  const { code, message, errors } = value as { code: unknown; message: unknown; errors: unknown };
  if (typeof code !== 'string') {
    problems.push('an error body whose code is not a string');
    return { code: undefined, read: false };
  }
  if (code === 'INTERNAL') return { code, read: false };
  if (typeof message !== 'string' || message === '') problems.push(`${code} without a message`);
  if (!Array.isArray(errors)) problems.push(`${code} whose errors is not an array`);
  else problems.push(...errors.flatMap((e) => errorProblems(code, e)));
  const statuses = JSON_STATUS[code];
  if (statuses === undefined) problems.push(`code ${code} is not /api's${code === 'MALFORMED_XML' ? ' (a body that is not JSON is MALFORMED_JSON)' : ''}`);
  else if (!statuses.includes(answer.status)) problems.push(`${code} answered HTTP ${answer.status}, expected ${statuses.join(' or ')}`);
  if (answer.status === 412 && headerOf(req, 'if-match') === undefined) problems.push('412 without an If-Match');
  if (answer.status === 405 && answer.headers['allow'] === undefined) problems.push('405 without Allow');
  if (code === 'UNAUTHORIZED' && answer.headers['www-authenticate'] === undefined) problems.push('401 without WWW-Authenticate');
  if (code === 'UNAVAILABLE' && answer.headers['retry-after'] === undefined) problems.push('503 without Retry-After');
  if (code === 'MALFORMED_JSON') {
    if (typeof message === 'string' && !/line \d+, column \d+/.test(message)) problems.push(`MALFORMED_JSON without line and column: ${message.slice(0, 200)}`);
    if (method !== 'POST' && method !== 'PUT') problems.push(`MALFORMED_JSON to a ${method}, which has no body to read`);
  }
  if (code === 'UNSUPPORTED_MEDIA_TYPE' && acceptedMediaType(headerOf(req, 'content-type'))) {
    problems.push(`UNSUPPORTED_MEDIA_TYPE for Content-Type ${JSON.stringify(headerOf(req, 'content-type'))}, which the contract accepts`);
  }
  return { code, read: false };
}

function errorProblems(code: string, e: unknown): string[] {
  if (!isObject(e) || typeof e['message'] !== 'string' || typeof e['path'] !== 'string') return [`${code} with an error that is not {path,message}: ${JSON.stringify(e).slice(0, 200)}`];
  const where = e['in'];
  if (where !== undefined && where !== 'query' && where !== 'path') return [`${code} with an error "in" ${JSON.stringify(where)}`];
  // A body's place is a JSON Pointer; a parameter's (in query or path) is its name.
  if (where === undefined && e['path'] !== '' && !(e['path'] as string).startsWith('/')) return [`${code} with an error path that is not a JSON Pointer: ${JSON.stringify(e['path']).slice(0, 100)}`];
  for (const n of ['line', 'column']) if (e[n] !== undefined && !(Number.isInteger(e[n]) && (e[n] as number) >= 1)) return [`${code} with an error ${n} ${JSON.stringify(e[n])}`];
  return [];
}

/** A success's body: a customer, a search page or a history, every string one XML can carry. */
function successProblems(v: unknown): string[] {
  if (!isObject(v)) return [`a success whose body is ${JSON.stringify(v).slice(0, 80)}`];
  const out: string[] = [];
  if ('changes' in v) {
    if (!Array.isArray(v['changes'])) out.push('a history whose changes is not an array');
  } else if ('customers' in v) {
    if (!Number.isInteger(v['total']) || !Number.isInteger(v['offset'])) out.push('a search answer without integer total and offset');
    if (!Array.isArray(v['customers'])) out.push('a search answer whose customers is not an array');
    else for (const c of v['customers']) out.push(...customerProblems(c));
  } else {
    out.push(...customerProblems(v));
  }
  const bad = badString(v);
  if (bad !== undefined) out.push(`a success carries ${bad}, which XML 1.0 cannot`);
  return out;
}

/** A batch report: counts, and one result per record, each a known status, a FAILED one with its error. */
function reportProblems(v: unknown): string[] {
  if (!isObject(v)) return ['a batch report that is not an object'];
  const out: string[] = [];
  for (const n of ['created', 'updated', 'unchanged', 'failed']) if (!Number.isInteger(v[n])) out.push(`a batch report without an integer ${n}`);
  if (!Array.isArray(v['results'])) return [...out, 'a batch report without results'];
  for (const r of v['results']) {
    if (!isObject(r) || !Number.isInteger(r['index']) || !REPORT_STATUS.has(String(r['status']))) out.push(`a batch result ${JSON.stringify(r).slice(0, 120)}`);
    else if (r['status'] === 'FAILED' && !isObject(r['error'])) out.push('a FAILED batch result without its error');
  }
  const bad = badString(v);
  if (bad !== undefined) out.push(`a batch report carries ${bad}, which XML 1.0 cannot`);
  return out;
}

const REPORT_STATUS = new Set(['CREATED', 'UPDATED', 'UNCHANGED', 'FAILED', 'ROLLED_BACK']);

/**
 * Why a batch the service took with 200 breaks the contract: a body it must
 * refuse whole (media type, syntax, a wrapper member it does not know), or a
 * record it must fail alone (an unknown member, a character XML cannot carry)
 * reported as stored. A replay answers the first report, whatever this body's records.
 */
function servedBatchProblems(req: FuzzRequest, report: unknown): string[] {
  const sent = headerOf(req, 'content-type');
  if (!acceptedMediaType(sent)) return [`served a batch sent as ${JSON.stringify(sent ?? '(none)')}`];
  const value = parsed(req.body ?? Buffer.alloc(0));
  if (value instanceof Error) return [`served a batch that is not JSON: ${value.message}`];
  if (!isObject(value)) return ['served a batch that is not an object'];
  const unknown = Object.keys(value).filter((k) => !['batchId', 'mode', 'customers'].includes(k));
  if (unknown.length > 0) return [`served a batch with unknown member(s) ${unknown.slice(0, 3).join(', ')}`];
  const customers = value['customers'];
  if (!Array.isArray(customers) || !isObject(report) || !Array.isArray(report['results'])) return [];
  const results = report['results'] as Record<string, unknown>[];
  if (results.length !== customers.length) return [];
  return customers.flatMap((c, i) => {
    const stored = results[i]?.['status'] !== 'FAILED' && results[i]?.['status'] !== 'ROLLED_BACK';
    if (!stored) return [];
    if (!isObject(c)) return [`stored batch record ${i + 1}, which is not an object`];
    const why = [...unknownMembers(c).slice(0, 1).map((m) => `unknown member ${m}`), ...[badString(c)].filter((b) => b !== undefined).map((b) => `${b}, which XML 1.0 cannot carry`)];
    return why.map((w) => `stored batch record ${i + 1} with ${w}`);
  });
}

/** An export: {"customers":[...]} (a batch without batchId), each a customer as GET answers it. */
function exportProblems(v: unknown): string[] {
  if (!isObject(v) || !Array.isArray(v['customers'])) return ['an export that is not {"customers":[...]}'];
  const out = v['customers'].flatMap((c) => customerProblems(c));
  const unknown = Object.keys(v).filter((k) => k !== 'customers' && k !== 'mode');
  if (unknown.length > 0) out.push(`an export with members ${unknown.join(', ')}`);
  const bad = badString(v);
  if (bad !== undefined) out.push(`an export carries ${bad}, which XML 1.0 cannot`);
  return out;
}

function customerProblems(c: unknown): string[] {
  if (!isObject(c)) return ['a customer that is not an object'];
  const out: string[] = [];
  if (typeof c['id'] !== 'string' || typeof c['name'] !== 'string' || typeof c['type'] !== 'string') out.push('a customer without string id, type and name');
  if (!(Number.isInteger(c['version']) && (c['version'] as number) >= 1)) out.push(`a customer at version ${JSON.stringify(c['version'])}`);
  if (!Array.isArray(c['addresses']) || !Array.isArray(c['contacts'])) out.push('a customer without addresses and contacts arrays');
  const unknown = Object.keys(c).filter((k) => !CUSTOMER.has(k));
  if (unknown.length > 0) out.push(`a customer answered with members ${unknown.join(', ')}`);
  return out;
}

/**
 * Why the body of a served POST or PUT is one the contract refuses: its
 * media type, its encoding, its syntax, a repeated or unknown member, a
 * string XML cannot carry, a version that is no integer.
 */
function servedBodyProblems(req: FuzzRequest): string[] {
  const sent = headerOf(req, 'content-type');
  if (!acceptedMediaType(sent)) return [`served a body sent as ${JSON.stringify(sent ?? '(none)')}`];
  const value = parsed(req.body ?? Buffer.alloc(0));
  if (value instanceof Error) return [`served a body that is not JSON: ${value.message}`];
  if (!isObject(value)) return ['served a body that is not an object'];
  const out: string[] = [];
  const repeated = repeatedMember((req.body as Buffer).toString('utf8'));
  if (repeated !== undefined) out.push(`served a body that repeats member ${JSON.stringify(repeated)}`);
  const unknown = unknownMembers(value);
  if (unknown.length > 0) out.push(`served a body with unknown member(s) ${unknown.slice(0, 3).join(', ')}`);
  const bad = badString(value);
  if (bad !== undefined) out.push(`served a body carrying ${bad}, which XML 1.0 cannot`);
  const version = value['version'];
  if (!absent(version) && !(Number.isInteger(version) && !Object.is(version, -0))) out.push(`served a body whose version is ${JSON.stringify(version)}`);
  return out;
}

/** Contract: "In requests null means absent, [] equals absent". */
function absent(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

/** Members the contract does not know, whatever they hold (null and [] mean absent only for members it knows). */
function unknownMembers(c: Record<string, unknown>): string[] {
  const out = Object.keys(c).filter((k) => !CUSTOMER.has(k)).map((k) => `/${k}`);
  for (const [list, known] of [['addresses', ADDRESS], ['contacts', CONTACT]] as const) {
    const items = c[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (isObject(item)) out.push(...Object.keys(item).filter((k) => !known.has(k)).map((k) => `/${list}/${i}/${k}`));
    });
  }
  return out;
}

/** The first string (member names included) with a character XML 1.0 cannot carry, described; undefined when there is none. */
function badString(v: unknown): string | undefined {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'string') {
      const m = NOT_XML_CHAR.exec(x);
      if (m !== null) return `U+${(x.codePointAt(m.index) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (Array.isArray(x)) {
      stack.push(...x);
    } else if (isObject(x)) {
      for (const k of Object.keys(x)) stack.push(k, x[k]);
    }
  }
  return undefined;
}

/** A member name repeated within one object of a valid JSON text, found by a scan of its tokens (no recursion). */
function repeatedMember(text: string): string | undefined {
  const stack: (Set<string> | undefined)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') { stack.push(new Set()); expectName = true; }
    else if (c === '[') { stack.push(undefined); expectName = false; }
    else if (c === '}' || c === ']') { stack.pop(); expectName = false; }
    else if (c === ',') expectName = stack[stack.length - 1] !== undefined;
    else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      if (expectName) {
        const name = JSON.parse(text.slice(i, j + 1)) as string;
        const names = stack[stack.length - 1] as Set<string>;
        if (names.has(name)) return name;
        names.add(name);
      }
      expectName = false;
      i = j;
    }
  }
  return undefined;
}

/** application/json or application/*+json, in UTF-8 (contract: "Accepted content types"). */
export function acceptedMediaType(value: string | undefined): boolean {
  const [type = '', ...params] = (value ?? '').split(';');
  const media = type.trim().toLowerCase();
  if (media !== 'application/json' && !/^application\/[^/+]+\+json$/.test(media)) return false;
  for (const p of params) {
    // A parameter without '=' is no parameter (RFC 9110 5.6.6): as if it were not there.
    const eq = p.indexOf('=');
    if (eq === -1 || p.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    if (!['utf-8', 'utf8', '"utf-8"', '"utf8"'].includes(p.slice(eq + 1).trim().toLowerCase())) return false;
  }
  return true;
}

/** The bytes as UTF-8 (one BOM tolerated) JSON, or the error that says why not. */
function parsed(body: Buffer): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    return JSON.parse(text) as unknown;
  } catch (err) {
    return err as Error;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mediaType(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] ?? '' : value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function headerOf(req: FuzzRequest, name: string): string | undefined {
  const key = Object.keys(req.headers).find((h) => h.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}
