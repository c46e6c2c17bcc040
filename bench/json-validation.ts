// Issue 18's two ways to hold a JSON customer to the XSD, measured in-process
// on the same customers (µs per customer, parse to DTO, nothing stored):
//  (a) what /api does: JSON.parse and the duplicate check, the shape check,
//      the JSON Schema derived from the XSD (Ajv), JSON -> DTO;
//  (b) the prototype kept for this comparison only: the same parse, then the
//      value written as the contract's Customer document, parsed by libxml2
//      and validated by the XSD as /xml does, XML -> DTO;
//  and, for scale, what /xml does with the same customer sent as XML.
// Rounds alternate the order, so a warm-up or a neighbour's load favours none.
import { listItem } from '../src/contract/json-schema.js';
import type { XsdModel } from '../src/contract/xsd-model.js';
import { checkJsonShape } from '../src/json/json-shape.js';
import { parseJson } from '../src/json/parse-json.js';
import { readCustomer } from '../src/mapping/customer-xml.js';
import { readCustomerJson } from '../src/mapping/customer-json.js';
import { AjvJsonValidator, contractModel } from '../src/validation/json-validator.js';
import { XsdValidator } from '../src/validation/xsd-validator.js';
import { parseXml } from '../src/xml/parse-xml.js';
import { DEFAULT_SHAPE_LIMITS } from '../src/xml/shape-limits.js';
import { numberWidth, syntheticCustomer } from './customers.js';
import { customerDocument, customerJsonBody } from './json-requests.js';

const NS = 'urn:crm-bridge:customer:v1';

function escape(s: string, attribute: boolean): string {
  const t = s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\r', '&#13;');
  return attribute ? t.replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;') : t;
}

/** (b)'s mapping: a JSON value as the XSD type's XML, members in the XSD's order, unknown ones last (so the XSD refuses them). */
export function jsonAsXml(model: XsdModel, typeName: string, tag: string, value: Record<string, unknown>): string {
  const type = model.complexTypes.get(typeName);
  if (type === undefined) throw new Error(`no type ${typeName}`);
  let attrs = '';
  let inner = '';
  for (const m of type.members) {
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    if (m.kind === 'attribute') {
      attrs += ` ${m.name}="${escape(String(v), true)}"`;
      continue;
    }
    const wrapper = m.type.builtin ? undefined : model.complexTypes.get(m.type.name);
    const item = wrapper === undefined ? undefined : listItem(wrapper);
    if (item !== undefined && Array.isArray(v)) {
      inner += `<${m.name}>${v.map((x) => jsonAsXml(model, item.type.name, item.name, x as Record<string, unknown>)).join('')}</${m.name}>`;
    } else {
      inner += `<${m.name}>${escape(String(v), false)}</${m.name}>`;
    }
  }
  for (const k of Object.keys(value)) if (!type.members.some((m) => m.name === k)) inner += `<${k}/>`;
  return `<${tag}${attrs}>${inner}</${tag}>`;
}

export interface ValidationFigures {
  readonly customers: number;
  readonly rounds: number;
  /** µs per customer, one figure per round. */
  readonly jsonSchema: number[];
  readonly viaXsd: number[];
  readonly xml: number[];
}

export function measureValidation(customers = 2000, rounds = 5): ValidationFigures {
  const model = contractModel();
  const ajv = new AjvJsonValidator();
  const xsd = new XsdValidator();
  const width = numberWidth(customers);
  const jsonBodies = Array.from({ length: customers }, (_, n) => Buffer.from(customerJsonBody(syntheticCustomer(n, width))));
  const xmlBodies = Array.from({ length: customers }, (_, n) => Buffer.from(customerDocument(syntheticCustomer(n, width))));
  const nowhere = (): { line: number; column: number } => ({ line: 1, column: 1 });

  const a = (): void => {
    for (const body of jsonBodies) {
      const doc = parseJson(body);
      checkJsonShape(doc.value, DEFAULT_SHAPE_LIMITS);
      const checked = ajv.validate('Customer', doc.value, nowhere);
      if (checked.errors.length > 0 || doc.duplicates.length > 0) throw new Error(JSON.stringify(checked.errors));
      readCustomerJson(checked.value);
    }
  };
  const b = (): void => {
    for (const body of jsonBodies) {
      const doc = parseJson(body);
      checkJsonShape(doc.value, DEFAULT_SHAPE_LIMITS);
      const source = Buffer.from(jsonAsXml(model, 'Customer', 'Customer', doc.value as Record<string, unknown>).replace('<Customer', `<Customer xmlns="${NS}"`));
      const xmlDoc = parseXml(source);
      try {
        const errors = xsd.validate(xmlDoc.root, source);
        if (errors.length > 0) throw new Error(JSON.stringify(errors));
        readCustomer(xmlDoc.root);
      } finally {
        xmlDoc.dispose();
      }
    }
  };
  const x = (): void => {
    for (const source of xmlBodies) {
      const xmlDoc = parseXml(source);
      try {
        if (xsd.validate(xmlDoc.root, source).length > 0) throw new Error('invalid');
        readCustomer(xmlDoc.root);
      } finally {
        xmlDoc.dispose();
      }
    }
  };
  const time = (run: () => void): number => {
    const start = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - start) / 1000 / customers;
  };
  // Warm-up: every path compiled and its caches filled before anything counts.
  a(); b(); x();
  const figures: ValidationFigures = { customers, rounds, jsonSchema: [], viaXsd: [], xml: [] };
  for (let r = 0; r < rounds; r++) {
    const order: [number[], () => void][] = r % 2 === 0 ? [[figures.jsonSchema, a], [figures.viaXsd, b], [figures.xml, x]] : [[figures.xml, x], [figures.viaXsd, b], [figures.jsonSchema, a]];
    for (const [into, run] of order) into.push(Math.round(time(run) * 10) / 10);
  }
  return figures;
}
