// A small namespace-aware element tree that escapes by construction. It
// replaces xmlbuilder2 on the response path: building and serialising a
// customer with it is several times cheaper (see docs/performance.md
// notes), and what it must do is little: elements, attributes, text, and an
// xmlns declaration wherever a prefix's namespace changes.

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
// Characters XML 1.0 cannot carry at all; they can only come from error texts quoting bad input.
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

type Child = XmlNode | string;

export class XmlNode {
  private readonly attributes: [name: string, value: string][] = [];
  private readonly children: Child[] = [];

  /** `ns` undefined: no namespace (an unqualified element). */
  private constructor(readonly qname: string, readonly ns: string | undefined) {}

  /** A detached element to build a document or a fragment under. */
  static root(ns: string | undefined, qname: string): XmlNode {
    return new XmlNode(qname, ns);
  }

  /** ele(ns, qname) appends a namespaced element; ele(name) an unqualified one. */
  ele(nsOrName: string, qname?: string): XmlNode {
    const child = qname === undefined ? new XmlNode(nsOrName, undefined) : new XmlNode(qname, nsOrName);
    this.children.push(child);
    return child;
  }

  txt(text: string): this {
    this.children.push(text);
    return this;
  }

  /** att(name, value), or att(ns, qname, value) for xml:lang (the only namespaced attribute written). */
  att(nameOrNs: string, nameOrValue: string, value?: string): this {
    if (value === undefined) this.attributes.push([nameOrNs, nameOrValue]);
    else if (nameOrNs === XML_NS) this.attributes.push([nameOrValue, value]);
    else throw new Error(`unsupported attribute namespace ${nameOrNs}`);
    return this;
  }

  /** The element as text; `scope` maps prefixes ('' = default) to the namespaces in scope around it. */
  toXml(scope: ReadonlyMap<string, string | undefined> = new Map()): string {
    const colon = this.qname.indexOf(':');
    const prefix = colon < 0 ? '' : this.qname.slice(0, colon);
    let open = `<${this.qname}`;
    let inner = scope;
    if (scope.get(prefix) !== this.ns && !(prefix === '' && this.ns === undefined && !scope.get(''))) {
      open += prefix === '' ? ` xmlns="${escapeAttr(this.ns ?? '')}"` : ` xmlns:${prefix}="${escapeAttr(this.ns ?? '')}"`;
      inner = new Map(scope).set(prefix, this.ns);
    }
    for (const [name, value] of this.attributes) open += ` ${name}="${escapeAttr(value)}"`;
    if (this.children.length === 0) return `${open}/>`;
    return `${open}>${this.childrenXml(inner)}</${this.qname}>`;
  }

  /** The children as text, in a scope where the default namespace is `defaultNs` (for streamed fragments). */
  childrenXml(scope: ReadonlyMap<string, string | undefined>): string {
    let out = '';
    for (const c of this.children) out += typeof c === 'string' ? escapeText(c) : c.toXml(scope);
    return out;
  }
}

// Most text and attribute values need no escaping at all: test once, rewrite
// only when needed (the export writes an address type attribute ~2M times).
const TEXT_SPECIAL = /[&<>\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s.replace(NOT_XML, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const ATTR_SPECIAL = /[&<"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s
    .replace(NOT_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('"', '&quot;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
