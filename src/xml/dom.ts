// Small, typed reads over a parsed message. The schema has already checked
// shape and types, so these only navigate; they never re-validate.
import { XmlElement } from 'libxml2-wasm';

export type { XmlDocument } from 'libxml2-wasm';
export { XmlElement };

export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = el.firstChild; n !== null; n = n.next) {
    if (n instanceof XmlElement) out.push(n);
  }
  return out;
}

export function nsOf(el: XmlElement): string {
  return el.namespaceUri;
}

/** The text of the first child element named `local`, or undefined when absent. */
export function childText(el: XmlElement, local: string): string | undefined {
  for (let n = el.firstChild; n !== null; n = n.next) {
    if (n instanceof XmlElement && n.name === local) return n.content;
  }
  return undefined;
}

export function attrValue(el: XmlElement, name: string): string | undefined {
  return el.attr(name)?.value ?? undefined;
}

/** The value of attribute {ns}local, whatever prefix the sender bound to ns. */
export function attrValueNs(el: XmlElement, ns: string, local: string): string | undefined {
  const attr = el.attrs.find((a) => a.name === local && a.namespaceUri === ns);
  return attr?.value;
}
