// The same CustomerBatch laid out the ways files reach an import: as the bench
// generator writes it (one record a line), all on one line, pretty-printed
// with deep indentation, with CRLF line ends, behind a UTF-8 byte-order mark,
// with comments and processing instructions between the records, and without
// an XML declaration. An import must read each at the same speed and memory
// (issue 15), so the bench and the tests build every layout from one list of
// records and compare them.

export const LAYOUTS = ['generator', 'one-line', 'pretty', 'crlf', 'bom', 'comments', 'no-declaration'] as const;
export type Layout = (typeof LAYOUTS)[number];

const NS = 'urn:crm-bridge:customer:v1';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
/** Eight spaces a level: a record's leaves start at column 33, its root at 9. */
const INDENT = '        ';

export interface LayoutWriter {
  /** Everything before the first record (declaration, BOM, root start tag). */
  readonly head: string;
  /** Record `n` (0-based) as it stands in the file, with what separates it from the next. */
  record(xml: string, n: number): string;
  /** The root's end tag and what follows it. */
  readonly tail: string;
}

/** `rootAttributes` is added to the root start tag as written (e.g. ` batchId="x"`). */
export function layoutWriter(layout: Layout, rootAttributes = ''): LayoutWriter {
  const root = `<CustomerBatch xmlns="${NS}"${rootAttributes}>`;
  switch (layout) {
    case 'generator':
      return { head: `${DECLARATION}\n${root}\n`, record: (xml) => `${xml}\n`, tail: '</CustomerBatch>\n' };
    case 'one-line':
      return { head: `${DECLARATION}${root}`, record: (xml) => xml, tail: '</CustomerBatch>' };
    case 'pretty':
      return { head: `${DECLARATION}\n${root}\n`, record: (xml) => prettyPrint(xml, 1, '\n'), tail: '</CustomerBatch>\n' };
    case 'crlf':
      return { head: `${DECLARATION}\r\n${root}\r\n`, record: (xml) => prettyPrint(xml, 1, '\r\n'), tail: '</CustomerBatch>\r\n' };
    case 'bom':
      return { head: `\uFEFF${DECLARATION}\n${root}\n`, record: (xml) => `${xml}\n`, tail: '</CustomerBatch>\n' };
    case 'comments':
      return {
        head: `${DECLARATION}\n<!-- exported by ERP -->\n${root}\n`,
        record: (xml, n) => `<!-- record ${n + 1} -->\n<?erp-sequence ${n + 1}?>\n${xml}\n`,
        tail: '<!-- end -->\n</CustomerBatch>\n<!-- trailer -->\n',
      };
    case 'no-declaration':
      return { head: `${root}\n`, record: (xml) => `${xml}\n`, tail: '</CustomerBatch>\n' };
  }
}

/** A whole document of `records` (each a `<customer>` element as text) in `layout`. */
export function layoutDocument(layout: Layout, records: readonly string[], rootAttributes = ''): string {
  const w = layoutWriter(layout, rootAttributes);
  return w.head + records.map((xml, n) => w.record(xml, n)).join('') + w.tail;
}

const TOKEN = /<[^>]*>|[^<]+/g;

/**
 * Element-only XML (no mixed content, as a customer record is) with each
 * element on a line of its own, indented by depth; a leaf keeps its text on
 * its line. Text that is only whitespace is dropped.
 */
export function prettyPrint(xml: string, depth: number, newline: string): string {
  const tokens = xml.match(TOKEN) ?? [];
  let out = '';
  let level = depth;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (!t.startsWith('<')) continue;
    if (t.startsWith('</')) {
      level -= 1;
      out += `${INDENT.repeat(level)}${t}${newline}`;
      continue;
    }
    if (t.endsWith('/>') || t.startsWith('<?') || t.startsWith('<!')) {
      out += `${INDENT.repeat(level)}${t}${newline}`;
      continue;
    }
    const text = tokens[i + 1];
    const end = tokens[i + 2];
    if (text !== undefined && !text.startsWith('<') && end !== undefined && end.startsWith('</')) {
      out += `${INDENT.repeat(level)}${t}${text}${end}${newline}`;
      i += 2;
      continue;
    }
    if (text !== undefined && text.startsWith('</')) {
      out += `${INDENT.repeat(level)}${t}${text}${newline}`;
      i += 1;
      continue;
    }
    out += `${INDENT.repeat(level)}${t}${newline}`;
    level += 1;
  }
  return out;
}
