// Small batch documents that each hold one thing a streamed CustomerBatch can
// contain and a record cutter can get wrong (entities, CDATA, comments and PIs
// holding tags, namespaces, encodings, line ends, broken records), with what
// XML 1.0 and Namespaces in XML say the right outcome is: the records and the
// line and column where each starts, or the first fatal error and where it is.

const NS = 'urn:crm-bridge:customer:v1';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const ROOT = `<CustomerBatch xmlns="${NS}">`;

export interface CorpusCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** Where each record starts, 1-based line and column (columns in characters). */
  readonly records: readonly (readonly [number, number])[];
  /** Exact record texts, where getting them right is the point of the case. */
  readonly texts?: readonly string[];
  /**
   * The first fault: its line and the columns of the construct at fault (a
   * parser may see it at any character of it), and the 1-based record it is
   * inside, if any (the record's own parse can report it).
   */
  readonly error?: { readonly line: number; readonly column: number; readonly columnTo: number; readonly inRecord?: number; readonly what: string };
  /** Text every record cut must hold (what a misread encoding loses). */
  readonly mustContain?: string;
  /** A fatal error before any record is also right: the encoding may be refused, never misread. */
  readonly refusalIsRight?: boolean;
  /** What XML 1.0 / Namespaces in XML make of it, in words. */
  readonly right: string;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

