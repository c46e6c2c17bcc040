// A corpus of customers made from the XSD's own facets (the model of
// src/contract/xsd-model.ts): for every member of Customer, Address and
// Contact, values at each bound of each facet (lengths, counted in
// characters, astral ones too; int bounds; every enumeration value and near
// misses; item counts; required members left out; an unknown member), so a
// facet added to the XSD is covered without touching this file. Patterns
// and xs:dateTime need samples of their own: a pattern with none fails the
// corpus (PATTERN_SAMPLES). Each case is the same customer as JSON and as
// XML, with the decision the XSD gives it and, when refused, the pointer.
import type { ComplexType, Member, SimpleType, XsdModel } from '../../src/contract/xsd-model.js';
import { listItem } from '../../src/contract/json-schema.js';
import { NS } from '../../src/xml/namespaces.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface CorpusCase {
  readonly name: string;
  readonly json: { [k: string]: Json };
  /** The same customer, as XML text for values JSON holds as other types (a number's lexical form). */
  readonly valid: boolean;
  /** The pointer the refusal must name (JSON), when refused. */
  readonly path?: string;
}

/** Per XSD pattern: texts it matches and texts it does not (XSD's \s is only space, tab, LF, CR: NBSP is no space). */
export const PATTERN_SAMPLES: Readonly<Record<string, { valid: string[]; invalid: string[] }>> = {
  '[^@\\s]+@[^@\\s]+\\.[^@\\s]+': {
    valid: ['a@b.c', 'a.b+c@d-e.fg', 'ü@ä.ö', 'a\u00A0b@c.d', '😀@b.c', 'a@b.c.d'],
    invalid: ['', 'a', 'a@b', '@b.c', 'a@.c', 'a@b.', 'a b@c.d', 'a\tb@c.d', 'a@@b.c', 'a@b@c.d', ' a@b.c', 'a@b.c '],
  },
  '[A-Z]{2}': { valid: ['DE', 'US', 'ZZ'], invalid: ['', 'D', 'de', 'DEU', 'D1', 'ÄB', ' DE', 'DE\n'] },
};

