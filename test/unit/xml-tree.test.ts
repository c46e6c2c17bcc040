// The element tree every answer is written with escapes by construction: text
// and attribute values come out as XML that reads back as what was put in,
// whether or not they needed escaping (most skip it after one test).
import { expect } from 'chai';
import { XmlNode } from '../../src/xml/xml-tree.js';

function withAttribute(value: string): string {
  return XmlNode.root(undefined, 'a').att('v', value).toXml();
}

function withText(text: string): string {
  return XmlNode.root(undefined, 'a').txt(text).toXml();
}

describe('xml-tree escaping', () => {
  it('writes plain text and attribute values as they are', () => {
    expect(withText('Zoë Müller #42 > 3')).to.equal('<a>Zoë Müller #42 &gt; 3</a>');
    expect(withAttribute("BILLING 'x' > y")).to.equal(`<a v="BILLING 'x' > y"/>`);
  });

  it('escapes markup in text', () => {
    expect(withText('a & b < c')).to.equal('<a>a &amp; b &lt; c</a>');
  });

  it('escapes markup, quotes and white space that an attribute value would otherwise lose', () => {
    expect(withAttribute('a & b')).to.equal('<a v="a &amp; b"/>');
    expect(withAttribute('a < b')).to.equal('<a v="a &lt; b"/>');
    expect(withAttribute('a\tb')).to.equal('<a v="a&#9;b"/>');
    expect(withAttribute('a\nb')).to.equal('<a v="a&#10;b"/>');
    expect(withAttribute('a\rb')).to.equal('<a v="a&#13;b"/>');
    expect(withAttribute('a"b')).to.equal('<a v="a&quot;b"/>');
  });

  it('replaces characters XML cannot carry, and keeps characters outside the BMP', () => {
    expect(withText('bell\u0007 lone\uD800 pair\u{1F600}')).to.equal('<a>bell\uFFFD lone\uFFFD pair\u{1F600}</a>');
    expect(withAttribute('bell\u0007 lone\uDC00 pair\u{1F600}')).to.equal('<a v="bell\uFFFD lone\uFFFD pair\u{1F600}"/>');
  });
});
