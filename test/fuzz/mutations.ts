// The fuzzer's mutations: each changes one request (its bytes, its markup,
// its headers, its target or its credentials) and says what it did, in words
// a failure shows. A mutation never raises what the request's credentials
// may achieve (FuzzRequest.role); one that forges credentials lowers it to none.
// `shape` marks the mutations of document shape (nesting depth, attributes
// per element, text length) whose limits another branch adds (issue 17, item 8).
import { WSSE } from '../helpers/auth.js';
import { NS } from '../../src/xml/namespaces.js';
import { lowerRole, tokenGone, type FuzzRequest } from './fuzz-request.js';
import type { Random } from './random.js';
import { JSON_MUTATIONS } from './json-mutations.js';
import { leaves, spans, splice, utf8, type Span } from './xml-spans.js';

/** What mutations may use across a run: nonces already sent (for replays), the token issuer (for forgeries). */
export interface RunState {
  readonly nonces: string[];
  readonly jwt: { readonly issuer: string; readonly audience: string } | undefined;
}

export interface Mutation {
  readonly name: string;
  readonly weight: number;
  readonly shape?: boolean;
  applies(req: FuzzRequest): boolean;
  /** Changes `req`; returns what it did. */
  apply(req: FuzzRequest, rng: Random, run: RunState): string;
}

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';