export const DATE_TIME_SAMPLES = {
  valid: ['2026-11-25T09:30:00Z', '2026-11-25T09:30:00.123456Z', '2026-11-25T09:30:00', '2026-11-25T09:30:00+02:00', '2024-02-29T00:00:00Z', '2026-11-25T24:00:00Z'],
  invalid: ['', '2026-11-25', '2026-11-25 09:30:00Z', '2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '2026-11-25T25:00:00Z', '2026-11-25T09:60:00Z', 'yesterday', '2026-11-25T09:30:00+15:00'],
};

const INT_MAX = 2147483647;

function base(): { [k: string]: Json } {
  return {
    type: 'ORGANIZATION',
    name: 'Müller & Söhne',
    email: 'info@mueller.example',
    phone: '+49 30 1',
    status: 'PROSPECT',
    vatNumber: 'DE1',
    addresses: [{ type: 'BILLING', line1: 'Hauptstr. 1', line2: 'Hof', city: 'Berlin', region: 'BE', postalCode: '10115', country: 'DE' }],
    contacts: [{ firstName: 'Zoë', lastName: 'Adams', email: 'zoe@mueller.example', phone: '+49 1', role: 'Buyer' }],
  };
}

/** A string of `n` characters that the type's patterns accept (the first valid sample, padded at its start). */
function ofLength(t: SimpleType, n: number, fill: string): string | undefined {
  const seed = t.patterns.length === 0 ? '' : PATTERN_SAMPLES[t.patterns[0] ?? '']?.valid[0] ?? '';
  const seedLength = [...seed].length;
  if (n < seedLength) return t.patterns.length === 0 ? fill.repeat(n) : undefined;
  return fill.repeat(n - seedLength) + seed;
}

/** Values of a simple type at and past each of its facets: [label, value, valid]. */
function simpleValues(t: SimpleType): [string, Json, boolean][] {
  const out: [string, Json, boolean][] = [];
  if (t.base === 'int') {
    const min = t.minInclusive ?? -2147483648;
    const max = Math.min(t.maxInclusive ?? INT_MAX, INT_MAX);
    out.push([`minInclusive ${min}`, min, true], [`below minInclusive`, min - 1, false], [`maximum ${max}`, max, true], [`above maximum`, max + 1, false], ['a fraction', 1.5, false]);
    return out;
  }
  if (t.base === 'dateTime') {
    for (const v of DATE_TIME_SAMPLES.valid) out.push([`dateTime ${v}`, v, true]);
    for (const v of DATE_TIME_SAMPLES.invalid) out.push([`dateTime ${JSON.stringify(v)}`, v, false]);
    return out;
  }
  for (const p of t.patterns) {
    const samples = PATTERN_SAMPLES[p];
    if (samples === undefined) throw new Error(`customer.xsd has pattern ${p} (type ${t.name}) without samples: add them to PATTERN_SAMPLES`);
    for (const v of samples.valid) out.push([`pattern accepts ${JSON.stringify(v)}`, v, true]);
    for (const v of samples.invalid) out.push([`pattern refuses ${JSON.stringify(v)}`, v, false]);
  }
  if (t.enumeration !== undefined) {
    for (const v of t.enumeration) out.push([`enumeration ${v}`, v, true]);
    const first = t.enumeration[0] ?? '';
    out.push([`not enumerated: lower case`, first.toLowerCase(), false], ['not enumerated: trailing space', `${first} `, false], ['not enumerated: empty', '', false]);
  }
  const min = t.length ?? t.minLength;
  const max = t.length ?? t.maxLength;
  for (const [fill, what] of [['x', 'characters'], ['😀', 'astral characters']] as const) {
    if (min !== undefined && min > 0) {
      const at = ofLength(t, min, fill);
      const below = ofLength(t, min - 1, fill);
      if (at !== undefined) out.push([`minLength ${min} ${what}`, at, true]);
      if (below !== undefined) out.push([`${min - 1} ${what}, under minLength`, below, false]);
    }
    if (max !== undefined) {
      const at = ofLength(t, max, fill);
      const over = ofLength(t, max + 1, fill);
      if (at !== undefined) out.push([`maxLength ${max} ${what}`, at, true]);
      if (over !== undefined) out.push([`${max + 1} ${what}, over maxLength`, over, false]);
    }
  }
  if (min === undefined && t.patterns.length === 0 && t.enumeration === undefined) out.push(['empty', '', true]);
  return out;
}

/** Every case of the members of `type`, applied at `at` in a fresh base customer. */
function casesOf(model: XsdModel, typeName: string, at: (c: { [k: string]: Json }) => { [k: string]: Json }, pointer: string, out: CorpusCase[]): void {
  const type = model.complexTypes.get(typeName) as ComplexType;
  const set = (name: string, value: Json | undefined): { [k: string]: Json } => {
    const c = base();
    const o = at(c);
    if (value === undefined) delete o[name];
    else o[name] = value;
    return c;
  };
  out.push({ name: `${typeName}: an unknown member`, json: set('unknownMember', 'x'), valid: false, path: `${pointer}/unknownMember` });
  for (const m of type.members) {
    const where = `${pointer}/${m.name}`;
    if (m.name === 'id' || m.name === 'version') continue; // assigned by the service on create: covered by the replace cases
    out.push({ name: `${typeName}.${m.name}: left out`, json: set(m.name, undefined), valid: m.minOccurs === 0, ...(m.minOccurs === 0 ? {} : { path: where }) });
    const wrapper = m.type.builtin ? undefined : model.complexTypes.get(m.type.name);
    const item = wrapper === undefined ? undefined : listItem(wrapper);
    if (item !== undefined) {
      const one = (at(base())[m.name] as Json[])[0] as Json;
      if (Number.isFinite(item.maxOccurs)) {
        out.push({ name: `${typeName}.${m.name}: ${item.maxOccurs} items (maxOccurs)`, json: set(m.name, Array.from({ length: item.maxOccurs }, () => one)), valid: true });
        out.push({ name: `${typeName}.${m.name}: ${item.maxOccurs + 1} items`, json: set(m.name, Array.from({ length: item.maxOccurs + 1 }, () => one)), valid: false, path: where });
      }
      continue;
    }
    const simple = m.type.builtin ? builtinType(m) : model.simpleTypes.get(m.type.name);
    if (simple === undefined) continue;
    for (const [label, value, valid] of simpleValues(simple)) {
      out.push({ name: `${typeName}.${m.name}: ${label}`, json: set(m.name, value), valid, ...(valid ? {} : { path: where }) });
    }
  }
}

function builtinType(m: Member): SimpleType | undefined {
  if (m.type.name === 'dateTime') return { name: 'xs:dateTime', base: 'dateTime', patterns: [] };
  if (m.type.name === 'string') return { name: 'xs:string', base: 'string', patterns: [] };
  return undefined;
}

export function customerCorpus(model: XsdModel): CorpusCase[] {
  const out: CorpusCase[] = [{ name: 'the base customer', json: base(), valid: true }, { name: 'the least customer', json: { type: 'PERSON', name: 'A' }, valid: true }];
  casesOf(model, 'Customer', (c) => c, '', out);
  casesOf(model, 'Address', (c) => (c['addresses'] as { [k: string]: Json }[])[0] as { [k: string]: Json }, '/addresses/0', out);
  casesOf(model, 'Contact', (c) => (c['contacts'] as { [k: string]: Json }[])[0] as { [k: string]: Json }, '/contacts/0', out);
  return out;
}

function escapeXml(s: string, attribute: boolean): string {
  let out = s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\r', '&#13;');
  if (attribute) out = out.replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;');
  return out;
}

/** The same customer as a Customer document, members in the XSD's order, attributes as attributes, unknown members last. */
export function customerXml(model: XsdModel, json: { [k: string]: Json }): string {
  const write = (typeName: string, tag: string, o: { [k: string]: Json }): string => {
    const type = model.complexTypes.get(typeName) as ComplexType;
    let attrs = '';
    let inner = '';
    for (const m of type.members) {
      const v = o[m.name];
      if (v === undefined || v === null) continue;
      if (m.kind === 'attribute') {
        attrs += ` ${m.name}="${escapeXml(String(v), true)}"`;
        continue;
      }
      const wrapper = m.type.builtin ? undefined : model.complexTypes.get(m.type.name);
      const item = wrapper === undefined ? undefined : listItem(wrapper);
      if (item !== undefined && Array.isArray(v)) {
        inner += `<${m.name}>${v.map((x) => write(item.type.name, item.name, x as { [k: string]: Json })).join('')}</${m.name}>`;
      } else {
        inner += `<${m.name}>${escapeXml(String(v), false)}</${m.name}>`;
      }
    }
    for (const k of Object.keys(o)) if (!type.members.some((m) => m.name === k)) inner += `<${k}>${escapeXml(String(o[k]), false)}</${k}>`;
    return `<${tag}${attrs}>${inner}</${tag}>`;
  };
  return write('Customer', 'Customer', json).replace('<Customer', `<Customer xmlns="${NS.crm}"`);
}
