// XSD patterns as ECMAScript (src/contract/xsd-regex.ts), held against
// libxml2 itself: each pattern is compiled into a one-type schema and every
// sample must get the same answer from libxml2 and from the translation (as
// Ajv runs it, flag u). The samples aim at what differs between the two
// dialects: anchoring, ^ and $ as characters, \s \d \w \i \c, ., class
// subtraction, astral characters.
import { expect } from 'chai';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { xsdPatternToEcma, XsdPatternError } from '../../src/contract/xsd-regex.js';
import { NS } from '../../src/xml/namespaces.js';

function libxml2Accepts(pattern: string): (value: string) => boolean {
  const attr = pattern.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  const schema = XmlDocument.fromString(`<xs:schema xmlns:xs="${NS.xsd}" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
    <xs:element name="v"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="${attr}"/></xs:restriction></xs:simpleType></xs:element></xs:schema>`);
  const validator = XsdValidator.fromDoc(schema);
  schema.dispose();
  return (value) => {
    const text = [...value].map((c) => `&#${c.codePointAt(0)};`).join('');
    const doc = XmlDocument.fromString(`<v xmlns="urn:t">${text}</v>`);
    try {
      validator.validate(doc);
      return true;
    } catch {
      return false;
    } finally {
      doc.dispose();
    }
  };
}

const SAMPLES = ['', 'a', 'ab', 'abc', 'A', 'AB', 'Z9', '1', '12', '٣', '١٢', ' ', '\t', '\n', '\r', '\u00A0', '\u2028', 'a b', '^a', 'a$', '$', '^', '.', '-', 'a-b', 'é', '😀', '😀😀', 'x@y.z', 'a@b', '_x', ':x', '1x', 'x1', 'x.y', 'x-y', '·', 'b', 'e', 'z', 'aeiou', 'bcd', '[', ']', '\\', 'a.b', 'A1-'];

const PATTERNS = [
  '[A-Z]{2}',
  '[^@\\s]+@[^@\\s]+\\.[^@\\s]+',
  '\\d+',
  '\\d{4}-\\d{2}',
  '\\D',
  '\\s',
  '\\S+',
  '\\w+',
  '\\W',
  '.',
  '.*',
  'a|b',
  '(ab)+',
  '^a',
  'a$',
  '\\i\\c*',
  '[\\i-[:]][\\c-[:]]*',
  '[a-z-[aeiou]]+',
  '[^a-z-[bc]]',
  '[\\-a]+',
  '[\\S]',
  '[^\\S]',
  '[\\sa]+',
  '[\\w-[a]]+',
  '[^\\i]',
  'a\\-b',
  '[a-]',
  '\\p{Lu}\\p{Nd}',
  '\\P{L}',
  '[\\p{L}\\d]+',
  '😀{2}',
  '[\\^$]',
  '\\.\\\\',
  'a{2,}',
  'a{0,1}b?',
];

describe('XSD patterns as ECMAScript (contract/xsd-regex.ts)', () => {
  for (const pattern of PATTERNS) {
    it(`${pattern} -> ${xsdPatternToEcma(pattern)} decides as libxml2 does`, () => {
      const xsd = libxml2Accepts(pattern);
      const ecma = new RegExp(xsdPatternToEcma(pattern), 'u');
      const differ = SAMPLES.filter((s) => xsd(s) !== ecma.test(s)).map((s) => `${JSON.stringify(s)}: libxml2 ${xsd(s)}`);
      expect(differ).to.deep.equal([]);
    });
  }

  it('refuses what ECMAScript cannot say, naming it, rather than translating it loosely', () => {
    expect(() => xsdPatternToEcma('\\p{IsBasicLatin}')).to.throw(XsdPatternError, /block escape/);

    expect(() => xsdPatternToEcma('a)')).to.throw(XsdPatternError);
  });
});
