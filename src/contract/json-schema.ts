// The contract's types as JSON Schema (2020-12), derived from the XSD model
// (xsd-model.ts), never written by hand: the one schema /api validates with
// and the OpenAPI document carries. The mapping of XSD to JSON it states:
//  - an element or attribute is a member of the same name (an address's
//    `type` attribute is a member like its elements);
//  - a type whose content is one repeated element (AddressList) is an array
//    of that element's type, its minOccurs/maxOccurs the array's item counts;
//    a member that repeats itself is an array too, named in the plural
//    (CustomerBatch's `customer` is `customers`, BatchReport's `result`
//    `results`, as a search answer's `customers` and a history's `changes`);
//  - xs:string facets are minLength/maxLength (XSD and JSON Schema both count
//    characters, not UTF-16 units), patterns translated by xsd-regex.ts,
//    enumerations enum; xs:int is an integer within its 32 bits and its
//    min/maxInclusive; xs:dateTime a string of format date-time (checked as
//    XSD's lexical form: validation/xsd-date-time.ts);
//  - no member beyond the XSD's (additionalProperties false); members with
//    minOccurs >= 1 (required attributes) are required.
import type { ComplexType, Member, SimpleType, TypeRef, XsdModel } from './xsd-model.js';
import { xsdPatternToEcma } from './xsd-regex.js';

export type JsonSchema = { readonly [key: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** A schema's name in `$defs` (and OpenAPI's components/schemas): the XSD type's. */
export function refTo(name: string, base = '#/$defs/'): JsonSchema {
  return { $ref: `${base}${name}` };
}

/** The item of a list-wrapper type (one element, repeated, nothing else), when `t` is one. */
export function listItem(t: ComplexType): Member | undefined {
  const [only, ...rest] = t.members;
  return only !== undefined && rest.length === 0 && only.kind === 'element' && only.maxOccurs > 1 ? only : undefined;
}

/** `$defs` of every type reachable from `roots` (complex type names), each under the XSD type's name. */
export function deriveJsonSchemas(model: XsdModel, roots: readonly string[], base = '#/$defs/'): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  const pending = [...roots];
  const ref = (t: TypeRef): JsonSchema => {
    if (t.builtin) return builtin(t.name);
    if (!(t.name in defs) && !pending.includes(t.name)) pending.push(t.name);
    return refTo(t.name, base);
  };
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (name in defs) continue;
    const simple = model.simpleTypes.get(name);
    if (simple !== undefined) {
      defs[name] = simpleSchema(simple, ref);
      continue;
    }
    const complex = model.complexTypes.get(name);
    if (complex === undefined) throw new Error(`customer.xsd has no type ${name}`);
    defs[name] = complexSchema(model, complex, ref);
  }
  return defs;
}

function builtin(name: string): JsonSchema {
  switch (name) {
    case 'string': return { type: 'string' };
    case 'int': return { type: 'integer', minimum: INT_MIN, maximum: INT_MAX };
    case 'dateTime': return { type: 'string', format: 'date-time' };
    default: throw new Error(`customer.xsd: the built-in xs:${name} has no JSON form in src/contract/json-schema.ts yet`);
  }
}

function simpleSchema(t: SimpleType, ref: (t: TypeRef) => JsonSchema): JsonSchema {
  if (t.union !== undefined) return { anyOf: t.union.map(ref) };
  const s: Record<string, unknown> = t.base === 'int'
    ? { type: 'integer', minimum: Math.max(t.minInclusive ?? INT_MIN, INT_MIN), maximum: Math.min(t.maxInclusive ?? INT_MAX, INT_MAX) }
    : t.base === 'dateTime' ? { type: 'string', format: 'date-time' } : { type: 'string' };
  if (t.base === 'string') {
    const min = t.length ?? t.minLength;
    const max = t.length ?? t.maxLength;
    if (min !== undefined && min > 0) s['minLength'] = min;
    if (max !== undefined) s['maxLength'] = max;
  }
  // Patterns of one restriction step are alternatives (XSD Part 2, 4.3.4.3).
  if (t.patterns.length > 0) s['pattern'] = t.patterns.length === 1 ? xsdPatternToEcma(t.patterns[0] ?? '') : xsdPatternToEcma(t.patterns.map((p) => `(${p})`).join('|'));
  if (t.enumeration !== undefined) s['enum'] = t.base === 'int' ? t.enumeration.map(Number) : [...t.enumeration];
  return s;
}

function complexSchema(model: XsdModel, t: ComplexType, ref: (t: TypeRef) => JsonSchema): JsonSchema {
  if (t.choice) throw new Error(`customer.xsd: ${t.name} is an xs:choice, which has no JSON form in src/contract/json-schema.ts yet`);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  // Attributes first: an address reads {"type", "line1", ...} (contract v1.1, JSON details).
  const members = [...t.members.filter((m) => m.kind === 'attribute'), ...t.members.filter((m) => m.kind === 'element')];
  for (const m of members) {
    const wrapped = m.type.builtin ? undefined : model.complexTypes.get(m.type.name);
    const item = wrapped === undefined ? undefined : listItem(wrapped);
    if (item !== undefined && m.maxOccurs === 1) {
      properties[m.name] = arrayOf(ref(item.type), item);
    } else if (m.maxOccurs > 1) {
      properties[`${m.name}s`] = arrayOf(ref(m.type), m);
    } else {
      properties[m.name] = ref(m.type);
    }
    if (m.minOccurs >= 1) required.push(m.maxOccurs > 1 ? `${m.name}s` : m.name);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function arrayOf(items: JsonSchema, m: Member): JsonSchema {
  return {
    type: 'array',
    items,
    ...(m.minOccurs > 0 ? { minItems: m.minOccurs } : {}),
    ...(Number.isFinite(m.maxOccurs) ? { maxItems: m.maxOccurs } : {}),
  };
}
