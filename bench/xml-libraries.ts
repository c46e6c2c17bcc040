// node dist/bench/xml-libraries.js [--rounds N] [--writes N] [--reads N]:
// the two libraries the project started with and dropped (commits 251d5e3 and
// 7928c3b), measured against what replaced them, so the decision rests on a
// figure anyone can reproduce (docs/performance.md, "Libraries replaced").
//
// Writing: a GetCustomerResponse (SOAP 1.1) of one of the bench's customers
// (two addresses, a contact) by the service's writer (src/mapping/ over
// src/xml/build.ts, serialised to bytes) against the same document built and
// serialised by xmlbuilder2 (namespace-aware, escaping); both outputs are
// parsed by libxml2 and compared node by node before anything is timed.
//
// Reading: a CreateCustomer SOAP 1.1 request (bench/soap-requests.ts, one
// line as a generated client sends it) (a) as the service reads it: libxml2
// parse, envelope, XSD validation, readCustomerRequest; (b) fast-xml-parser
// parse and a mapping from its object, plus the libxml2 parse and validation
// the XSD still needs (fast-xml-parser validates no schema); (c)
// fast-xml-parser's parse alone. (a) and (b) must give the same CustomerInput.
//
// Prints markdown: what each library makes of a few small inputs, then CPU µs
// per document (user + system of this process) and wall µs, ranges over
// rounds; each round runs every variant once, the order rotating round by round.
import { isDeepStrictEqual } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlDocument as LibraryDocument, XmlElement as LibraryElement, XmlText, XmlCData } from 'libxml2-wasm';
import { create } from 'xmlbuilder2';
import type { Address, Contact, Customer, CustomerInput } from '../src/domain/customer.js';
import { readEnvelope } from '../src/envelope/read-envelope.js';
import { SOAP11 } from '../src/envelope/soap-version.js';
import { writeEnvelope } from '../src/envelope/write-envelope.js';
import { MalformedXmlError } from '../src/errors.js';
import { readCustomerRequest, writeCustomerResponse } from '../src/mapping/operation-messages.js';
import { XsdValidator } from '../src/validation/xsd-validator.js';
import { childElements, type XmlElement } from '../src/xml/dom.js';
import { NS } from '../src/xml/namespaces.js';
import { parseXml } from '../src/xml/parse-xml.js';
import { syntheticCustomer } from './customers.js';
import { loadAverage, machine, revision } from './machine.js';
import { createCustomer } from './soap-requests.js';

// ---------------------------------------------------------------- writing

/** A stored customer as GetCustomer answers it: the bench's customer n with the server's fields. */
function storedCustomer(n: number): Customer {
  const s = syntheticCustomer(n, 7);
  return {
    id: '019ad3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
    externalId: s.externalId,
    type: s.type,
    name: s.name,
    email: s.email,
    phone: s.phone,
    status: 'ACTIVE',
    addresses: s.addresses.map((a) => ({ ...a })),
    contacts: s.contacts.map((k) => ({ ...k })),
    version: 3,
    createdAt: '2026-11-25T16:23:59.123Z',
    updatedAt: '2026-12-01T08:00:00.456Z',
  };
}

const writeGetCustomerResponse = writeCustomerResponse('GetCustomerResponse');

/** What the service sends: src/envelope + src/mapping over src/xml/build.ts, to bytes. */
function serviceWrite(c: Customer): Buffer {
  return writeEnvelope(SOAP11, (body) => writeGetCustomerResponse(body, c));
}

type Builder = ReturnType<typeof create>;

