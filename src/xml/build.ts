// Building XML: element helpers over xml-tree.ts, which escapes by
// construction. Every payload element is in the contract namespace (el);
// elIn() is for the operator documents that have a namespace of their own.
import { NS } from './namespaces.js';
import { XmlNode } from './xml-tree.js';

export type { XmlNode };

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A document under construction: append its root element to it. */
export class XmlDocumentBuilder {
  private root: XmlNode | undefined;

  ele(nsOrName: string, qname?: string): XmlNode {
    this.root = qname === undefined ? XmlNode.root(undefined, nsOrName) : XmlNode.root(nsOrName, qname);
    return this.root;
  }

  toXml(): string {
    return `${DECLARATION}${this.root?.toXml() ?? ''}`;
  }
}

/** Anything an element can be appended to: a document or an element. */
export type XmlParent = XmlNode | XmlDocumentBuilder;

export function newDocument(): XmlDocumentBuilder {
  return new XmlDocumentBuilder();
}

/** Appends <local> in the contract namespace; with `text`, as its content. */
export function el(parent: XmlParent, local: string, text?: string | number): XmlNode {
  return elIn(NS.crm, parent, local, text);
}

/** Appends <local> in namespace `ns`; with `text`, as its content. */
export function elIn(ns: string, parent: XmlParent, local: string, text?: string | number): XmlNode {
  const child = parent.ele(ns, local);
  if (text !== undefined) child.txt(String(text));
  return child;
}

/** Appends <local> only when `value` is defined ('' gives an empty element). */
export function optEl(parent: XmlParent, local: string, value: string | number | undefined): void {
  if (value !== undefined) el(parent, local, value);
}

export function serialize(doc: XmlDocumentBuilder): Buffer {
  return Buffer.from(doc.toXml(), 'utf8');
}

const CONTRACT_SCOPE: ReadonlyMap<string, string> = new Map([['', NS.crm]]);

/**
 * What `write` appends to a contract-namespace parent, as text: pieces of a
 * document that is streamed rather than built whole (the streamed root
 * declares the namespace, so the pieces carry no xmlns of their own).
 */
export function fragment(write: (parent: XmlNode) => void): string {
  const holder = XmlNode.root(NS.crm, 'holder');
  write(holder);
  return holder.childrenXml(CONTRACT_SCOPE);
}

/** The start of a streamed document: declaration and root start tag (in the contract namespace). */
export function streamStart(root: string, attributes: Readonly<Record<string, string | undefined>> = {}): string {
  const start = XmlNode.root(NS.crm, root);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) start.att(k, v);
  const xml = start.toXml();
  return `${DECLARATION}\n${xml.slice(0, -2)}>`;
}

export function streamEnd(root: string): string {
  return `</${root}>\n`;
}
