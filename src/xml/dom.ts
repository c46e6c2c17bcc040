// Small, typed reads over a libxmljs2 DOM. The schema has already checked shape
// and types, so these only navigate; they never re-validate.
import type { Element, Node } from 'libxmljs2';

export function isElement(node: Node): node is Element {
  return node.type() === 'element';
}

export function childElements(el: Element): Element[] {
  return el.childNodes().filter(isElement);
}

export function nsOf(el: Element): string | undefined {
  return el.namespace()?.href() ?? undefined;
}

/** The text of the first child element named `local`, or undefined when absent. */
export function childText(el: Element, local: string): string | undefined {
  const child = childElements(el).find((c) => c.name() === local);
  return child === undefined ? undefined : child.text();
}

export function attrValue(el: Element, name: string): string | undefined {
  return el.attr(name)?.value() ?? undefined;
}

/** The value of attribute {ns}local, whatever prefix the sender bound to ns. */
export function attrValueNs(el: Element, ns: string, local: string): string | undefined {
  const attr = el.attrs().find((a) => a.name() === local && a.namespace()?.href() === ns);
  return attr?.value() ?? undefined;
}