const text = (req: FuzzRequest): string => (req.body ?? Buffer.alloc(0)).toString('latin1');
const setText = (req: FuzzRequest, s: string): void => { req.body = Buffer.from(s, 'latin1'); };
const hasBody = (req: FuzzRequest): boolean => req.body !== undefined && req.body.length > 0;
const isSoap = (req: FuzzRequest): boolean => req.channel === 'soap11' || req.channel === 'soap12';
/** The REST-like channels, /xml and /api: methods, paths and queries of their own. */
const isHttp = (req: FuzzRequest): boolean => req.channel === 'xml' || req.channel === 'json';
/** A body of markup: the mutations of this file that read XML (json-mutations.ts has /api's). */
const xmlBody = (req: FuzzRequest): boolean => req.channel !== 'json' && hasBody(req);
/** At least two start tags (a cheap look: spans() is for the mutation that is picked). */
const hasElements = (req: FuzzRequest): boolean => xmlBody(req) && /<[A-Za-z_][^<]*<[A-Za-z_]/.test(text(req));
const shown = (s: string, max = 60): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…(${s.length})` : s);

function headerName(req: FuzzRequest, name: string): string | undefined {
  return Object.keys(req.headers).find((h) => h.toLowerCase() === name);
}
function setHeader(req: FuzzRequest, name: string, value: string | undefined): void {
  const existing = headerName(req, name);
  if (existing !== undefined) delete req.headers[existing];
  if (value !== undefined) req.headers[name] = value;
}
function getHeader(req: FuzzRequest, name: string): string | undefined {
  const existing = headerName(req, name);
  return existing === undefined ? undefined : req.headers[existing];
}

/** A random position inside a text node (any position when there is none). */
function textPosition(s: string, rng: Random): number {
  const ls = leaves(s);
  if (ls.length === 0) return rng.below(s.length + 1);
  const l = rng.pick(ls);
  return rng.between(l.openEnd, l.closeStart);
}

function spanOf(s: string, rng: Random, filter: (sp: Span) => boolean = () => true): Span | undefined {
  const found = spans(s).filter(filter);
  return found.length === 0 ? undefined : rng.pick(found);
}

/** A header value of latin1 bytes HTTP allows (no controls but tab). */
function headerBytes(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = rng.chance(0.7) ? rng.between(0x21, 0x7e) : rng.between(0xa0, 0xff);
    s += String.fromCharCode(c);
  }
  return s;
}

// ---------------------------------------------------------------- bytes

const byteFlip: Mutation = {
  name: 'byte-flip',
  weight: 8,
  applies: hasBody,
  apply(req, rng) {
    const body = Buffer.from(req.body as Buffer);
    const n = rng.between(1, 4);
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = rng.below(body.length);
      body[p] = (body[p] as number) ^ (1 << rng.below(8));
      at.push(p);
    }
    req.body = body;
    return `flipped a bit of byte(s) ${at.join(',')}`;
  },
};

const byteSet: Mutation = {
  name: 'byte-set',
  weight: 4,
  applies: hasBody,
  apply(req, rng) {
    const body = Buffer.from(req.body as Buffer);
    const p = rng.below(body.length);
    const v = rng.below(256);
    body[p] = v;
    req.body = body;
    return `byte ${p} := 0x${v.toString(16)}`;
  },
};

const truncate: Mutation = {
  name: 'truncate',
  weight: 5,
  applies: hasBody,
  apply(req, rng) {
    const body = req.body as Buffer;
    const keep = rng.chance(0.2) ? rng.below(40) : rng.below(body.length);
    req.body = body.subarray(0, keep);
    return `cut to ${keep} of ${body.length} bytes`;
  },
};

const duplicateBytes: Mutation = {
  name: 'duplicate-bytes',
  weight: 2,
  applies: hasBody,
  apply(req, rng) {
    const body = req.body as Buffer;
    const a = rng.below(body.length);
    const b = Math.min(body.length, a + rng.between(1, 200));
    const at = rng.below(body.length + 1);
    req.body = Buffer.concat([body.subarray(0, at), body.subarray(a, b), body.subarray(at)]);
    return `copied bytes ${a}..${b} to ${at}`;
  },
};

const CONTROL_REFS = ['&#0;', '&#1;', '&#x1F;', '&#x7F;', '&#xFFFE;', '&#xFFFF;', '&#xD800;', '&#xDFFF;', '&#x110000;', '&#99999999999;', '&#;', '&#x;', '&#-1;', '&#x0000000041;'];

const controlCharacter: Mutation = {
  name: 'control-character',
  weight: 5,
  applies: xmlBody,
  apply(req, rng) {
    const s = text(req);
    const at = textPosition(s, rng);
    const raw = rng.chance(0.5);
    const insert = raw ? String.fromCharCode(rng.pick([0, 1, 2, 7, 8, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f])) : rng.pick(CONTROL_REFS);
    setText(req, splice(s, at, at, insert));
    return `inserted ${raw ? `raw 0x${insert.charCodeAt(0).toString(16)}` : insert} at ${at}`;
  },
};

const BAD_UTF8: readonly number[][] = [[0xff], [0xfe], [0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xef, 0xbf, 0xbe]];

const invalidUtf8: Mutation = {
  name: 'invalid-utf8',
  weight: 5,
  applies: hasBody,
  apply(req, rng) {
    const s = text(req);
    const at = rng.chance(0.7) ? textPosition(s, rng) : rng.below(s.length + 1);
    const bytes = rng.pick(BAD_UTF8);
    setText(req, splice(s, at, at, String.fromCharCode(...bytes)));
    return `inserted bytes ${bytes.map((b) => b.toString(16)).join(' ')} at ${at}`;
  },
};

const bom: Mutation = {
  name: 'bom',
  weight: 3,
  applies: xmlBody,
  apply(req, rng) {
    const s = text(req);
    const kind = rng.pick(['utf8', 'utf8-twice', 'utf16le', 'utf16be', 'utf32le', 'after-decl', 'mid-text'] as const);
    switch (kind) {
      case 'utf8': setText(req, `\xef\xbb\xbf${s}`); break;
      case 'utf8-twice': setText(req, `\xef\xbb\xbf\xef\xbb\xbf${s}`); break;
      case 'utf16le': setText(req, `\xff\xfe${s}`); break;
      case 'utf16be': setText(req, `\xfe\xff${s}`); break;
      case 'utf32le': setText(req, `\xff\xfe\x00\x00${s}`); break;
      case 'after-decl': { const e = s.indexOf('?>'); setText(req, e === -1 ? `\xef\xbb\xbf${s}` : splice(s, e + 2, e + 2, '\xef\xbb\xbf')); break; }
      case 'mid-text': { const at = textPosition(s, rng); setText(req, splice(s, at, at, '\xef\xbb\xbf')); break; }
    }
    return `BOM ${kind}`;
  },
};

const transcode: Mutation = {
  name: 'transcode',
  weight: 3,
  applies: xmlBody,
  apply(req, rng) {
    const source = (req.body as Buffer).toString('utf8');
    const kind = rng.pick(['utf16le+bom', 'utf16le', 'utf16be+bom', 'utf16le+decl', 'latin1', 'latin1+decl'] as const);
    const declared = (s: string, enc: string): string => (s.startsWith('<?xml') ? s.replace(/encoding="[^"]*"/, `encoding="${enc}"`) : `<?xml version="1.0" encoding="${enc}"?>${s}`);
    const swap = (b: Buffer): Buffer => { const c = Buffer.from(b); c.swap16(); return c; };
    switch (kind) {
      case 'utf16le+bom': req.body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, 'utf16le')]); break;
      case 'utf16le': req.body = Buffer.from(source, 'utf16le'); break;
      case 'utf16be+bom': req.body = Buffer.concat([Buffer.from([0xfe, 0xff]), swap(Buffer.from(source, 'utf16le'))]); break;
      case 'utf16le+decl': req.body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(declared(source, 'UTF-16'), 'utf16le')]); break;
      case 'latin1': req.body = Buffer.from(source, 'latin1'); break;
      case 'latin1+decl': req.body = Buffer.from(declared(source, 'ISO-8859-1'), 'latin1'); break;
    }
    return `re-encoded as ${kind}`;
  },
};

const declaration: Mutation = {
  name: 'xml-declaration',
  weight: 3,
  applies: xmlBody,
  apply(req, rng) {
    const s = text(req).replace(/^<\?xml[^>]*\?>/, '');
    const decl = rng.pick([
      '', '<?xml version="1.1" encoding="UTF-8"?>', '<?xml version="2.0"?>', '<?xml version="1.0" encoding="EBCDIC-US"?>',
      '<?xml version="1.0" encoding="x-bogus"?>', '<?xml version="1.0" encoding="UTF-32"?>', '<?xml version="1.0" encoding="US-ASCII"?>',
      '<?xml version="1.0" standalone="maybe"?>', ' <?xml version="1.0"?>', '<?xml encoding="UTF-8"?>', '<?XML version="1.0"?>',
      '<?xml version="1.0"?><?xml version="1.0"?>', '<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?><?xml version="1.0"?>',
    ]);
    setText(req, decl + s);
    return `declaration ${shown(decl)}`;
  },
};

// ---------------------------------------------------------------- markup

/** Each is the internal or external subset of a DOCTYPE and what references it; libxml2 must refuse (XXE, billion laughs) without reading or expanding. */
function doctypes(root: string): readonly { name: string; subset: string; ref: string }[] {
  const laughs = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
  return [
    { name: 'xxe-file', subset: `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, ref: '&xxe;' },
    { name: 'xxe-http', subset: `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>`, ref: '&xxe;' },
    { name: 'billion-laughs', subset: `<!DOCTYPE ${root} [${laughs}]>`, ref: '&lol9;' },
    { name: 'quadratic-blowup', subset: `<!DOCTYPE ${root} [<!ENTITY a "${'a'.repeat(50000)}">]>`, ref: '&a;'.repeat(2000) },
    { name: 'parameter-entity', subset: `<!DOCTYPE ${root} [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>`, ref: '' },
    { name: 'external-dtd', subset: `<!DOCTYPE ${root} SYSTEM "file:///etc/hostname">`, ref: '' },
    { name: 'internal-entity', subset: `<!DOCTYPE ${root} [<!ENTITY n "Entity Name">]>`, ref: '&n;' },
    { name: 'attlist-default', subset: `<!DOCTYPE ${root} [<!ATTLIST ${root} xmlns:x CDATA "urn:x">]>`, ref: '' },
    { name: 'lowercase-doctype', subset: `<!doctype ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, ref: '&xxe;' },
  ];
}

const doctype: Mutation = {
  name: 'doctype',
  weight: 4,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const root = spans(s).find((sp) => sp.depth === 0);
    if (root === undefined) return 'doctype: no root';
    const d = rng.pick(doctypes(root.name));
    let out = splice(s, root.start, root.start, d.subset);
    if (d.ref !== '') {
      const shift = d.subset.length;
      const l = leaves(s).filter((sp) => sp.start > root.start);
      const target = l.length === 0 ? undefined : rng.pick(l);
      if (target !== undefined) out = splice(out, target.openEnd + shift, target.closeStart + shift, d.ref);
    }
    // A UTF-16 message carries no "<!DOCTYPE" bytes: the parser's own check must catch it.
    const utf16 = rng.chance(0.25);
    if (utf16) req.body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(Buffer.from(out, 'latin1').toString('utf8').replace(/encoding="[^"]*"/, 'encoding="UTF-16"'), 'utf16le')]);
    else setText(req, out);
    return `DOCTYPE ${d.name}${utf16 ? ' (as UTF-16)' : ''}`;
  },
};

const entityReference: Mutation = {
  name: 'entity-reference',
  weight: 2,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const at = textPosition(s, rng);
    const ref = rng.pick(['&undefined;', '&amp', '&;', '&#x41', '&lt;&gt;&amp;&apos;&quot;', '&amp;amp;', '&AMP;', '&#65;&#x42;']);
    setText(req, splice(s, at, at, ref));
    return `inserted ${ref} at ${at}`;
  },
};

const insertMarkup: Mutation = {
  name: 'insert-markup',
  weight: 4,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const markup = rng.pick([
      '<!-- a comment -->', '<!-- -- -->', '<?pi data?>', '<?xml version="1.0"?>', '<![CDATA[<c:customer/>]]>', '<![CDATA[ text ]]>', '<![CDATA[ unterminated',
      '<unknown xmlns="urn:other">x</unknown>', '<x:y xmlns:x="urn:crm-bridge:customer:v1"/>', '</>', '<', '>', ']]>', '<a>', '</a>', '<?>',
      'loose text', '\t\r\n  ',
    ]);
    const where = rng.pick(['in', 'before', 'after', 'end'] as const);
    const at = where === 'in' ? sp.openEnd : where === 'before' ? sp.start : where === 'after' ? sp.end : s.length;
    setText(req, splice(s, at, at, markup));
    return `inserted ${shown(markup)} ${where} <${sp.name}>`;
  },
};

const duplicateElement: Mutation = {
  name: 'duplicate-element',
  weight: 6,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng, (x) => x.depth > 0) ?? spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const times = rng.chance(0.85) ? 1 : rng.pick([5, 60, 1200]);
    setText(req, splice(s, sp.end, sp.end, s.slice(sp.start, sp.end).repeat(times)));
    return `duplicated <${sp.name}> ${times} time(s)`;
  },
};

const deleteElement: Mutation = {
  name: 'delete-element',
  weight: 6,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const keepContent = rng.chance(0.3);
    setText(req, splice(s, sp.start, sp.end, keepContent ? s.slice(sp.openEnd, sp.closeStart) : ''));
    return `${keepContent ? 'unwrapped' : 'deleted'} <${sp.name}>`;
  },
};

const swapSiblings: Mutation = {
  name: 'swap-siblings',
  weight: 5,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const all = spans(s);
    const pairs: [Span, Span][] = [];
    for (const a of all) {
      const later = all.filter((b) => b.parent === a.parent && b.start >= a.end && b !== a);
      for (const b of later) pairs.push([a, b]);
    }
    if (pairs.length === 0) return 'swap: no siblings';
    const [a, b] = rng.pick(pairs);
    setText(req, s.slice(0, a.start) + s.slice(b.start, b.end) + s.slice(a.end, b.start) + s.slice(a.start, a.end) + s.slice(b.end));
    return `swapped <${a.name}> and <${b.name}>`;
  },
};

const moveElement: Mutation = {
  name: 'move-element',
  weight: 3,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const all = spans(s);
    if (all.length === 0) return 'no element left';
    const moved = rng.pick(all.filter((x) => x.depth > 0).concat(all.slice(0, 1)));
    const cut = splice(s, moved.start, moved.end, '');
    const targets = spans(cut);
    if (targets.length === 0) return `move: nothing left beside <${moved.name}>`;
    const into = rng.pick(targets);
    const at = rng.chance(0.5) ? into.openEnd : into.closeStart;
    setText(req, splice(cut, at, at, s.slice(moved.start, moved.end)));
    return `moved <${moved.name}> into <${into.name}>`;
  },
};

const CONTRACT_NAMES = ['customer', 'id', 'externalId', 'type', 'name', 'email', 'status', 'version', 'addresses', 'address', 'contacts', 'contact', 'Envelope', 'Body', 'Header', 'Fault', 'CreateCustomer', 'DeleteCustomer', 'UpsertCustomers', 'CustomerBatch', 'Customer', 'Security', 'UsernameToken'];

const renameElement: Mutation = {
  name: 'rename-element',
  weight: 4,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const prefix = sp.name.includes(':') ? sp.name.slice(0, sp.name.indexOf(':') + 1) : '';
    const to = rng.chance(0.7) ? prefix + rng.pick(CONTRACT_NAMES) : rng.pick([`${sp.name}x`, sp.name.toUpperCase(), `undeclared:${sp.local}`, `${prefix}${'n'.repeat(rng.pick([1, 300, 70000]))}`]);
    const open = s.slice(sp.start, sp.openEnd).replace(sp.name, to);
    const close = sp.closeStart === sp.openEnd ? '' : `</${to}>`;
    setText(req, s.slice(0, sp.start) + open + s.slice(sp.openEnd, sp.closeStart) + close + s.slice(sp.end));
    return `renamed <${sp.name}> to <${shown(to, 40)}>`;
  },
};

const replaceText: Mutation = {
  name: 'replace-text',
  weight: 6,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const ls = leaves(s);
    if (ls.length === 0) return 'replace-text: no text';
    const l = rng.pick(ls);
    const value = rng.pick([
      '', ' ', '\t\n', 'x', 'ZZ', 'de', 'ACTIVE', 'active', 'PERSON', 'ORGANIZATION ', '0', '-1', '1', '2147483647', '2147483648', '-2147483649',
      '99999999999999999999999999999999', '1e309', '1.0', '+1', ' 1 ', '0x10', 'NaN', 'INF', '-0', '\u0663', '00000000000000000000000000001',
      '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-25T24:00:00Z', '-2026-01-01T00:00:00Z', '99999-01-01T00:00:00Z',
      '2026-11-25T09:30:00.123456789012Z', '2026-11-25T09:30:00+14:00', '2026-11-25T09:30:00', '2026-11-25', 'now',
      'not-a-uuid', '3F2C9A7E-5B1D-4C8E-9F60-2A7B4D1E8C05', '../../etc/passwd', "' OR 1=1 --", '%', '_', '*', '\\', 'a@b', '@', 'x@y.z '.repeat(60),
      '\u202e\u0645\u0631\u062d\u0628\u0627', '\ud83d\ude00\ud83d\ude00', '\u00a0', '\ufeff', '\u2028', '<![CDATA[x]]>',
    ]);
    setText(req, splice(s, l.openEnd, l.closeStart, value.startsWith('<!') ? value : utf8(value)));
    return `<${l.name}> text := ${shown(value)}`;
  },
};

const hugeText: Mutation = {
  name: 'huge-text',
  weight: 2,
  shape: true,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const ls = leaves(s);
    if (ls.length === 0) return 'huge-text: no text';
    const l = rng.pick(ls);
    const n = rng.pick([201, 4096, 100_000, 2_000_000]);
    const unit = rng.pick(['A', 'é', '東', '&amp;', ' ']);
    setText(req, splice(s, l.openEnd, l.closeStart, utf8(unit.repeat(n))));
    return `<${l.name}> text := ${JSON.stringify(unit)} x ${n}`;
  },
};

const deepNesting: Mutation = {
  name: 'deep-nesting',
  weight: 2,
  shape: true,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    // libxml2 refuses depth beyond 256 without XML_PARSE_HUGE; the sizes straddle that.
    const depth = rng.pick([10, 100, 250, 260, 1000, 20_000]);
    const prefix = sp.name.includes(':') ? sp.name.slice(0, sp.name.indexOf(':') + 1) : '';
    const tag = rng.chance(0.5) ? `${prefix}${sp.local}` : `${prefix}n`;
    const wrapped = `<${tag}>`.repeat(depth) + s.slice(sp.openEnd, sp.closeStart) + `</${tag}>`.repeat(depth);
    setText(req, splice(s, sp.openEnd, sp.closeStart, wrapped));
    return `nested <${tag}> ${depth} deep inside <${sp.name}>`;
  },
};

const manyAttributes: Mutation = {
  name: 'many-attributes',
  weight: 2,
  shape: true,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const n = rng.pick([3, 40, 500, 5000, 50_000]);
    const kind = rng.pick(['plain', 'namespaced', 'xmlns', 'duplicate'] as const);
    const attrs = Array.from({ length: n }, (_, i) =>
      kind === 'plain' ? ` a${i}="v"` : kind === 'namespaced' ? ` xmlns:p${i}="urn:p${i}" p${i}:a="v"` : kind === 'xmlns' ? ` xmlns:p${i}="urn:crm-bridge:customer:v1"` : ' a="v"',
    ).join('');
    const insertAt = sp.openEnd - (s[sp.openEnd - 2] === '/' ? 2 : 1);
    setText(req, splice(s, insertAt, insertAt, attrs));
    return `${n} ${kind} attributes on <${sp.name}>`;
  },
};

const attribute: Mutation = {
  name: 'attribute',
  weight: 4,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const sp = spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const attr = rng.pick([
      ' xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      ' xsi:type="xs:string" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"',
      ' xsi:schemaLocation="urn:crm-bridge:customer:v1 http://127.0.0.1:9/evil.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      ' xsi:noNamespaceSchemaLocation="file:///etc/passwd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      ' xml:lang="de"', ' xml:space="preserve"', ' xml:base="http://127.0.0.1:9/"', ' xmlns:xml="urn:not-xml"', ' xmlns=""',
      ' type="BILLING"', ' type="billing"', ' type=""', ' batchId=""', ` batchId="${'b'.repeat(5000)}"`, ' mode="ATOMIC"', ' mode="atomic"',
      ' a="1" a="2"', ' a=1', ' a="<"', ' a="&#0;"', ' a="\x01"',
    ]);
    const insertAt = sp.openEnd - (s[sp.openEnd - 2] === '/' ? 2 : 1);
    setText(req, splice(s, insertAt, insertAt, utf8(attr)));
    return `attribute ${shown(attr)} on <${sp.name}>`;
  },
};

const NAMESPACES = [NS.crm, NS.soap11, NS.soap12, WSSE, WSU, 'urn:crm-bridge:customer:v2', 'URN:CRM-BRIDGE:CUSTOMER:V1', 'urn:crm-bridge:customer:v1 ', 'http://www.w3.org/2001/XMLSchema', ''];

const namespaceSwap: Mutation = {
  name: 'namespace-swap',
  weight: 5,
  applies: hasElements,
  apply(req, rng) {
    const s = text(req);
    const kind = rng.pick(['uri', 'uri', 'drop-declaration', 'undeclared-prefix', 'redeclare-default'] as const);
    if (kind === 'uri') {
      const present = NAMESPACES.filter((ns) => ns !== '' && s.includes(`"${ns}"`));
      if (present.length === 0) return 'namespace-swap: none present';
      const from = rng.pick(present);
      const to = rng.pick(NAMESPACES.filter((ns) => ns !== from));
      const all = rng.chance(0.5);
      setText(req, all ? s.split(`"${from}"`).join(`"${to}"`) : s.replace(`"${from}"`, `"${to}"`));
      return `namespace ${from} -> ${shown(to)}${all ? ' everywhere' : ' (first)'}`;
    }
    if (kind === 'drop-declaration') {
      const decls = [...s.matchAll(/\sxmlns(?::[\w.-]+)?="[^"]*"/g)];
      if (decls.length === 0) return 'namespace-swap: no declaration';
      const d = rng.pick(decls);
      setText(req, splice(s, d.index, d.index + d[0].length, ''));
      return `dropped ${shown(d[0].trim())}`;
    }
    if (kind === 'undeclared-prefix') {
      const sp = spanOf(s, rng, (x) => x.name.includes(':'));
      if (sp === undefined) return 'namespace-swap: no prefix';
      const prefix = sp.name.slice(0, sp.name.indexOf(':'));
      setText(req, s.split(`<${prefix}:`).join('<zz:').split(`</${prefix}:`).join('</zz:'));
      return `prefix ${prefix}: -> undeclared zz:`;
    }
    const sp = spanOf(s, rng, (x) => x.depth > 0) ?? spanOf(s, rng);
    if (sp === undefined) return 'no element left';
    const ns = rng.pick(NAMESPACES);
    const insertAt = sp.openEnd - (s[sp.openEnd - 2] === '/' ? 2 : 1);
    setText(req, splice(s, insertAt, insertAt, ` xmlns="${ns}"`));
    return `default namespace ${shown(ns)} on <${sp.name}>`;
  },
};

const replaceBody: Mutation = {
  name: 'replace-body',
  weight: 2,
  applies: () => true,
  apply(req, rng) {
    const choice = rng.pick(['empty', 'space', 'random', 'json', 'lt', 'text', 'two-roots', 'trailing', 'nul', 'html'] as const);
    const s = text(req);
    const bodies: Record<typeof choice, () => Buffer> = {
      empty: () => Buffer.alloc(0),
      space: () => Buffer.from('  \r\n\t '),
      random: () => rng.bytes(rng.between(1, 2000)),
      json: () => Buffer.from('{"customer":{"name":"x"}}'),
      lt: () => Buffer.from('<'),
      text: () => Buffer.from('hello'),
      'two-roots': () => Buffer.from(s + s.replace(/^<\?xml[^>]*\?>/, '')),
      trailing: () => Buffer.from(`${s}garbage<x/>`, 'latin1'),
      nul: () => Buffer.alloc(64),
      html: () => Buffer.from('<html><body><p>hi</body></html>'),
    };
    req.body = bodies[choice]();
    return `body := ${choice}`;
  },
};

// ---------------------------------------------------------------- HTTP
// Header values stay small enough that all of a request's headers fit in
// node:http's 16 KiB: beyond it node answers 431 itself, before the service.

const SOAP_CONTENT_TYPES = [
  'text/xml; charset=utf-8', 'application/soap+xml; charset=utf-8', 'application/xml', 'application/json', 'text/plain', '', 'text/xml; charset=utf-16',
  'text/xml; charset=bogus', 'TEXT/XML', 'Text/Xml; Charset=UTF-8', 'text/xml;;;', 'text/xml; charset', 'application/soap+xml; action=',
  'application/soap+xml; action="urn:crm-bridge:customer:v1/DeleteCustomer"', 'application/soap+xml; action="\\"', 'multipart/related; type="application/xop+xml"',
  'text/xml; charset="utf-8"; charset=latin1', `text/xml; x=${'y'.repeat(4000)}`, 'application/soap+xml; charset=iso-8859-1', '*/*', 'text/', '/', ';',
];

const contentType: Mutation = {
  name: 'content-type',
  weight: 5,
  applies: (req) => req.channel !== 'json' && req.body !== undefined,
  apply(req, rng) {
    const current = getHeader(req, 'content-type');
    let value: string | undefined;
    if (isSoap(req) && rng.chance(0.4)) {
      // The other SOAP version's media type: the envelope no longer matches it.
      value = current?.startsWith('text/xml') ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
    } else {
      value = rng.chance(0.1) ? undefined : rng.pick(SOAP_CONTENT_TYPES);
    }
    setHeader(req, 'content-type', value);
    return `Content-Type := ${value === undefined ? '(none)' : shown(value)}`;
  },
};

const OPERATIONS = ['CreateCustomer', 'GetCustomer', 'UpdateCustomer', 'DeleteCustomer', 'SearchCustomers', 'UpsertCustomers', 'GetChanges', 'Nothing'];

const soapAction: Mutation = {
  name: 'soap-action',
  weight: 3,
  applies: isSoap,
  apply(req, rng) {
    const op = rng.pick(OPERATIONS);
    const value = rng.pick([undefined, '', '""', `"${NS.crm}/${op}"`, `${NS.crm}/${op}`, `"${NS.crm}/${op}`, '"urn:other/GetCustomer"', headerBytes(rng, rng.between(1, 300))]);
    if (req.channel === 'soap11' || rng.chance(0.3)) {
      setHeader(req, 'soapaction', value);
    } else {
      const ct = (getHeader(req, 'content-type') ?? 'application/soap+xml').replace(/;\s*action=("[^"]*"|[^;]*)/, '');
      setHeader(req, 'content-type', value === undefined ? ct : `${ct}; action=${value.startsWith('"') ? value : `"${value}"`}`);
    }
    return `action := ${value === undefined ? '(none)' : shown(value)}`;
  },
};