/** The same document with xmlbuilder2, in the contract's element order (writeCustomer's). */
function xmlbuilder2Write(c: Customer): Buffer {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const body = doc.ele(NS.soap11, 'soap:Envelope').ele(NS.soap11, 'soap:Body');
  const node = body.ele(NS.crm, 'GetCustomerResponse').ele(NS.crm, 'customer');
  const leaf = (parent: Builder, local: string, value: string | number | undefined): void => {
    if (value !== undefined) parent.ele(NS.crm, local).txt(String(value));
  };
  leaf(node, 'id', c.id);
  leaf(node, 'externalId', c.externalId);
  leaf(node, 'type', c.type);
  leaf(node, 'name', c.name);
  leaf(node, 'email', c.email);
  leaf(node, 'phone', c.phone);
  leaf(node, 'status', c.status);
  leaf(node, 'vatNumber', c.vatNumber);
  if (c.addresses !== undefined) {
    const list = node.ele(NS.crm, 'addresses');
    for (const a of c.addresses) {
      const an = list.ele(NS.crm, 'address').att('type', a.type);
      leaf(an, 'line1', a.line1);
      leaf(an, 'line2', a.line2);
      leaf(an, 'city', a.city);
      leaf(an, 'region', a.region);
      leaf(an, 'postalCode', a.postalCode);
      leaf(an, 'country', a.country);
    }
  }
  if (c.contacts !== undefined) {
    const list = node.ele(NS.crm, 'contacts');
    for (const k of c.contacts) {
      const kn = list.ele(NS.crm, 'contact');
      leaf(kn, 'firstName', k.firstName);
      leaf(kn, 'lastName', k.lastName);
      leaf(kn, 'email', k.email);
      leaf(kn, 'phone', k.phone);
      leaf(kn, 'role', k.role);
    }
  }
  leaf(node, 'version', c.version);
  leaf(node, 'createdAt', c.createdAt);
  leaf(node, 'updatedAt', c.updatedAt);
  return Buffer.from(doc.end({ prettyPrint: false }), 'utf8');
}

/** A document as libxml2 reads it, one line per node: {ns}local, sorted attributes, text. Prefixes and xmlns placement do not count. */
function canonical(xml: string): string {
  const doc = LibraryDocument.fromString(xml);
  try {
    const out: string[] = [];
    const walk = (el: LibraryElement, depth: number): void => {
      const attrs = el.attrs.map((a) => `{${a.namespaceUri}}${a.name}=${JSON.stringify(a.content)}`).sort();
      out.push(`${' '.repeat(depth)}{${el.namespaceUri}}${el.name}${attrs.length > 0 ? ` ${attrs.join(' ')}` : ''}`);
      for (let n = el.firstChild; n !== null; n = n.next) {
        if (n instanceof LibraryElement) walk(n, depth + 1);
        else if (n instanceof XmlText || n instanceof XmlCData) out.push(`${' '.repeat(depth + 1)}${JSON.stringify(n.content)}`);
      }
    };
    walk(doc.root, 0);
    return out.join('\n');
  } finally {
    doc.dispose();
  }
}

// ---------------------------------------------------------------- reading

const validator = new XsdValidator();

/** (a) What the service does with a SOAP 1.1 CreateCustomer: parse once, validate, read. */
function serviceRead(bytes: Buffer): CustomerInput {
  const doc = parseXml(bytes);
  try {
    const message = readEnvelope(doc, SOAP11);
    const errors = validator.validate(doc.root, bytes);
    if (errors.length > 0) throw new Error(`schema: ${errors[0]?.message ?? ''}`);
    return readCustomerRequest(message.payload);
  } finally {
    doc.dispose();
  }
}

/** libxml2's parse and the XSD validation alone: what (b) still needs for the schema. */
function libxml2Validate(bytes: Buffer): void {
  const doc = parseXml(bytes);
  try {
    const errors = validator.validate(doc.root, bytes);
    if (errors.length > 0) throw new Error(`schema: ${errors[0]?.message ?? ''}`);
  } finally {
    doc.dispose();
  }
}

// Options an integrator ends up with for this contract: attributes read,
// prefixes dropped (the sender picks them), no number conversion (postal
// codes and phone numbers are text), address and contact always lists.
const LIST_ELEMENTS = new Set(['address', 'contact']);
const FXP_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name: string) => LIST_ELEMENTS.has(name),
};
const fxp = new XMLParser(FXP_OPTIONS);

type Obj = Record<string, unknown>;

const text = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : String((v as Obj)['#text'] ?? ''));
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map((x) => (typeof x === 'object' && x !== null ? (x as Obj) : {})) : []);

