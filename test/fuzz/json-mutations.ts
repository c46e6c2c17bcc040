// The mutations of /api requests (issue 18): of the JSON value (members
// dropped, repeated, renamed; wrong types, null, [], edge numbers such as
// 1e999 and -0 for version; huge strings and numbers; deep nesting; Unicode
// edge cases such as an escaped lone surrogate \ud800 or a raw control
// character), of its text (syntax errors, BOMs, other encodings, invalid
// UTF-8) and of the HTTP request (Content-Type, paths). The byte mutations of
// mutations.ts (flips, truncation, copies) and its method, query, path-id and
// credential mutations apply to /api as well.
import type { FuzzRequest } from './fuzz-request.js';
import { clone, JObj, JRaw, places, readTree, replaceAt, writeTree, type JVal, type Place } from './json-tree.js';
import type { Mutation } from './mutations.js';
import type { Random } from './random.js';

const isJson = (req: FuzzRequest): boolean => req.channel === 'json';
const hasBody = (req: FuzzRequest): boolean => isJson(req) && req.body !== undefined && req.body.length > 0;
const shown = (s: string, max = 60): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…(${s.length})` : s);

/** Whether a body parses (cached by the Buffer: applies() is asked of every mutation before each pick). */
const parses = new WeakMap<Buffer, boolean>();
function hasTree(req: FuzzRequest): boolean {
  if (!hasBody(req)) return false;
  const body = req.body as Buffer;
  let ok = parses.get(body);
  if (ok === undefined) {
    ok = readTree(body) !== undefined;
    parses.set(body, ok);
  }
  return ok;
}

/** Runs `change` on the body's tree and writes the tree back (compact or indented, as `rng` says). */
function onTree(req: FuzzRequest, rng: Random, change: (root: JVal) => { root: JVal; what: string }): string {
  const tree = readTree(req.body);
  if (tree === undefined) return 'not JSON any more';
  const { root, what } = change(tree);
  req.body = Buffer.from(writeTree(root, rng.chance(0.5)), 'utf8');
  return what;
}

function setHeader(req: FuzzRequest, name: string, value: string | undefined): void {
  for (const h of Object.keys(req.headers)) if (h.toLowerCase() === name) delete req.headers[h];
  if (value !== undefined) req.headers[name] = value;
}

const members = (root: JVal): Place[] => places(root).filter((p) => p.name !== undefined);
const objects = (root: JVal): Place[] => places(root).filter((p) => p.value instanceof JObj);

/** Where string literals are in a latin1 text (one character per byte): offsets just inside their quotes. */
function stringSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /"(?:[^"\\]|\\.)*"/gs;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ start: m.index + 1, end: m.index + m[0].length - 1 });
  return out;
}

/** A byte offset inside a string literal (70%) or anywhere. */
function bytePosition(body: Buffer, rng: Random): number {
  const spans = stringSpans(body.toString('latin1'));
  if (spans.length === 0 || rng.chance(0.3)) return rng.below(body.length + 1);
  const s = rng.pick(spans);
  return rng.between(s.start, s.end);
}

function insertBytes(req: FuzzRequest, at: number, bytes: Buffer): void {
  const body = req.body as Buffer;
  req.body = Buffer.concat([body.subarray(0, at), bytes, body.subarray(at)]);
}

// ---------------------------------------------------------------- structure

/** Member names of the contract (customer, address, contact), and names a JS object treats specially. */
const NAMES = [
  'id', 'externalId', 'type', 'name', 'email', 'phone', 'status', 'vatNumber', 'addresses', 'contacts', 'version', 'createdAt', 'updatedAt',
  'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'firstName', 'lastName', 'role', 'customers', 'batchId', 'mode',
];
const ODD_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'Name', 'NAME', 'name ', 'näme', 'a/b~c', '~1', '\u0000', '\ud800', '$ref', '0'];

const dropMember: Mutation = {
  name: 'json-drop-member',
  weight: 6,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const ms = members(root);
      if (ms.length === 0) return { root, what: 'no member' };
      const m = rng.pick(ms);
      (m.parent as JObj).entries.splice(m.index, 1);
      return { root, what: `dropped ${m.pointer}` };
    });
  },
};

const duplicateMember: Mutation = {
  name: 'json-duplicate-member',
  weight: 5,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const ms = members(root);
      if (ms.length === 0) return { root, what: 'no member' };
      const m = rng.pick(ms);
      const obj = m.parent as JObj;
      // The same value, or another member's (a repeat JSON.parse would silently take as the value);
      // a copy, as the other member may hold this object (the tree must stay a tree).
      const value = clone(rng.chance(0.5) ? m.value : rng.pick(ms).value);
      const at = rng.chance(0.5) ? m.index + 1 : obj.entries.length;
      obj.entries.splice(at, 0, [m.name as string, value]);
      return { root, what: `repeated ${m.pointer}` };
    });
  },
};

const renameMember: Mutation = {
  name: 'json-rename-member',
  weight: 4,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const ms = members(root);
      if (ms.length === 0) return { root, what: 'no member' };
      const m = rng.pick(ms);
      const to = rng.chance(0.5) ? rng.pick(NAMES) : rng.chance(0.8) ? rng.pick(ODD_NAMES) : 'n'.repeat(rng.pick([300, 70_000]));
      ((m.parent as JObj).entries[m.index] as [string, JVal])[0] = to;
      return { root, what: `renamed ${m.pointer} to ${shown(to, 30)}` };
    });
  },
};

/** Members whose name a JS object treats specially, holding what a customer holds: must be refused as unknown, never read. */
const addMember: Mutation = {
  name: 'json-add-member',
  weight: 3,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const os = objects(root);
      if (os.length === 0) return { root, what: 'no object' };
      const o = rng.pick(os);
      const name = rng.pick(['__proto__', '__proto__', 'constructor', 'unknown', 'id', 'version', 'createdAt', 'toJSON', 'valueOf']);
      const value: JVal = rng.pick<JVal>([
        new JObj([['type', 'PERSON'], ['name', 'Prototype Person'], ['version', 1]]),
        new JObj([['prototype', new JObj([['name', 'x']])]]),
        new JObj([['status', 'BLOCKED']]),
        null, [], 1, 'x', '2026-11-25T09:30:00Z', '00000000-0000-0000-0000-000000000000',
      ]);
      o.value instanceof JObj && o.value.entries.splice(rng.below(o.value.entries.length + 1), 0, [name, value]);
      return { root, what: `added ${o.pointer}/${name} := ${shown(writeTree(value, false), 50)}` };
    });
  },
};

const wrongType: Mutation = {
  name: 'json-wrong-type',
  weight: 6,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const p = rng.chance(0.1) ? places(root)[0] as Place : rng.pick(places(root));
      const v = p.value;
      const to = rng.pick<JVal>([
        null, null, [], [], new JObj([]), 0, 1, -1, true, false, '', '1', 'null', [v], new JObj([['value', v]]), [v, clone(v)],
        typeof v === 'number' ? String(v) : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : 'x',
      ]);
      return { root: replaceAt(root, p, to), what: `${p.pointer || '(root)'} := ${shown(writeTree(to, false), 50)}` };
    });
  },
};

const EDGE_STRINGS = [
  '', ' ', '\t', 'x', 'ZZ', 'de', 'DE', 'ACTIVE', 'active', 'PERSON', 'ORGANIZATION ', 'BILLING', 'billing', '0', '-1', '1e999',
  'a@b', 'x@y.z', '@', "' OR 1=1 --", '%', '_', '*', '\\', '../../etc/passwd', '<customer/>', '&amp;', ']]>', '{"a":1}',
  '3F2C9A7E-5B1D-4C8E-9F60-2A7B4D1E8C05', 'not-a-uuid', '2026-11-25T09:30:00Z', '2026-02-30T00:00:00Z', '2026-11-25T09:30:00+01:00', '9999-12-31T23:59:59Z',
  '\u202e\u0645\u0631\u062d\u0628\u0627', '\u00a0', '\ufeff', '\u2028\u2029', 'e\u0301', '\ud83d\ude00', '\u0085', '\u000b',
];
const EDGE_NUMBERS = [
  '0', '-0', '1', '-1', '1.0', '1.5', '1e0', '10E-1', '1e999', '-1e999', '1e-999', '2147483647', '2147483648', '-2147483649',
  '9007199254740993', '1'.repeat(400), '0.1e1', '5e-324', '1E+2',
];

const edgeValue: Mutation = {
  name: 'json-edge-value',
  weight: 7,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const scalars = places(root).filter((p) => p.value === null || typeof p.value !== 'object');
      const p = scalars.length === 0 ? rng.pick(places(root)) : rng.pick(scalars);
      const to: JVal = rng.chance(0.7) ? rng.pick(EDGE_STRINGS) : new JRaw(rng.pick(EDGE_NUMBERS));
      return { root: replaceAt(root, p, to), what: `${p.pointer || '(root)'} := ${shown(to instanceof JRaw ? to.text : JSON.stringify(to), 50)}` };
    });
  },
};

/** Numbers and look-alikes for version, written as sent (1e999 is Infinity to JSON.parse, -0 is not 0 to Object.is). */
const VERSIONS = [
  '1e999', '-1e999', '-0', '-0.0', '0', '0.0', '1.0', '1e0', '10e-1', '1E+0', '1e-999', '-1', '1.5', '2', '2147483647', '2147483648',
  '9007199254740993', '4294967297', '"1"', 'true', 'null', '[]', '[1]', '{}', '01', '+1', '0x1', 'NaN', 'Infinity', '1.', '.5', '1e', '--1', '"\\u0031"',
];

const versionValue: Mutation = {
  name: 'json-version',
  weight: 5,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const os = objects(root);
      if (os.length === 0) return { root, what: 'no object' };
      const o = (os.find((x) => x.pointer === '') ?? rng.pick(os)).value as JObj;
      const text = rng.pick(VERSIONS);
      const at = o.entries.findIndex(([k]) => k === 'version');
      if (at === -1) o.entries.push(['version', new JRaw(text)]);
      else (o.entries[at] as [string, JVal])[1] = new JRaw(text);
      return { root, what: `version := ${text}` };
    });
  },
};

/** Characters in a string value, as the tree writes them: JSON.stringify escapes lone surrogates and C0 controls, leaves U+FFFE raw. */
const UNICODE = [
  '\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800', 'a\ud800b', '\ud83d', '\u0000', '\u0001', '\u0008', '\u001f', '\u007f', '\ufffe', '\uffff',
  '\ufdd0', '\u{10ffff}', '\u{1fffe}', '\u2028', '\u200b', '\u0300', '\u{e0001}',
];
/** String literals written as sent: escapes JSON.stringify would not write, raw controls, escapes JSON does not have. */
const RAW_STRINGS = [
  '"\\uD800"', '"\\uDFFF\\uD800"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u001F"', '"\\uFFFE"', '"\\/"', '"\\b\\f\\n\\r\\t"',
  '"a\u0001b"', '"a\u0000b"', '"a\u001fb"', '"a\nb"', '"a\tb"', '"\u007f"', '"\\x41"', '"\\u12"', '"\\u12G4"', '"\\U0001F600"', '"\\\'"', '"\\a"',
  '"\\', '"unterminated', "'single'", '"\\u{41}"',
];

const unicodeValue: Mutation = {
  name: 'json-unicode',
  weight: 7,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const strings = places(root).filter((p) => typeof p.value === 'string');
      const p = strings.length === 0 ? rng.pick(places(root)) : rng.pick(strings);
      if (rng.chance(0.6)) {
        const ch = rng.pick(UNICODE);
        const s = typeof p.value === 'string' ? p.value : '';
        const at = rng.below(s.length + 1);
        return { root: replaceAt(root, p, s.slice(0, at) + ch + s.slice(at)), what: `${p.pointer} gets ${JSON.stringify(ch)} at ${at}` };
      }
      const raw = rng.pick(RAW_STRINGS);
      return { root: replaceAt(root, p, new JRaw(raw)), what: `${p.pointer} := ${JSON.stringify(raw)} (as written)` };
    });
  },
};

// ---------------------------------------------------------------- shape

const deepNesting: Mutation = {
  name: 'json-deep-nesting',
  weight: 3,
  shape: true,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const p = rng.chance(0.2) ? places(root)[0] as Place : rng.pick(places(root));
      const depth = rng.pick([10, 63, 64, 65, 100, 255, 256, 257, 1000, 10_000, 100_000, 1_000_000]);
      const kind = rng.pick(['array', 'object', 'mixed', 'unclosed', 'repeated-inside'] as const);
      const inner = writeTree(p.value, false);
      let raw: string;
      switch (kind) {
        case 'array': raw = '['.repeat(depth) + inner + ']'.repeat(depth); break;
        case 'object': raw = '{"a":'.repeat(depth) + inner + '}'.repeat(depth); break;
        case 'mixed': raw = '[{"a":'.repeat(depth >> 1) + inner + '}]'.repeat(depth >> 1); break;
        // Not JSON: the error's place must still be found, however deep it is.
        case 'unclosed': raw = '['.repeat(depth) + inner; break;
        // A repeated member deep down: where it is must be found, however deep.
        case 'repeated-inside': raw = '{"a":'.repeat(depth) + '{"x":1,"x":2}' + '}'.repeat(depth); break;
      }
      return { root: replaceAt(root, p, new JRaw(raw)), what: `${p.pointer || '(root)'} nested ${depth} deep (${kind})` };
    });
  },
};

const huge: Mutation = {
  name: 'json-huge',
  weight: 3,
  shape: true,
  applies: hasTree,
  apply(req, rng) {
    return onTree(req, rng, (root) => {
      const all = places(root);
      const p = rng.pick(all);
      const kind = rng.pick(['string', 'string', 'number', 'array', 'members', 'name'] as const);
      const n = rng.pick([201, 4096, 100_000, 2_000_000]);
      switch (kind) {
        case 'string': {
          const unit = rng.pick(['A', 'é', '東', '😀', ' ', '\\u0041', '\\"', '\\ud800']);
          return { root: replaceAt(root, p, new JRaw(`"${unit.repeat(n)}"`)), what: `${p.pointer || '(root)'} := ${JSON.stringify(unit)} x ${n}` };
        }
        case 'number': {
          const digits = rng.pick([400, 10_000, 1_000_000]);
          const text = rng.pick(['', '-', '0.']) + '9'.repeat(digits) + rng.pick(['', 'e999', 'e-999999999']);
          return { root: replaceAt(root, p, new JRaw(text)), what: `${p.pointer || '(root)'} := a number of ${digits} digits` };
        }
        case 'array': {
          const count = rng.pick([101, 1000, 50_000]);
          const item = p.value instanceof JObj || Array.isArray(p.value) ? p.value : new JObj([['type', 'BILLING'], ['line1', 'x'], ['city', 'y'], ['country', 'DE']]);
          const raw = `[${Array.from({ length: count }, () => writeTree(item, false)).join(',')}]`;
          return { root: replaceAt(root, p, new JRaw(raw)), what: `${p.pointer || '(root)'} := ${count} items` };
        }
        case 'members': {
          const count = rng.pick([100, 5000, 100_000]);
          const raw = `{${Array.from({ length: count }, (_, i) => `"m${i}":${i}`).join(',')}}`;
          return { root: replaceAt(root, p, new JRaw(raw)), what: `${p.pointer || '(root)'} := an object of ${count} members` };
        }
        case 'name': {
          const os = objects(root);
          const o = (os.length === 0 ? undefined : rng.pick(os))?.value as JObj | undefined;
          o?.entries.push(['k'.repeat(n), 1]);
          return { root, what: `a member named k x ${n}` };
        }
      }
    });
  },
};

// ---------------------------------------------------------------- text and bytes

const SYNTAX: readonly [string, (s: string) => string][] = [
  ['trailing comma', (s) => s.replace(/(\S)\s*([}\]])\s*$/, '$1,$2')],
  ['comment', (s) => `/* c */${s}`],
  ['line comment', (s) => s.replace('{', '{// c\n')],
  ['single quotes', (s) => s.replace(/"([^"\\]*)"/, "'$1'")],
  ['unquoted name', (s) => s.replace(/"([A-Za-z]+)":/, '$1:')],
  ['missing colon', (s) => s.replace(/":/, '" ')],
  ['missing comma', (s) => s.replace(/,/, ' ')],
  ['extra brace', (s) => `${s}}`],
  ['two documents', (s) => `${s}${s}`],
  ['trailing garbage', (s) => `${s} garbage`],
  ['trailing NUL', (s) => `${s}\u0000`],
  ['leading NUL', (s) => `\u0000${s}`],
  ['NaN', (s) => s.replace(/:\s*"[^"]*"/, ':NaN')],
  ['leading zero', (s) => s.replace(/:\s*"[^"]*"/, ':007')],
  ['empty', () => ''],
  ['whitespace', () => ' \r\n\t '],
  ['null', () => 'null'],
  ['array of it', (s) => `[${s}]`],
  ['wrapped', (s) => `{"customer":${s}}`],
  ['string', () => '"customer"'],
  ['number', () => '42'],
  ['true', () => 'true'],
  ['form', () => 'name=x&type=PERSON'],
  ['xml', () => '<Customer xmlns="urn:crm-bridge:customer:v1"><type>PERSON</type><name>x</name></Customer>'],
  ['vertical tab', (s) => s.replace('{', '{\u000b')],
  ['U+00A0 as space', (s) => s.replace('{', '{\u00a0')],
  ['U+2028 as space', (s) => s.replace('{', '{\u2028')],
];

const syntax: Mutation = {
  name: 'json-syntax',
  weight: 5,
  applies: hasBody,
  apply(req, rng) {
    const [name, change] = rng.pick(SYNTAX);
    req.body = Buffer.from(change((req.body as Buffer).toString('utf8')), 'utf8');
    return name;
  },
};

const RAW_CONTROLS = [0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f];
const BAD_UTF8: readonly number[][] = [[0xff], [0xfe], [0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xc3]];

const rawBytes: Mutation = {
  name: 'json-raw-bytes',
  weight: 6,
  applies: hasBody,
  apply(req, rng) {
    const at = bytePosition(req.body as Buffer, rng);
    const control = rng.chance(0.5);
    const bytes = control ? [rng.pick(RAW_CONTROLS)] : rng.pick(BAD_UTF8);
    insertBytes(req, at, Buffer.from(bytes));
    return `inserted ${control ? 'raw control' : 'bytes'} ${bytes.map((b) => b.toString(16)).join(' ')} at ${at}`;
  },
};

const bom: Mutation = {
  name: 'json-bom',
  weight: 3,
  applies: hasBody,
  apply(req, rng) {
    const body = req.body as Buffer;
    const kind = rng.pick(['utf8', 'utf8', 'utf8-twice', 'utf16le', 'utf16be', 'utf32le', 'mid-text', 'in-string', 'at-end'] as const);
    const b = (...xs: number[]): Buffer => Buffer.from(xs);
    switch (kind) {
      case 'utf8': req.body = Buffer.concat([b(0xef, 0xbb, 0xbf), body]); break;
      case 'utf8-twice': req.body = Buffer.concat([b(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf), body]); break;
      case 'utf16le': req.body = Buffer.concat([b(0xff, 0xfe), body]); break;
      case 'utf16be': req.body = Buffer.concat([b(0xfe, 0xff), body]); break;
      case 'utf32le': req.body = Buffer.concat([b(0xff, 0xfe, 0, 0), body]); break;
      case 'mid-text': insertBytes(req, rng.below(body.length + 1), b(0xef, 0xbb, 0xbf)); break;
      case 'in-string': insertBytes(req, bytePosition(body, rng), b(0xef, 0xbb, 0xbf)); break;
      case 'at-end': req.body = Buffer.concat([body, b(0xef, 0xbb, 0xbf)]); break;
    }
    return `BOM ${kind}`;
  },
};

const transcode: Mutation = {
  name: 'json-transcode',
  weight: 3,
  applies: hasBody,
  apply(req, rng) {
    const source = (req.body as Buffer).toString('utf8');
    const kind = rng.pick(['utf16le+bom', 'utf16le', 'utf16be+bom', 'utf32le', 'latin1', 'cesu8'] as const);
    const swap = (x: Buffer): Buffer => { const c = Buffer.from(x); c.swap16(); return c; };
    switch (kind) {
      case 'utf16le+bom': req.body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, 'utf16le')]); break;
      case 'utf16le': req.body = Buffer.from(source, 'utf16le'); break;
      case 'utf16be+bom': req.body = Buffer.concat([Buffer.from([0xfe, 0xff]), swap(Buffer.from(source, 'utf16le'))]); break;
      case 'utf32le': req.body = Buffer.concat([...source].map((c) => { const x = Buffer.alloc(4); x.writeUInt32LE(c.codePointAt(0) ?? 0); return x; })); break;
      case 'latin1': req.body = Buffer.from(source, 'latin1'); break;
      // Each UTF-16 unit as its own three bytes: surrogates encoded one by one, which UTF-8 forbids.
      // A smiley as CESU-8 (each surrogate encoded on its own, ed a0 bd ed b8 80), which UTF-8 forbids.
      case 'cesu8': insertBytes(req, bytePosition(req.body as Buffer, rng), Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80])); break;
    }
    return `re-encoded as ${kind}`;
  },
};

// ---------------------------------------------------------------- HTTP

const JSON_CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset="utf-8"', 'application/json; charset=utf8',
  'application/json; charset=utf-16', 'application/json; charset=iso-8859-1', 'application/json; charset=bogus', 'application/json; charset',
  'APPLICATION/JSON', 'Application/Json; Charset=UTF-8', 'application/merge-patch+json', 'application/problem+json', 'application/vnd.crm+json; version=1',
  'application/+json', 'application/json+xml', 'application/jsonx', 'application/json-seq', 'application/x-ndjson', 'text/json', 'text/plain',
  'application/xml', 'text/xml; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', ';', '/', '*/*',
  'application/json;;;', 'application/json; charset=utf-8; charset=latin1', `application/json; x=${'y'.repeat(4000)}`, ' application/json ',
];

const contentType: Mutation = {
  name: 'json-content-type',
  weight: 5,
  applies: isJson,
  apply(req, rng) {
    const value = rng.chance(0.1) ? undefined : rng.pick(JSON_CONTENT_TYPES);
    setHeader(req, 'content-type', value);
    return `Content-Type := ${value === undefined ? '(none)' : shown(value)}`;
  },
};

const apiPath: Mutation = {
  name: 'json-path',
  weight: 3,
  applies: isJson,
  apply(req, rng) {
    const [p = '', q] = req.path.split('?');
    const id = /\/customers\/([^/?]+)/.exec(p)?.[1] ?? '00000000-0000-0000-0000-000000000000';
    const to = rng.pick([
      `${p}/`, `${p}//`, p.toUpperCase(), p.replace('/api', '/API'), p.replace('/api/', '/api//'), p.replace('/customers', '/customer'),
      `${p}/history`, `${p}/history/x`, `/api/customers/${id}/History`, `/api/customers/${id}/history/`, `/api/customers/${id}/x/history`,
      '/api', '/api/', '/api/customers/', '/api/%63ustomers', `/api/customers/${id}%2Fhistory`, '/api/customers/%2e%2e/customers', '/api/../xml/customers',
      '/api/openapi.json', '/api/batches', '/api/export', `/api/customers/${id}.json`, `/api/customers/${id}?`, `/api/customers?${'a=1&'.repeat(500)}`,
    ]);
    req.path = q === undefined || to.includes('?') ? to : `${to}?${q}`;
    return `path := ${shown(req.path, 100)}`;
  },
};

export const JSON_MUTATIONS: readonly Mutation[] = [
  dropMember, duplicateMember, renameMember, addMember, wrongType, edgeValue, versionValue, unicodeValue,
  deepNesting, huge, syntax, rawBytes, bom, transcode, contentType, apiPath,
];