const otherHeader: Mutation = {
  name: 'other-header',
  weight: 2,
  applies: () => true,
  apply(req, rng) {
    const [name, value] = rng.pick([
      ['content-encoding', 'gzip'], ['content-encoding', 'deflate'], ['content-encoding', 'x-bogus'], ['x-request-id', headerBytes(rng, 200)],
      ['x-request-id', 'a'.repeat(2000)], ['x-request-id', ''], ['accept', 'application/json'], ['accept-charset', 'utf-16'], ['expect', '100-continue'],
      ['x-forwarded-host', 'evil.example'], ['if-none-match', '*'], ['if-match', '"1"'], ['if-match', 'W/"1"'], ['if-match', '"99999999999999999999"'],
      ['if-match', '"abc", "1"'], ['if-none-match', headerBytes(rng, 50)], ['range', 'bytes=0-10'],
    ] as const);
    setHeader(req, name, value);
    return `${name}: ${shown(value)}`;
  },
};

const method: Mutation = {
  name: 'method',
  weight: 2,
  applies: isHttp,
  apply(req, rng) {
    const m = rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'get']);
    req.method = m;
    // A GET of the fetch API carries no body; node:http does send it, which is allowed and meaningless (RFC 9110 9.3.1).
    return `method := ${m}`;
  },
};

