// The message reader reads libxml2's node structs directly (src/xml/dom.ts).
// These tests hold every read against libxml2-wasm's public node API on the
// same documents, so an upgrade that moves a struct field fails here, not in
// production.
import { expect } from 'chai';
import { XmlDocument as LibraryDocument, XmlElement as LibraryElement, XsdValidator } from 'libxml2-wasm';
import {
  attrValue,
  attrValueNs,
  childElements,
  childText,
  libraryElement,
  nsDeclarations,
  type XmlElement,
} from '../../src/xml/dom.js';
import { parseXml } from '../../src/xml/parse-xml.js';

const DOC = `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="urn:test:envelope" xmlns="urn:test:default" xmlns:other="urn:test:other">
  <!-- a comment between elements -->
  <s:Header><h other:mustUnderstand="1" mustUnderstand="0" xml:lang="de"/></s:Header>
  <s:Body>
    <Op>
      <name>Müller &amp; Söhne &#x1F600;<![CDATA[ <raw> ]]></name>
      <?pi data?>
      <empty/>
      <nested>a<b>b</b>c</nested>
      <plain xmlns="">no namespace</plain>
      <other:q type="BILLING">q</other:q>
    </Op>
  </s:Body>
</s:Envelope>`;

// By XPath: libxml2-wasm's processing-instruction node has no `next`, so its sibling walk stops there.
function libraryChildren(el: LibraryElement): LibraryElement[] {
  return el.find('./*').filter((n): n is LibraryElement => n instanceof LibraryElement);
}

/** Walks both trees side by side and compares everything dom.ts reads. */
function compare(ours: XmlElement, theirs: LibraryElement, path: string): number {
  expect(ours.name, path).to.equal(theirs.name);
  expect(ours.namespaceUri, path).to.equal(theirs.namespaceUri);
  expect(ours.content, path).to.equal(theirs.content);
  expect(nsDeclarations(ours), path).to.deep.equal(theirs.nsDeclarations);
  for (const a of theirs.attrs) {
    expect(attrValueNs(ours, a.namespaceUri, a.name), `${path}/@${a.name}`).to.equal(a.value);
    if (a.namespaceUri === '') expect(attrValue(ours, a.name), `${path}/@${a.name}`).to.equal(a.value);
  }
  const mine = childElements(ours);
  const theirsKids = libraryChildren(theirs);
  expect(mine.map((e) => e.name), path).to.deep.equal(theirsKids.map((e) => e.name));
  let compared = 1;
  mine.forEach((child, i) => {
    const other = theirsKids[i];
    if (other === undefined) throw new Error('unreachable: lengths compared above');
    expect(childText(ours, child.name), `${path}/${child.name} text`).to.equal(libraryChildren(theirs).find((e) => e.name === child.name)?.content);
    compared += compare(child, other, `${path}/${child.name}`);
  });
  return compared;
}

describe('Message reader (libxml2 node structs)', () => {
  it('reads names, namespaces, text, attributes and declarations exactly as libxml2-wasm does', () => {
    const bytes = Buffer.from(DOC, 'utf8');
    const ours = parseXml(bytes);
    const theirs = LibraryDocument.fromBuffer(bytes);
    try {
      expect(compare(ours.root, theirs.root, '')).to.equal(11);
    } finally {
      ours.dispose();
      theirs.dispose();
    }
  });

  it('tells absent from empty, and namespaced from unqualified attributes', () => {
    const doc = parseXml(Buffer.from(DOC, 'utf8'));
    try {
      const [header, body] = childElements(doc.root);
      if (header === undefined || body === undefined) throw new Error('envelope without header or body');
      const h = childElements(header)[0];
      if (h === undefined) throw new Error('no header block');
      expect(attrValue(h, 'mustUnderstand')).to.equal('0');
      expect(attrValueNs(h, 'urn:test:other', 'mustUnderstand')).to.equal('1');
      expect(attrValueNs(h, 'http://www.w3.org/XML/1998/namespace', 'lang')).to.equal('de');
      expect(attrValue(h, 'absent')).to.equal(undefined);
      const op = childElements(body)[0];
      if (op === undefined) throw new Error('no operation element');
      expect(childText(op, 'empty')).to.equal('');
      expect(childText(op, 'absent')).to.equal(undefined);
      expect(childText(op, 'name')).to.equal('Müller & Söhne \u{1F600} <raw> ');
      expect(nsDeclarations(doc.root)).to.deep.equal({ s: 'urn:test:envelope', '': 'urn:test:default', other: 'urn:test:other' });
    } finally {
      doc.dispose();
    }
  });

  it('hands the validator the very element it was given', () => {
    const schema = LibraryDocument.fromString(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:default" elementFormDefault="qualified">
      <xs:element name="q"><xs:complexType><xs:simpleContent><xs:extension base="xs:int"/></xs:simpleContent></xs:complexType></xs:element>
    </xs:schema>`);
    const validator = XsdValidator.fromDoc(schema);
    const doc = parseXml(Buffer.from('<r xmlns="urn:test:default"><q>1</q><q>x</q></r>', 'utf8'));
    try {
      const [good, bad] = childElements(doc.root);
      if (good === undefined || bad === undefined) throw new Error('two children expected');
      expect(() => validator.validate(libraryElement(good))).not.to.throw();
      expect(() => validator.validate(libraryElement(bad))).to.throw(/'x' is not a valid value/);
    } finally {
      doc.dispose();
      validator.dispose();
      schema.dispose();
    }
  });
});
