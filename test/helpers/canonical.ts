// Canonical XML for comparisons: names as {ns}local, attributes sorted,
// whitespace-only text between elements dropped, prefixes ignored. Elements in
// `omit` (by local name) are left out, for server-assigned values.
import libxml from 'libxmljs2';
import type { Element, Node } from 'libxmljs2';

export function canonical(node: Element, omit: readonly string[] = []): string {
  const ns = node.namespace()?.href() ?? '';
  const attrs = node
    .attrs()
    .map((a) => `${a.namespace()?.href() ?? ''}:${a.name()}=${JSON.stringify(a.value())}`)
    .sort()
    .join(' ');
  const children = node.childNodes();
  const elements = children.filter((c): c is Element => c.type() === 'element');
  const inner =
    elements.length > 0
      ? elements.filter((c) => !omit.includes(c.name())).map((c) => canonical(c, omit)).join('')
      : JSON.stringify(children.filter((c: Node) => (c.type() as string) === 'text' || (c.type() as string) === 'cdata').map((c) => (c as unknown as { text(): string }).text()).join(''));
  return `<{${ns}}${node.name()}${attrs ? ` ${attrs}` : ''}>${inner}</>`;
}

export function canonicalXml(xml: string, omit: readonly string[] = []): string {
  const root = libxml.parseXml(xml).root();
  if (root === null) throw new Error('no root');
  return canonical(root, omit);
}