const query: Mutation = {
  name: 'query',
  weight: 4,
  applies: (req) => isHttp(req) && req.method === 'GET' && !/\/customers\/[^/?]/.test(req.path),
  apply(req, rng) {
    const [base = '', q = ''] = req.path.split('?');
    const params = q === '' ? [] : q.split('&');
    const param = rng.pick([
      'limit=0', 'limit=-1', 'limit=501', 'limit=2147483648', 'limit=99999999999999999999999', 'limit=1e3', 'limit=', 'limit=%20', 'limit=0x10', 'limit=1&limit=2',
      'offset=-1', 'offset=9999999999999999', 'offset=NaN', 'name=%00', 'name=%ZZ', 'name=%C3', 'name=%FF%FE', `name=${'%C3%A9'.repeat(1000)}`, 'name=%25',
      'name=a%26b', 'name=+', 'email=%0A', 'status=active', 'status=', 'country=d', 'country=%E6%9D%B1%E4%BA%AC', 'updatedSince=yesterday',
      'updatedSince=2026-13-01T00:00:00Z', 'updatedSince=9999-12-31T23:59:59Z', 'unknown=1', '=x', '&&', 'a', '%3D=%3D', `externalId=${'x'.repeat(65)}`,
      'externalId=%E2%80%AE', 'name[]=x', 'name=x&name=y',
    ]);
    const kept = rng.chance(0.5) ? params : [];
    req.path = `${base}?${[...kept, param].join('&')}`;
    return `query := ?${shown([...kept, param].join('&'), 100)}`;
  },
};

