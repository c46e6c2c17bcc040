// Building XML: element helpers over xmlbuilder2, which escapes by construction.
// Every payload element is in the contract namespace.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { NS } from './namespaces.js';

export type XmlNode = XMLBuilder;

export function newDocument(): XmlNode {
  return create({ version: '1.0', encoding: 'UTF-8' });
}

/** Appends <local> in the contract namespace; with `text`, as its content. */
export function el(parent: XmlNode, local: string, text?: string | number): XmlNode {
  const child = parent.ele(NS.crm, local);
  if (text !== undefined) child.txt(String(text));
  return child;
}

/** Appends <local> only when `value` is defined ('' gives an empty element). */
export function optEl(parent: XmlNode, local: string, value: string | number | undefined): void {
  if (value !== undefined) el(parent, local, value);
}

export function serialize(doc: XmlNode): Buffer {
  return Buffer.from(doc.end({ prettyPrint: false }), 'utf8');
}
