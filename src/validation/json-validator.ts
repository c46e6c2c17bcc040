// The /api validation stage: a JSON body checked by the JSON Schema derived
// from customer.xsd at start-up (contract/json-schema.ts), compiled once by
// Ajv as libxml2 compiles the XSD once. Before the schema, one walk applies
// the contract's JSON rules that are not a schema's: `null` and `[]` are
// absent (the member is dropped, but only where the schema knows it: an
// unknown member is refused whatever it holds, never silently dropped), and a
// string must hold only characters XML 1.0 can carry (what /api stores, SOAP
// and /xml must be able to return).
// Every error has a JSON Pointer, and its line and column in the text.
import fs from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { deriveJsonSchemas, JSON_SCHEMA_DIALECT, type JsonSchema } from '../contract/json-schema.js';
import { readXsdModel, type XsdModel } from '../contract/xsd-model.js';
import type { SchemaErrorDetail } from '../errors.js';
import { pointerOf } from '../json/json-pointer.js';
import type { JsonPlace } from '../json/json-pointer.js';
import { CUSTOMER_XSD } from './schema-files.js';
import { isXsdDateTime } from './xsd-date-time.js';

/** The contract types /api takes and answers, by their XSD names. */
export const JSON_ROOTS = ['Customer', 'CustomerChange', 'CustomerBatch'] as const;
export type JsonRoot = (typeof JSON_ROOTS)[number];

/** A body after the checks: its value with `null` and `[]` members dropped, and every error found. */
export interface JsonCheck {
  readonly value: unknown;
  readonly errors: SchemaErrorDetail[];
}

export interface JsonValidator {
  /**
   * Checks `value` as the contract type `root`. `locate` gives the line and
   * column of a pointer in what the client sent; `base` is prefixed to every
   * pointer (a batch record's place in its batch).
   */
  validate(root: JsonRoot, value: unknown, locate: (pointer: string) => { line: number; column: number }, base?: string): JsonCheck;
}

/** Characters outside XML 1.0's Char production (2.2): C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone surrogates. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const SCHEMA_ID = 'urn:crm-bridge:customer:v1:json';

/** The JSON Schema document of the contract's types: `$defs` derived from the XSD model. */
export function contractJsonSchema(model: XsdModel): JsonSchema {
  return { $schema: JSON_SCHEMA_DIALECT, $id: SCHEMA_ID, $defs: deriveJsonSchemas(model, JSON_ROOTS) };
}

let model: XsdModel | undefined;

/** customer.xsd read into its model once a process. */
export function contractModel(): XsdModel {
  model ??= readXsdModel(fs.readFileSync(CUSTOMER_XSD));
  return model;
}

export class AjvJsonValidator implements JsonValidator {
  private readonly compiled: ReadonlyMap<JsonRoot, ValidateFunction>;
  private readonly defs: Defs;

  constructor(schema: JsonSchema = contractJsonSchema(contractModel())) {
    this.defs = { byName: (schema['$defs'] ?? {}) as Record<string, JsonSchema>, byRef: new Map() };
    const ajv = new Ajv2020({ allErrors: true, strict: true, formats: { 'date-time': isXsdDateTime } });
    ajv.addSchema(schema);
    this.compiled = new Map(JSON_ROOTS.map((root) => {
      const fn = ajv.getSchema(`${SCHEMA_ID}#/$defs/${root}`);
      if (fn === undefined) throw new Error(`the derived JSON Schema has no ${root}`);
      return [root, fn];
    }));
  }

  validate(root: JsonRoot, value: unknown, locate: (pointer: string) => { line: number; column: number }, base = ''): JsonCheck {
    const found: { path: string; message: string }[] = [];
    const normal = normalize(value, [], found, this.defs.byName[root], this.defs);
    const check = this.compiled.get(root);
    if (check !== undefined && !check(normal)) for (const e of check.errors ?? []) found.push(describe(e));
    const errors = found.map((e) => {
      const path = base + e.path;
      return { ...locate(path), message: `${path || '/'}: ${e.message}`, path };
    });
    return { value: normal, errors };
  }
}

/** The schema's $defs by name, and by the $ref that names each (filled as normalize meets them). */
interface Defs {
  readonly byName: Readonly<Record<string, JsonSchema>>;
  readonly byRef: Map<string, JsonSchema>;
}