export const CORPUS: readonly CorpusCase[] = [
  {
    name: 'entities &amp; &lt; &#x20AC;',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name>A &amp; B &lt;C&gt; &#x20AC;</name></customer>\n</CustomerBatch>\n`),
    records: [[3, 1]],
    texts: ['<customer><name>A &amp; B &lt;C&gt; &#x20AC;</name></customer>'],
    right: 'well-formed; one record at 3:1',
  },
  {
    name: 'an undefined entity (&nbsp;)',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name>a&nbsp;b</name></customer>\n<customer><name>c</name></customer>\n</CustomerBatch>\n`),
    records: [[3, 1], [4, 1]],
    error: { line: 3, column: 18, columnTo: 23, inRecord: 1, what: 'WFC Entity Declared' },
    right: 'fatal error at 3:18-23 (WFC: Entity Declared), inside record 1',
  },
  {
    name: 'CDATA holding <, > and </customer>',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name><![CDATA[a < b > c </customer> <customer>]]></name></customer><customer/>\n</CustomerBatch>\n`),
    records: [[3, 1], [3, 79]],
    texts: ['<customer><name><![CDATA[a < b > c </customer> <customer>]]></name></customer>', '<customer/>'],
    right: 'well-formed; records at 3:1 and 3:79',
  },
  {
    name: 'comments and PIs holding <customer>, between and inside records',
    bytes: utf8(`${DECL}\n${ROOT}\n<!-- <customer> -->\n<?erp <customer>?>\n<customer><name>x<!-- </customer> --><?pi </customer>?></name></customer>\n</CustomerBatch>\n`),
    records: [[5, 1]],
    texts: ['<customer><name>x<!-- </customer> --><?pi </customer>?></name></customer>'],
    right: 'well-formed; one record at 5:1',
  },
  {
    name: 'attribute values holding > and />',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer note="a>b" other='c/>'><name x="/>">y</name></customer><customer a="/>"/>\n</CustomerBatch>\n`),
    records: [[3, 1], [3, 66]],
    texts: [`<customer note="a>b" other='c/>'><name x="/>">y</name></customer>`, '<customer a="/>"/>'],
    right: 'well-formed; records at 3:1 and 3:66',
  },
  {
    name: 'prefixed namespace declared on the root',
    bytes: utf8(`${DECL}\n<b:CustomerBatch xmlns:b="${NS}">\n  <b:customer><b:name>x</b:name></b:customer>\n</b:CustomerBatch>\n`),
    records: [[3, 3]],
    right: 'namespace-well-formed; one record at 3:3',
  },
  {
    name: 'prefixed namespace declared on the record',
    bytes: utf8(`${DECL}\n<CustomerBatch xmlns="${NS}">\n  <c:customer xmlns:c="${NS}"><c:name>x</c:name></c:customer>\n</CustomerBatch>\n`),
    records: [[3, 3]],
    right: 'namespace-well-formed; one record at 3:3',
  },
  {
    name: 'default namespace redeclared on a record',
    bytes: utf8(`${DECL}\n${ROOT}\n  <customer xmlns="urn:other"><name>x</name></customer>\n</CustomerBatch>\n`),
    records: [[3, 3]],
    right: 'namespace-well-formed; one record at 3:3, in urn:other (the schema, not the cutter, refuses it)',
  },
  {
    name: 'an undeclared prefix on a record',
    bytes: utf8(`${DECL}\n${ROOT}\n  <x:customer><x:name>x</x:name></x:customer>\n</CustomerBatch>\n`),
    records: [[3, 3]],
    error: { line: 3, column: 3, columnTo: 14, inRecord: 1, what: 'NSC Prefix Declared' },
    right: 'not namespace-well-formed at 3:3-14 (NSC: Prefix Declared), inside record 1',
  },
  {
    name: 'a UTF-8 byte-order mark',
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(`${DECL}\n${ROOT}\n<customer><name>x</name></customer>\n</CustomerBatch>\n`)]),
    records: [[3, 1]],
    right: 'well-formed (the BOM is not part of the text); one record at 3:1',
  },
  {
    name: 'encoding="UTF-8" declared',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name>Müller €</name></customer>\n</CustomerBatch>\n`),
    records: [[3, 1]],
    texts: ['<customer><name>Müller €</name></customer>'],
    right: 'well-formed; one record at 3:1',
  },
  {
    name: 'no XML declaration',
    bytes: utf8(`${ROOT}\n<customer><name>Müller €</name></customer>\n</CustomerBatch>\n`),
    records: [[2, 1]],
    texts: ['<customer><name>Müller €</name></customer>'],
    right: 'well-formed (UTF-8 by default); one record at 2:1',
  },
  {
    name: 'encoding="ISO-8859-1" (é as byte E9)',
    bytes: Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${ROOT}\n<customer><name>Café</name></customer>\n</CustomerBatch>\n`, 'latin1'),
    records: [[3, 1]],
    texts: ['<customer><name>Café</name></customer>'],
    mustContain: 'Café',
    refusalIsRight: true,
    right: 'well-formed, name "Café"; a processor need not support ISO-8859-1, but then must stop with a fatal error (4.3.3), never misread it',
  },
  {
    name: 'UTF-16LE with a byte-order mark',
    bytes: Buffer.from(`\uFEFF<?xml version="1.0" encoding="UTF-16"?>\n${ROOT}\n<customer><name>Café</name></customer>\n</CustomerBatch>\n`, 'utf16le'),
    records: [[3, 1]],
    texts: ['<customer><name>Café</name></customer>'],
    mustContain: 'Café',
    right: 'well-formed; every processor MUST read UTF-16 (4.3.3); one record at 3:1',
  },
  {
    name: 'CRLF line ends',
    bytes: utf8(`${DECL}\r\n${ROOT}\r\n  <customer>\r\n    <name>x</name>\r\n  </customer>\r\n  <customer><name>y</name></customer>\r\n</CustomerBatch>\r\n`),
    records: [[3, 3], [6, 3]],
    right: 'CRLF is one line end (2.11); records at 3:3 and 6:3',
  },
  {
    name: 'CR-only line ends',
    bytes: utf8(`${DECL}\r${ROOT}\r  <customer>\r    <name>x</name>\r  </customer>\r  <customer><name>y</name></customer>\r</CustomerBatch>\r`),
    records: [[3, 3], [6, 3]],
    right: 'a lone CR is a line end too (2.11); records at 3:3 and 6:3',
  },
  {
    name: 'a character outside the BMP earlier on the line',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name>\u{1F600}</name></customer><customer/>\n</CustomerBatch>\n`),
    records: [[3, 1], [3, 36]],
    right: 'well-formed; records at 3:1 and 3:36 counting characters (XML defines no columns; editors count characters)',
  },
  {
    name: 'a mismatched end tag inside a record',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name>x</nme></customer>\n<customer><name>y</name></customer>\n</CustomerBatch>\n`),
    records: [[3, 1], [4, 1]],
    error: { line: 3, column: 18, columnTo: 23, inRecord: 1, what: 'WFC Element Type Match' },
    right: 'fatal error at 3:18-23 (WFC: Element Type Match), inside record 1',
  },
  {
    name: 'a missing end tag inside a record',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer><name>x</customer>\n<customer><name>y</name></customer>\n<customer><name>z</name></customer>\n</CustomerBatch>\n`),
    records: [[3, 1], [4, 1], [5, 1]],
    error: { line: 3, column: 18, columnTo: 28, inRecord: 1, what: 'WFC Element Type Match' },
    right: 'fatal error at 3:18-28 (</customer> closes <name>), inside record 1',
  },
  {
    name: 'text between records',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer/>\nstray\n<customer/>\n</CustomerBatch>\n`),
    records: [[3, 1], [5, 1]],
    error: { line: 4, column: 1, columnTo: 5, what: 'XSD: element-only content' },
    right: 'well-formed; the schema refuses the text (element-only content) at 4:1-5',
  },
  {
    name: '"--" inside a comment between records',
    bytes: utf8(`${DECL}\n${ROOT}\n<customer/>\n<!-- a -- b -->\n<customer/>\n</CustomerBatch>\n`),
    records: [[3, 1], [5, 1]],
    error: { line: 4, column: 8, columnTo: 10, what: 'production [15] Comment' },
    right: 'fatal error at 4:8-10: "--" may not occur inside a comment ([15])',
  },
  {
    name: 'a second root',
    bytes: utf8(`${DECL}\n${ROOT}<customer/></CustomerBatch>\n${ROOT}<customer/></CustomerBatch>\n`),
    records: [[2, 43]],
    error: { line: 3, column: 1, columnTo: 15, what: 'production [1] document' },
    right: 'fatal error at 3:1-15 (one root element only)',
  },
];