const pathId: Mutation = {
  name: 'path-id',
  weight: 3,
  applies: (req) => isHttp(req) && /\/customers\/[^/?]+/.test(req.path),
  apply(req, rng) {
    const id = rng.pick([
      '', '%2F', '..', '%2E%2E', 'x'.repeat(37), 'x'.repeat(5000), '%00', '%ZZ', '%C3', '%E6%9D%B1', 'a%20b', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '00000000-0000-0000-0000-000000000000', 'extra/segment', 'x?y=1', 'x%3Fy', '%FF', '*', '%252F', ';', 'id;jsessionid=1',
    ]);
    req.path = req.path.replace(/\/customers\/[^/?]+/, `/customers/${id}`);
    return `path id := ${shown(id)}`;
  },
};

// ---------------------------------------------------------------- credentials

const hasSecurity = (req: FuzzRequest): boolean => isSoap(req) && hasBody(req) && text(req).includes(':Security');

/** Replaces the first child `local` of the Security header with `value` (undefined: remove; no child: add one). */
function tokenChild(req: FuzzRequest, local: string, value: string | undefined, ns = 'wsse'): string {
  const s = text(req);
  const sp = spans(s).find((x) => x.local === local && x.name.includes(':'));
  if (sp !== undefined) {
    setText(req, splice(s, sp.start, sp.end, value ?? ''));
    return value === undefined ? `removed ${local}` : `${local} := ${shown(value)}`;
  }
  const token = spans(s).find((x) => x.local === 'UsernameToken');
  if (token === undefined || value === undefined) return `${local}: no token`;
  setText(req, splice(s, token.closeStart, token.closeStart, value));
  return `added ${ns}:${local} ${shown(value)}`;
}