/** readCustomer's mapping, from fast-xml-parser's object instead of libxml2's tree. */
function fxpCustomer(o: Obj): CustomerInput {
  const c: CustomerInput = { type: 'PERSON', name: '' };
  const set = <K extends keyof CustomerInput>(key: K, v: unknown): void => {
    const t = text(v);
    if (t !== undefined) c[key] = t as CustomerInput[K];
  };
  set('id', o['id']);
  set('externalId', o['externalId']);
  set('type', o['type']);
  set('name', o['name']);
  set('email', o['email']);
  set('phone', o['phone']);
  set('status', o['status']);
  set('vatNumber', o['vatNumber']);
  if (o['addresses'] !== undefined) {
    const list = typeof o['addresses'] === 'object' ? (o['addresses'] as Obj) : {};
    c.addresses = objects(list['address']).map((a) => {
      const address: Address = { type: text(a['@_type']) as Address['type'], line1: text(a['line1']) ?? '', city: text(a['city']) ?? '', country: text(a['country']) ?? '' };
      if (a['line2'] !== undefined) address.line2 = text(a['line2']);
      if (a['region'] !== undefined) address.region = text(a['region']);
      if (a['postalCode'] !== undefined) address.postalCode = text(a['postalCode']);
      // readCustomer's key order, so the two DTOs print alike
      return { type: address.type, line1: address.line1, ...(address.line2 !== undefined ? { line2: address.line2 } : {}), city: address.city, ...(address.region !== undefined ? { region: address.region } : {}), ...(address.postalCode !== undefined ? { postalCode: address.postalCode } : {}), country: address.country };
    });
  }
  if (o['contacts'] !== undefined) {
    const list = typeof o['contacts'] === 'object' ? (o['contacts'] as Obj) : {};
    c.contacts = objects(list['contact']).map((k) => {
      const contact: Contact = { lastName: text(k['lastName']) ?? '' };
      if (k['firstName'] !== undefined) contact.firstName = text(k['firstName']);
      if (k['email'] !== undefined) contact.email = text(k['email']);
      if (k['phone'] !== undefined) contact.phone = text(k['phone']);
      if (k['role'] !== undefined) contact.role = text(k['role']);
      return contact;
    });
  }
  if (o['version'] !== undefined) c.version = Number(text(o['version']));
  return c;
}

/** fast-xml-parser's object of a CreateCustomer envelope to the request's CustomerInput. */
function fxpMap(parsed: Obj): CustomerInput {
  const envelope = parsed['Envelope'] as Obj | undefined;
  const body = envelope?.['Body'] as Obj | undefined;
  const wrapper = body?.['CreateCustomer'] as Obj | undefined;
  const customer = wrapper?.['customer'];
  if (customer === undefined || typeof customer !== 'object' || customer === null) throw new TypeError('no CreateCustomer/customer');
  return fxpCustomer(customer as Obj);
}

/** (b) fast-xml-parser for the reading, libxml2 still for the schema. */
function fxpRead(bytes: Buffer): CustomerInput {
  libxml2Validate(bytes);
  return fxpMap(fxp.parse(bytes) as Obj);
}

/** (c) fast-xml-parser's parse alone (no schema, no mapping). */
function fxpParseOnly(bytes: Buffer): unknown {
  return fxp.parse(bytes);
}

// ---------------------------------------------------------------- correctness

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', '\\n');

