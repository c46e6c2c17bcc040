// The contract's XSD read into plain data: its named simple types with their
// facets and its named complex types with their members, in order. What the
// JSON Schema, the OpenAPI document and the test corpus are derived from, so
// the XSD stays the one statement of every rule. Reads only the constructs
// customer.xsd uses; any other construct in a type is refused loudly here
// (a derivation that silently dropped a rule would accept what the XSD refuses).
import { attrValue, childElements, type XmlElement } from '../xml/dom.js';
import { NS } from '../xml/namespaces.js';
import { parseXml } from '../xml/parse-xml.js';

/** A built-in XSD type a simple type restricts. */
export type XsdBase = 'string' | 'int' | 'dateTime';

export interface SimpleType {
  readonly name: string;
  readonly base: XsdBase;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly length?: number;
  /** XSD regular expressions (implicitly anchored), every one of which the value must match. */
  readonly patterns: readonly string[];
  readonly enumeration?: readonly string[];
  readonly minInclusive?: number;
  readonly maxInclusive?: number;
  /** Types of an xs:union (then the facets above are unset). */
  readonly union?: readonly TypeRef[];
}

/** A type named in a member: a built-in (`xs:` local) or one of the contract's. */
export interface TypeRef {
  readonly builtin: boolean;
  readonly name: string;
}

export interface Member {
  readonly name: string;
  /** An element of the sequence, or an attribute of the type. */
  readonly kind: 'element' | 'attribute';
  readonly type: TypeRef;
  readonly minOccurs: number;
  /** Infinity for unbounded. */
  readonly maxOccurs: number;
}

export interface ComplexType {
  readonly name: string;
  /** Elements in xs:sequence order, then attributes. */
  readonly members: readonly Member[];
  /** True when the elements are an xs:choice (exactly one of them). */
  readonly choice: boolean;
}

export interface XsdModel {
  readonly simpleTypes: ReadonlyMap<string, SimpleType>;
  readonly complexTypes: ReadonlyMap<string, ComplexType>;
  /** Global elements and the complex type each has (anonymous ones named after the element). */
  readonly elements: ReadonlyMap<string, string>;
}

const BUILTINS: Readonly<Record<string, XsdBase>> = { string: 'string', int: 'int', dateTime: 'dateTime' };

function xs(el: XmlElement): string | undefined {
  return el.namespaceUri === NS.xsd ? el.name : undefined;
}

function typeRef(qname: string): TypeRef {
  const [prefix, local] = qname.includes(':') ? qname.split(':') as [string, string] : ['', qname];
  return prefix === 'xs' ? { builtin: true, name: local } : { builtin: false, name: local };
}

function unsupported(where: string, what: string): never {
  throw new Error(`customer.xsd: ${where} uses ${what}, which the JSON derivation (src/contract/) does not read yet`);
}

function readSimpleType(node: XmlElement): SimpleType {
  const name = attrValue(node, 'name') ?? unsupported('an anonymous simpleType', 'no name');
  const [body] = childElements(node).filter((c) => xs(c) !== 'annotation');
  if (body === undefined) unsupported(name, 'an empty simpleType');
  if (xs(body) === 'union') {
    const union = (attrValue(body, 'memberTypes') ?? '').split(/\s+/).filter(Boolean).map(typeRef);
    return { name, base: 'string', patterns: [], union };
  }
  if (xs(body) !== 'restriction') unsupported(name, `xs:${body.name}`);
  const base = BUILTINS[typeRef(attrValue(body, 'base') ?? '').name] ?? unsupported(name, `base ${attrValue(body, 'base')}`);
  const t: { -readonly [K in keyof SimpleType]: SimpleType[K] } = { name, base, patterns: [] };
  const enumeration: string[] = [];
  for (const facet of childElements(body)) {
    const value = attrValue(facet, 'value') ?? '';
    switch (xs(facet)) {
      case 'minLength': t.minLength = Number(value); break;
      case 'maxLength': t.maxLength = Number(value); break;
      case 'length': t.length = Number(value); break;
      case 'pattern': t.patterns = [...t.patterns, value]; break;
      case 'enumeration': enumeration.push(value); break;
      case 'minInclusive': t.minInclusive = Number(value); break;
      case 'maxInclusive': t.maxInclusive = Number(value); break;
      case 'annotation': break;
      default: unsupported(name, `facet xs:${facet.name}`);
    }
  }
  if (enumeration.length > 0) t.enumeration = enumeration;
  return t;
}

function occurs(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return value === 'unbounded' ? Infinity : Number(value);
}

function readComplexType(name: string, node: XmlElement): ComplexType {
  const members: Member[] = [];
  let choice = false;
  for (const part of childElements(node)) {
    switch (xs(part)) {
      case 'sequence':
      case 'choice':
        choice = xs(part) === 'choice';
        for (const e of childElements(part)) {
          if (xs(e) !== 'element') unsupported(name, `xs:${e.name} inside xs:${part.name}`);
          const type = attrValue(e, 'type') ?? unsupported(`${name}/${attrValue(e, 'name')}`, 'an anonymous type');
          members.push({
            name: attrValue(e, 'name') ?? unsupported(name, 'an element without a name'),
            kind: 'element',
            type: typeRef(type),
            minOccurs: occurs(attrValue(e, 'minOccurs'), 1),
            maxOccurs: occurs(attrValue(e, 'maxOccurs'), 1),
          });
        }
        break;
      case 'attribute': {
        const use = attrValue(part, 'use') ?? 'optional';
        members.push({
          name: attrValue(part, 'name') ?? unsupported(name, 'an attribute without a name'),
          kind: 'attribute',
          type: typeRef(attrValue(part, 'type') ?? unsupported(name, 'an attribute without a type')),
          minOccurs: use === 'required' ? 1 : 0,
          maxOccurs: 1,
        });
        break;
      }
      case 'annotation': break;
      default: unsupported(name, `xs:${part.name}`);
    }
  }
  return { name, members, choice };
}

/** The model of an XSD document (customer.xsd as bytes). */
export function readXsdModel(xsd: Uint8Array): XsdModel {
  const doc = parseXml(xsd);
  try {
    const simpleTypes = new Map<string, SimpleType>();
    const complexTypes = new Map<string, ComplexType>();
    const elements = new Map<string, string>();
    for (const node of childElements(doc.root)) {
      switch (xs(node)) {
        case 'simpleType': {
          const t = readSimpleType(node);
          simpleTypes.set(t.name, t);
          break;
        }
        case 'complexType': {
          const name = attrValue(node, 'name') ?? unsupported('a global complexType', 'no name');
          complexTypes.set(name, readComplexType(name, node));
          break;
        }
        case 'element': {
          const name = attrValue(node, 'name') ?? unsupported('a global element', 'no name');
          const type = attrValue(node, 'type');
          const anonymous = childElements(node).find((c) => xs(c) === 'complexType');
          if (type !== undefined) elements.set(name, typeRef(type).name);
          else if (anonymous !== undefined) {
            complexTypes.set(name, readComplexType(name, anonymous));
            elements.set(name, name);
          }
          break;
        }
        default: break;
      }
    }
    return { simpleTypes, complexTypes, elements };
  } finally {
    doc.dispose();
  }
}