const wsseNonce: Mutation = {
  name: 'wsse-nonce',
  weight: 4,
  applies: hasSecurity,
  apply(req, rng, run) {
    const replay = run.nonces.length > 0 && rng.chance(0.3);
    const nonce = replay ? rng.pick(run.nonces) : rng.pick(['', '!!!!', 'AAAA', 'AA==', '=', rng.bytes(rng.pick([1, 16, 64, 3000])).toString('base64'), 'not base64 at all', `${'QUFB'.repeat(20000)}`]);
    const encoding = rng.chance(0.2) ? ` EncodingType="${rng.pick(['', 'urn:hex', `${PROFILE}#Base64Binary`])}"` : '';
    return `${replay ? 'replayed ' : ''}${tokenChild(req, 'Nonce', `<wsse:Nonce${encoding}>${nonce}</wsse:Nonce>`)}`;
  },
};

const wsseCreated: Mutation = {
  name: 'wsse-created',
  weight: 4,
  applies: hasSecurity,
  apply(req, rng) {
    const now = Date.now();
    const value = rng.pick([
      new Date(now - 6 * 60_000).toISOString(), new Date(now + 2 * 60_000).toISOString(), new Date(now - 290_000).toISOString(), '', 'yesterday',
      '2026-02-30T00:00:00Z', '99999-01-01T00:00:00Z', '0000-00-00T00:00:00Z', new Date(now).toISOString().replace('Z', '+00:00'), new Date(now).toISOString().slice(0, 19),
      '1970-01-01T00:00:00Z', `${new Date(now).toISOString()}${' '.repeat(3)}`, '23:59:60',
    ]);
    if (rng.chance(0.15)) return tokenChild(req, 'Created', undefined);
    return tokenChild(req, 'Created', `<wsu:Created xmlns:wsu="${WSU}">${value}</wsu:Created>`);
  },
};

