// The two forms of the contract's object types in the OpenAPI document
// (contract v1.1, JSON details): in requests `null` means absent, so an
// optional member may be null (a required one may not: null would be a
// missing member); answers never carry null (absent members are left out).
// The XSD-derived schemas (contract/json-schema.ts) are the answers' form:
// /api validates a body by them once its null members are dropped
// (validation/json-validator.ts). The request form keeps the XSD's names
// (Customer, Address, Contact), since a request body is what a client
// writes; the answer form is the same schema under `<name>Answer`.
import type { JsonSchema } from '../contract/json-schema.js';

/** `{$ref}` targets of `schema`, anywhere inside it. */
function refsOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const s of schema) refsOf(s, out);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

/** `schema` with every `$ref` to a renamed schema pointing at its new name. */
function renamed(schema: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => renamed(s, names));
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? names.get(v) ?? v : renamed(v, names)]));
}

/** A member's schema that also takes null: `type` gains "null"; a `$ref` becomes one of it or null. */
function orNull(member: JsonSchema): JsonSchema {
  const type = member['type'];
  if (typeof type === 'string') return { ...member, type: [type, 'null'] };
  return { anyOf: [member, { type: 'null' }] };
}

/** The object schema as a request takes it: each optional member may be null. */
function requestForm(schema: JsonSchema): JsonSchema {
  const properties = schema['properties'] as Record<string, JsonSchema>;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  return { ...schema, properties: Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, required.has(name) ? s : orNull(s)])) };
}

/**
 * `schemas` (derived under `base`) with the object types reachable from
 * `roots` in both forms: the request form under the XSD name, the answer
 * form under `<name>Answer` (its references to the others' answer forms);
 * `requestOnly` (a batch wrapper, which no answer holds) in the request form alone.
 */
export function requestAndAnswerForms(schemas: Readonly<Record<string, JsonSchema>>, roots: readonly string[], base: string, requestOnly: readonly string[] = []): Record<string, JsonSchema> {
  const objects: string[] = [];
  for (const pending = [...roots]; pending.length > 0;) {
    const name = pending.shift() ?? '';
    const schema = schemas[name];
    if (objects.includes(name) || schema?.['type'] !== 'object') continue;
    objects.push(name);
    pending.push(...refsOf(schema).map((r) => r.slice(base.length)));
  }
  const answers = new Map(objects.map((n) => [`${base}${n}`, `${base}${n}Answer`]));
  const out: Record<string, JsonSchema> = { ...schemas };
  for (const name of objects) {
    const schema = schemas[name] as JsonSchema;
    out[name] = requestForm(schema);
    out[`${name}Answer`] = renamed(schema, answers) as JsonSchema;
  }
  for (const name of requestOnly) {
    const schema = schemas[name];
    if (schema?.['type'] !== 'object') throw new Error(`${name} is not an object type of the contract`);
    out[name] = requestForm(schema);
  }
  return out;
}
