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

const HOLDER_OPEN = `<f xmlns="${NS.crm}">`;
const HOLDER_CLOSE = '</f>';

/**
 * What `write` appends to a contract-namespace parent, as text without that
 * parent: pieces of a document that is streamed rather than built whole. The
 * holder declares the namespace, so the pieces carry no xmlns of their own.
 */
export function fragment(write: (parent: XmlNode) => void): string {
  const holder = create().ele(NS.crm, 'f');
  write(holder);
  const text = holder.end({ headless: true });
  return text.startsWith(HOLDER_OPEN) ? text.slice(HOLDER_OPEN.length, -HOLDER_CLOSE.length) : '';
}

/** The start of a streamed document: declaration and root start tag (in the contract namespace). */
export function streamStart(root: string, attributes: Readonly<Record<string, string | undefined>> = {}): string {
  const attrs = Object.entries(attributes)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS.crm}"${attrs}>`;
}

export function streamEnd(root: string): string {
  return `</${root}>\n`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;').replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