/** What the service's parse makes of `xml`: the first element's text, or its error with line:column. */
function serviceSays(xml: string | Buffer, pick: string): string {
  try {
    const doc = parseXml(typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml);
    try {
      const found = findLibxml(doc.root, pick);
      return found === undefined ? `no <${pick}>` : found;
    } finally {
      doc.dispose();
    }
  } catch (err) {
    if (err instanceof MalformedXmlError) {
      const d = err.errors[0];
      return `MALFORMED_XML${d !== undefined ? ` at ${d.line}:${d.column}` : ''}: ${err.message.slice(0, 70)}`;
    }
    return `threw ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The first element named like `pick` ("local", or "{}local" to report its namespace), breadth first. */
function findLibxml(root: XmlElement, pick: string): string | undefined {
  const want = pick.startsWith('{') ? pick.slice(pick.indexOf('}') + 1) : pick;
  const queue = [root];
  for (let el = queue.shift(); el !== undefined; el = queue.shift()) {
    if (el.name === want) return pick.startsWith('{') ? `{${el.namespaceUri}}${el.name}` : JSON.stringify(el.content);
    queue.push(...childElements(el));
  }
  return undefined;
}

function fxpSays(xml: string | Buffer, pick: string, options: Obj = {}): string {
  // its separate well-formedness check, which the parse does not run by itself
  const check = XMLValidator.validate(typeof xml === 'string' ? xml : xml.toString('utf8'));
  const validator = check === true ? '' : `; XMLValidator: ${check.err.code} at ${check.err.line}:${check.err.col}`;
  return fxpParse(xml, pick, options) + validator;
}

function fxpParse(xml: string | Buffer, pick: string, options: Obj): string {
  try {
    const parsed = new XMLParser({ ...FXP_OPTIONS, ...options }).parse(xml) as unknown;
    const want = pick.startsWith('{') ? pick.slice(pick.indexOf('}') + 1) : pick;
    const stack: unknown[] = [parsed];
    while (stack.length > 0) {
      const o = stack.shift();
      if (typeof o !== 'object' || o === null) continue;
      for (const [k, v] of Object.entries(o as Obj)) {
        if (k === want) return pick.startsWith('{') ? `${k} (no namespace kept)` : JSON.stringify(Array.isArray(v) ? v[0] : v);
        stack.push(v);
      }
    }
    return `no <${pick}>`;
  } catch (err) {
    return `threw ${err instanceof Error ? err.message.slice(0, 70) : String(err)}`;
  }
}

interface ReadCase {
  name: string;
  xml: string | Buffer;
  pick: string;
  right: string;
  fxpOptions?: Obj;
}

const ENV = (payload: string): string =>
  `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body>${payload}</soap:Body></soap:Envelope>`;

const READ_CASES: ReadCase[] = [
  { name: 'payload in another namespace (`<CreateCustomer xmlns="urn:other">`)', xml: ENV('<CreateCustomer xmlns="urn:other"><customer/></CreateCustomer>'), pick: '{}CreateCustomer', right: '{urn:other}CreateCustomer: not an operation (UNKNOWN_OPERATION)' },
  { name: 'contract prefix declared on the Envelope (SoapUI)', xml: `<soap:Envelope xmlns:soap="${NS.soap11}" xmlns:c="${NS.crm}"><soap:Body><c:CreateCustomer><c:customer><c:name>A</c:name></c:customer></c:CreateCustomer></soap:Body></soap:Envelope>`, pick: 'name', right: '"A"' },
  { name: 'same, prefixes kept (`removeNSPrefix: false`)', xml: `<soap:Envelope xmlns:soap="${NS.soap11}" xmlns:c="${NS.crm}"><soap:Body><c:CreateCustomer><c:customer><c:name>A</c:name></c:customer></c:CreateCustomer></soap:Body></soap:Envelope>`, pick: 'name', right: '"A" (read by namespace, not prefix)', fxpOptions: { removeNSPrefix: false } },
  { name: 'end tag naming another element, line 2', xml: '<a>\n<name>A</nme></a>', pick: 'name', right: 'not well-formed, at 2:...' },
  { name: 'bare `&` in text', xml: '<a><name>A & B</name></a>', pick: 'name', right: 'not well-formed' },
  { name: 'character references `caf&#xE9; &#233;`', xml: '<a><name>caf&#xE9; &#233;</name></a>', pick: 'name', right: '"café é"' },
  { name: '`a &amp;lt; b`', xml: '<a><name>a &amp;lt; b</name></a>', pick: 'name', right: '"a &lt; b"' },
  { name: 'DOCTYPE with an internal entity `&e;`', xml: '<!DOCTYPE a [<!ENTITY e "boom">]><a><name>&e;</name></a>', pick: 'name', right: 'refused (the service takes no DOCTYPE)' },
  { name: 'DOCTYPE with an external entity (XXE)', xml: '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a><name>&e;</name></a>', pick: 'name', right: 'refused' },
  { name: 'spaces around a value `<name> Foo </name>`', xml: '<a><name> Foo </name></a>', pick: 'name', right: '" Foo " (stored as sent)' },
  { name: '`<postalCode>01067</postalCode>`, fast-xml-parser defaults (`parseTagValue: true`)', xml: '<a><postalCode>01067</postalCode></a>', pick: 'postalCode', right: '"01067"', fxpOptions: { parseTagValue: true } },
  { name: 'ISO-8859-1 bytes as declared (`Müller`)', xml: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a><name>Müller</name></a>', 'latin1'), pick: 'name', right: '"Müller"' },
  { name: 'two root elements', xml: '<a><name>A</name></a><b/>', pick: 'name', right: 'not well-formed' },
  { name: 'the same attribute twice', xml: '<a><name x="1" x="2">A</name></a>', pick: 'name', right: 'not well-formed' },
];

interface WriteCase {
  name: string;
  value: string;
  right: string;
}

const WRITE_CASES: WriteCase[] = [
  { name: 'markup characters `A & B <C> "q" ]]>`', value: 'A & B <C> "q" ]]>', right: 'escaped, reads back the same' },
  { name: 'a control character U+0001 (only error texts quoting bad input carry one)', value: 'A\u0001B', right: 'well-formed; the service writes U+FFFD' },
  { name: 'a lone surrogate U+D800', value: 'A\uD800B', right: 'well-formed; the service writes U+FFFD' },
];

/** How each writer's text and attribute come back through libxml2. */
function writeCaseRow(c: WriteCase): string {
  const viaService = (): string => {
    const customer = storedCustomer(1);
    customer.name = c.value;
    return serviceWrite(customer).toString('utf8');
  };
  const viaXb2 = (): string => {
    const customer = storedCustomer(1);
    customer.name = c.value;
    return xmlbuilder2Write(customer).toString('utf8');
  };
  const readBack = (make: () => string): string => {
    try {
      return serviceSays(make(), 'name');
    } catch (err) {
      return `threw ${err instanceof Error ? err.message.slice(0, 70) : String(err)}`;
    }
  };
  return `| ${cell(c.name)} | ${cell(c.right)} | ${cell(readBack(viaService))} | ${cell(readBack(viaXb2))} |`;
}

function attributeRow(): string {
  const value = 'a"\n\t<&';
  const read = (xml: string): string => {
    const doc = LibraryDocument.fromString(xml);
    try {
      const found = doc.get('//*[local-name()="address"]/@type');
      return found === null ? 'no attribute' : JSON.stringify(found.content);
    } finally {
      doc.dispose();
    }
  };
  // the address type is an enumeration in the contract; any attribute value goes through the same escaping
  const service = read(writeEnvelope(SOAP11, (body) => {
    const customer = storedCustomer(1);
    (customer.addresses as Address[])[0] = { ...(customer.addresses as Address[])[0] as Address, type: value as Address['type'] };
    writeGetCustomerResponse(body, customer);
  }).toString('utf8'));
  const customer = storedCustomer(1);
  (customer.addresses as Address[])[0] = { ...(customer.addresses as Address[])[0] as Address, type: value as Address['type'] };
  const xb2 = read(xmlbuilder2Write(customer).toString('utf8'));
  return `| attribute value with a quote, newline, tab, \`<\`, \`&\` | ${cell(JSON.stringify(value))} back | ${cell(service)} | ${cell(xb2)} |`;
}

// ---------------------------------------------------------------- timing

interface Timing {
  cpu: number[];
  wall: number[];
}

/** µs of CPU and of wall time per call of `fn`, over `n` calls. */
function time(fn: () => unknown, n: number): { cpu: number; wall: number } {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const wall = Number(process.hrtime.bigint() - wall0) / 1e3 / n;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / n, wall };
}

const range = (values: number[], digits: number): string => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}-${hi}`;
};

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function rounds(variants: [string, () => unknown][], n: number, count: number, label: string): Map<string, Timing> {
  const results = new Map<string, Timing>(variants.map(([name]) => [name, { cpu: [], wall: [] }]));
  for (const [, fn] of variants) time(fn, Math.max(200, n >> 2)); // warm-up, not counted
  for (let r = 0; r < count; r++) {
    const order = variants.map((_, i) => variants[(i + r) % variants.length] as [string, () => unknown]);
    for (const [name, fn] of order) {
      const t = time(fn, n);
      const list = results.get(name) as Timing;
      list.cpu.push(t.cpu);
      list.wall.push(t.wall);
    }
    process.stderr.write(`${label} round ${r + 1}/${count}\n`);
  }
  return results;
}

function table(results: Map<string, Timing>, unit: string): string[] {
  const lines = [`| ${unit} | CPU µs, median | CPU µs, range | wall µs, range |`, '|---|---|---|---|'];
  for (const [name, t] of results) lines.push(`| ${name} | ${median(t.cpu).toFixed(1)} | ${range(t.cpu, 1)} | ${range(t.wall, 1)} |`);
  return lines;
}

// ---------------------------------------------------------------- main

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const roundCount = option('--rounds', 5);
  const writes = option('--writes', 5000);
  const reads = option('--reads', 3000);

  const m = machine();
  console.log(`# XML libraries replaced: xmlbuilder2 and fast-xml-parser\n\n${revision()}; ${m.cpu}, ${m.memory}, ${m.system}, node ${m.node}; load ${loadAverage().toFixed(2)}\n`);

  // Both writers must give the same document, or the timing compares two different jobs.
  const customer = storedCustomer(4242);
  const ours = serviceWrite(customer).toString('utf8');
  const theirs = xmlbuilder2Write(customer).toString('utf8');
  if (canonical(ours) !== canonical(theirs)) throw new Error(`the two writers disagree:\n${ours}\n${theirs}`);
  console.log(`GetCustomerResponse of customer 4242 (${customer.addresses?.length ?? 0} addresses, ${customer.contacts?.length ?? 0} contact), ${Buffer.byteLength(ours)} bytes: same elements, attributes and text through libxml2; byte for byte ${ours === theirs ? 'identical' : 'different'}.`);

  const request = Buffer.from(createCustomer(syntheticCustomer(4242, 7)), 'utf8');
  const viaService = serviceRead(request);
  const viaFxp = fxpRead(request);
  if (!isDeepStrictEqual(viaService, viaFxp)) throw new Error(`the two readers disagree:\n${JSON.stringify(viaService)}\n${JSON.stringify(viaFxp)}`);
  console.log(`CreateCustomer request of customer 4242, ${request.byteLength} bytes: (a) and (b) give the same CustomerInput.\n`);

  console.log('## Reading: what each makes of small inputs\n');
  console.log('The service column is `parseXml` (libxml2, src/xml/parse-xml.ts); fast-xml-parser runs with the bench\'s options (`removeNSPrefix`, no number conversion) unless the row says otherwise, with the verdict of its separate `XMLValidator` (which a parse does not run) appended when it finds an error.\n');
  console.log('| input | right | service (libxml2) | fast-xml-parser |');
  console.log('|---|---|---|---|');
  for (const c of READ_CASES) console.log(`| ${cell(c.name)} | ${cell(c.right)} | ${cell(serviceSays(c.xml, c.pick))} | ${cell(fxpSays(c.xml, c.pick, c.fxpOptions))} |`);

  console.log('\n## Writing: what each makes of awkward values (read back by libxml2)\n');
  console.log('| value | right | service (xml-tree.ts) | xmlbuilder2 |');
  console.log('|---|---|---|---|');
  for (const c of WRITE_CASES) console.log(writeCaseRow(c));
  console.log(attributeRow());

  console.log(`\n## Writing: GetCustomerResponse, ${roundCount} rounds of ${writes} documents (ranges over rounds)\n`);
  const writing = rounds([
    ['service: src/mapping + xml/build.ts + serialize', () => serviceWrite(customer)],
    ['xmlbuilder2: create().ele(ns, ...) + end()', () => xmlbuilder2Write(customer)],
  ], writes, roundCount, 'writing');
  console.log(table(writing, 'per document').join('\n'));

  console.log(`\n## Reading: CreateCustomer SOAP 1.1, ${roundCount} rounds of ${reads} messages (ranges over rounds)\n`);
  const reading = rounds([
    ['(a) service: libxml2 parse + XSD validation + read', () => serviceRead(request)],
    ['(b) fast-xml-parser parse + map, with libxml2 parse + XSD validation', () => fxpRead(request)],
    ['(c) fast-xml-parser parse alone', () => fxpParseOnly(request)],
    ['libxml2 parse + XSD validation alone (part of a and b)', () => libxml2Validate(request)],
  ], reads, roundCount, 'reading');
  console.log(table(reading, 'per message').join('\n'));
}

main();