const wssePassword: Mutation = {
  name: 'wsse-password',
  weight: 4,
  applies: hasSecurity,
  apply(req, rng) {
    const s = text(req);
    const sp = spans(s).find((x) => x.local === 'Password');
    if (sp === undefined) return 'no Password';
    const type = rng.pick([undefined, '', `${PROFILE}#PasswordText`, `${PROFILE}#PasswordDigest`, `${PROFILE}#Other`, 'PasswordText', `${PROFILE.toUpperCase()}#PasswordText`]);
    const value = rng.chance(0.5) ? s.slice(sp.openEnd, sp.closeStart) : rng.pick(['', 'wrong', ' ', 'x'.repeat(100_000), 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', '\xc3\xa9']);
    setText(req, splice(s, sp.start, sp.end, `<wsse:Password${type === undefined ? '' : ` Type="${type}"`}>${value}</wsse:Password>`));
    return `Password Type ${shown(type ?? '(none)')} value ${shown(value, 30)}`;
  },
};

const wsseUsername: Mutation = {
  name: 'wsse-username',
  weight: 2,
  applies: hasSecurity,
  apply(req, rng) {
    const value = rng.pick(['', ' ', 'nobody', 'ERP', 'erp ', 'erp\x00', '&#0;', 'x'.repeat(70_000), '\xc3\xa9rp', '<![CDATA[erp]]>']);
    return tokenChild(req, 'Username', rng.chance(0.1) ? undefined : `<wsse:Username>${value}</wsse:Username>`);
  },
};

const wsseMustUnderstand: Mutation = {
  name: 'wsse-must-understand',
  weight: 3,
  applies: hasSecurity,
  apply(req, rng) {
    const s = text(req);
    const value = rng.pick(['0', '1', 'true', 'false', 'yes', '', ' 1', 'TRUE']);
    const env = req.channel === 'soap11' ? NS.soap11 : NS.soap12;
    const stripped = s.replace(/\s[\w]+:mustUnderstand="[^"]*"/, '');
    const kind = rng.pick(['security', 'wrong-namespace', 'other-block', 'actor'] as const);
    if (kind === 'security') setText(req, stripped.replace(/(<[\w]+:Security)\b/, `$1 xmlns:mu="${env}" mu:mustUnderstand="${value}"`));
    else if (kind === 'wrong-namespace') setText(req, stripped.replace(/(<[\w]+:Security)\b/, '$1 xmlns:mu="urn:other" mu:mustUnderstand="1"'));
    else if (kind === 'actor') {
      const attr = req.channel === 'soap11' ? 'actor' : 'role';
      const role = rng.pick(['http://example.com/other', '', `${env === NS.soap11 ? 'http://schemas.xmlsoap.org/soap/actor/next' : 'http://www.w3.org/2003/05/soap-envelope/role/none'}`]);
      setText(req, s.replace(/(<[\w]+:Security)\b/, `$1 xmlns:ac="${env}" ac:${attr}="${role}"`));
      // Addressed to another node, the token is not ours to read: the request is anonymous now.
      if (role === 'http://example.com/other' || role.endsWith('/role/none')) tokenGone(req);
      return `Security ${attr}=${shown(role)}`;
    } else {
      setText(req, s.replace(/(<[\w]+:Security)\b/, `<x:Other xmlns:x="urn:other" xmlns:mu="${env}" mu:mustUnderstand="${value}"/>$1`));
    }
    return `mustUnderstand ${kind} ${shown(value)}`;
  },
};

const wsseStructure: Mutation = {
  name: 'wsse-structure',
  weight: 3,
  applies: hasSecurity,
  apply(req, rng) {
    const s = text(req);
    const all = spans(s);
    const security = all.find((x) => x.local === 'Security');
    const token = all.find((x) => x.local === 'UsernameToken');
    if (security === undefined || token === undefined) return 'no Security';
    const kind = rng.pick(['two-securities', 'two-tokens', 'empty-security', 'token-outside', 'security-in-body', 'header-twice', 'security-ns'] as const);
    const sec = s.slice(security.start, security.end);
    switch (kind) {
      case 'two-securities': setText(req, splice(s, security.end, security.end, sec)); break;
      case 'two-tokens': setText(req, splice(s, token.end, token.end, s.slice(token.start, token.end))); break;
      case 'empty-security': setText(req, splice(s, security.openEnd, security.closeStart, '')); tokenGone(req); break;
      case 'token-outside': setText(req, splice(splice(s, security.end, security.end, s.slice(token.start, token.end)), token.start, token.end, '')); tokenGone(req); break;
      case 'security-in-body': {
        const body = all.find((x) => x.local === 'Body');
        if (body === undefined) return 'no Body';
        setText(req, splice(splice(s, body.openEnd, body.openEnd, sec), security.start, security.end, ''));
        tokenGone(req);
        break;
      }
      case 'header-twice': {
        const header = all.find((x) => x.local === 'Header');
        if (header === undefined) return 'no Header';
        setText(req, splice(s, header.end, header.end, s.slice(header.start, header.end)));
        break;
      }
      case 'security-ns':
        setText(req, s.split(WSSE).join('http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.1.xsd'));
        tokenGone(req);
        break;
    }
    return `Security ${kind}`;
  },
};

const basicHeader: Mutation = {
  name: 'basic-header',
  weight: 4,
  applies: (req) => getHeader(req, 'authorization')?.startsWith('Basic ') === true,
  apply(req, rng) {
    const current = getHeader(req, 'authorization') as string;
    const credentials = current.slice(6);
    const decoded = Buffer.from(credentials, 'base64').toString('latin1');
    const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');
    const value = rng.pick([
      `basic ${credentials}`, `BASIC ${credentials}`, `Basic  ${credentials}`, `Basic${credentials}`, 'Basic', 'Basic ', `Basic ${credentials.slice(0, -2)}`,
      `Basic ${credentials}=`, `Basic ${credentials}===`, `Basic ${b64(decoded.replace(':', ''))}`, `Basic ${b64(':')}`, `Basic ${b64(`${decoded}\x00`)}`,
      `Basic ${b64(decoded.replace(':', '::'))}`, `Basic ${b64(`${decoded}\xe9`)}`, `Basic ${b64('x'.repeat(3000))}`, `Basic ${headerBytes(rng, 40)}`,
      `Basic ${credentials}, Basic ${credentials}`, `Basic ${credentials} extra`, `Basic ${b64(decoded.toUpperCase())}`, `Basic !!!!`, `Basic ${'A'.repeat(5000)}`,
    ]);
    setHeader(req, 'authorization', value);
    return `Authorization := ${shown(value)}`;
  },
};

function base64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

const bearerHeader: Mutation = {
  name: 'bearer-header',
  weight: 4,
  applies: (req) => getHeader(req, 'authorization')?.startsWith('Bearer ') === true,
  apply(req, rng, run) {
    const token = (getHeader(req, 'authorization') as string).slice(7);
    const [h = '', p = '', sig = ''] = token.split('.');
    const claims = { iss: run.jwt?.issuer, aud: run.jwt?.audience, sub: 'forger', scope: 'crm.read crm.write', exp: Math.floor(Date.now() / 1000) + 600 };
    const forged = rng.pick([
      `${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}.`,
      `${base64url('{"alg":"HS256","typ":"JWT","kid":"k1"}')}.${base64url(JSON.stringify(claims))}.${base64url(rng.bytes(32))}`,
      `${h}.${base64url(JSON.stringify(claims))}.${sig}`,
      `${base64url('{"alg":"ES256","kid":"unknown"}')}.${p}.${sig}`,
    ]);
    const mutated = rng.pick([
      forged, `${token.slice(0, -3)}AAA`, token.slice(0, rng.below(token.length)), `${token}.`, `${h}.${p}`, token.split('').reverse().join(''),
      '', 'x', headerBytes(rng, 100), `${token} ${token}`, 'a.b.c', '..', `${'A'.repeat(5000)}.${p}.${sig}`,
      `${base64url('{"alg":"ES256","kid":"k1","crit":["x"]}')}.${p}.${sig}`, `${base64url('{')}.${p}.${sig}`,
    ]);
    const scheme = rng.pick(['Bearer', 'Bearer', 'bearer', 'BEARER', 'Bearer ']);
    setHeader(req, 'authorization', `${scheme} ${mutated}`);
    if (mutated === forged) {
      lowerRole(req, 'none');
      req.authorizationRole = 'none';
    }
    return `Authorization := ${shown(`${scheme} ${mutated}`, 80)}`;
  },
};

const authorizationScheme: Mutation = {
  name: 'authorization-scheme',
  weight: 2,
  applies: () => true,
  apply(req, rng) {
    const value = rng.pick([
      'Digest username="erp", realm="crm-bridge"', 'Negotiate YII=', 'Bearer', 'Basic', '', ' ', 'Token abc', `Bearer ${'x'.repeat(4000)}`,
      'Basic ZXJwOmVycCBzZWNyZXQ=', headerBytes(rng, 64), 'Basic ZXJw', 'Bearer a.b.c', 'AWS4-HMAC-SHA256 Credential=x',
    ]);
    // Whatever was sent before is replaced by a header no user's password is in: only a Security header left in the body may still authenticate.
    setHeader(req, 'authorization', value);
    req.authorizationRole = 'none';
    if (!hasSecurity(req)) lowerRole(req, 'none');
    return `Authorization := ${shown(value)}`;
  },
};

export const MUTATIONS: readonly Mutation[] = [
  byteFlip, byteSet, truncate, duplicateBytes, controlCharacter, invalidUtf8, bom, transcode, declaration,
  doctype, entityReference, insertMarkup, duplicateElement, deleteElement, swapSiblings, moveElement, renameElement, replaceText,
  hugeText, deepNesting, manyAttributes, attribute, namespaceSwap, replaceBody,
  contentType, soapAction, otherHeader, method, query, pathId,
  wsseNonce, wsseCreated, wssePassword, wsseUsername, wsseMustUnderstand, wsseStructure, basicHeader, bearerHeader, authorizationScheme,
  ...JSON_MUTATIONS,
];

/** Applies 1..3 mutations that apply to `req` (stacked: a later one sees an earlier one's damage). */
export function mutate(req: FuzzRequest, rng: Random, run: RunState): void {
  const count = rng.weighted([[1, 6], [2, 3], [3, 1]] as const);
  for (let i = 0; i < count; i++) {
    const candidates = MUTATIONS.filter((m) => m.applies(req));
    if (candidates.length === 0) return;
    const m = rng.weighted(candidates.map((c) => [c, c.weight] as const));
    const what = m.apply(req, rng, run);
    req.mutations.push(`${m.name}: ${what}`);
    if (m.shape === true) req.shape = true;
  }
}