/** `schema` with its local $ref followed (the derived schema refers only to its own $defs), each $ref looked up once. */
function resolved(schema: JsonSchema | undefined, defs: Defs): JsonSchema | undefined {
  const ref = schema?.['$ref'];
  if (typeof ref !== 'string') return schema;
  let to = defs.byRef.get(ref);
  if (to === undefined) {
    to = defs.byName[ref.replace('#/$defs/', '')];
    if (to !== undefined) defs.byRef.set(ref, to);
  }
  return to;
}

/**
 * `value` with null and [] members dropped where `schema` (the place's, when
 * known) declares them; strings XML cannot carry and absent-valued members the
 * schema does not know reported (depth is bounded by the shape check before).
 * `path` is the place of `value`, one stack for the whole walk (a copy of it
 * per member and item was a large part of a batch record's cost): a pointer
 * is made of it only for an error.
 */
function normalize(value: unknown, path: (string | number)[], found: { path: string; message: string }[], schema: JsonSchema | undefined, defs: Defs): unknown {
  if (typeof value === 'string') {
    const bad = NOT_XML_CHAR.exec(value);
    if (bad !== null) {
      const cp = value.codePointAt(bad.index) ?? 0;
      found.push({ path: pointerOf(path), message: `holds U+${cp.toString(16).toUpperCase().padStart(4, '0')} at character ${bad.index + 1}, which XML 1.0 cannot carry` });
    }
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const here = resolved(schema, defs);
  // An array or object none of whose values the walk changed is returned as
  // it came (JSON.parse made it; nothing writes to it after): building a copy
  // of each was most of a batch record's normalizing.
  if (Array.isArray(value)) {
    // Past maxItems the array is refused anyway: one item over is enough for the schema to say so.
    // Ajv's allErrors joins each item's errors to the list by copying it (concat), so 50,000 bad
    // items took 36 s of event loop; the items beyond are not looked into, as libxml2 stops at the first element too many.
    const maxItems = here?.['maxItems'];
    const n = typeof maxItems === 'number' && value.length > maxItems + 1 ? maxItems + 1 : value.length;
    const itemSchema = here?.['items'] as JsonSchema | undefined;
    let out: unknown[] | undefined = n < value.length ? value.slice(0, n) : undefined;
    for (let i = 0; i < n; i++) {
      const item: unknown = value[i];
      path.push(i);
      const normal = normalize(item, path, found, itemSchema, defs);
      path.pop();
      if (normal !== item) {
        out ??= value.slice(0, n);
        out[i] = normal;
      }
    }
    return out ?? value;
  }
  const properties = here?.['properties'] as Record<string, JsonSchema> | undefined;
  /** The members so far, from the first change on (until then, `value`'s own). */
  let out: [string, unknown][] | undefined;
  let seen = 0;
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    const known = properties === undefined ? undefined : Object.hasOwn(properties, key);
    path.push(key);
    if (member === null || (Array.isArray(member) && member.length === 0)) {
      if (known === false) found.push({ path: pointerOf(path), message: `${key} is not a member of this object` });
      out ??= firstMembers(value, seen);
    } else {
      const normal = normalize(member, path, found, known === true ? properties?.[key] : undefined, defs);
      if (normal !== member) out ??= firstMembers(value, seen);
      out?.push([key, normal]);
    }
    path.pop();
    seen++;
  }
  // Members defined as they are (as JSON.parse does): `out[key] =` would make a member
  // named __proto__ the object's prototype, unseen as unknown and its members read as the customer's.
  return out === undefined ? value : Object.fromEntries(out);
}

/** The first `n` members of `o`, in the order `for in` gives them. */
function firstMembers(o: object, n: number): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (n === 0) return out;
  for (const key in o) {
    out.push([key, (o as Record<string, unknown>)[key]]);
    if (out.length === n) break;
  }
  return out;
}

function describe(e: ErrorObject): { path: string; message: string } {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const name = String(params['missingProperty']);
      return { path: `${e.instancePath}/${escape(name)}`, message: `the required member ${name} is missing` };
    }
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      return { path: `${e.instancePath}/${escape(name)}`, message: `${name} is not a member of this object` };
    }
    case 'enum':
      return { path: e.instancePath, message: `must be one of ${(params['allowedValues'] as unknown[]).join(', ')}` };
    case 'format':
      return { path: e.instancePath, message: 'must be an xs:dateTime (2026-11-25T09:30:00Z)' };
    default:
      return { path: e.instancePath, message: e.message ?? e.keyword };
  }
}

function escape(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

export type { JsonPlace };
