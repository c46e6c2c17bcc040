// Small, typed reads over a parsed message. The schema has already checked
// shape and types, so these only navigate; they never re-validate.
//
// Why not libxml2-wasm's own node classes: every step (firstChild, next,
// attr) builds a new wrapper through a Map of decorated classes whose
// prototypes are patched with mixins, and V8 kept deoptimising and
// recompiling those paths under load ("dependency change", hundreds of
// recompiles a second in compiler threads). Reading a CreateCustomer
// envelope through them cost ~50 µs; through libxml2's structs directly it
// costs ~10 µs (measured in docs/performance.md, "Where the time goes"). So this
// module reads libxml2's node structs with the accessors libxml2-wasm itself
// uses (lib/libxml2.mjs), and it is the only module that knows them; the
// version is pinned exactly in package.json because these are not its
// public API, and test/xml-dom.test.ts checks every read against the public one.
import { XmlElement as LibraryElement, type XmlDocument as LibraryDocument } from 'libxml2-wasm';
import {
  XmlNodeStruct,
  XmlNsStruct,
  XmlTreeCommonStruct,
  xmlNodeGetContent,
} from 'libxml2-wasm/lib/libxml2.mjs';

const ELEMENT_NODE = 1;

/** An element of a parsed document; valid until that document is disposed. */
export class XmlElement {
  constructor(readonly ptr: number) {}

  /** The local name (libxml2 keeps the prefix apart). */
  get name(): string {
    return XmlTreeCommonStruct.name_(this.ptr);
  }

  /** '' when the element is in no namespace. */
  get namespaceUri(): string {
    return namespaceOf(this.ptr);
  }

  /** The concatenated text of the element and its descendants. */
  get content(): string {
    return xmlNodeGetContent(this.ptr);
  }
}

/** A parsed message; dispose() frees libxml2's copy, after which no element of it may be read. */
export class XmlDocument {
  readonly root: XmlElement;

  constructor(private readonly library: LibraryDocument) {
    this.root = new XmlElement(libraryPointer(library.root));
  }

  dispose(): void {
    this.library.dispose();
  }
}

export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = XmlTreeCommonStruct.children(el.ptr); n !== 0; n = XmlTreeCommonStruct.next(n)) {
    if (XmlTreeCommonStruct.type(n) === ELEMENT_NODE) out.push(new XmlElement(n));
  }
  return out;
}

/** The text of the first child element named `local`, or undefined when absent. */
export function childText(el: XmlElement, local: string): string | undefined {
  for (let n = XmlTreeCommonStruct.children(el.ptr); n !== 0; n = XmlTreeCommonStruct.next(n)) {
    if (XmlTreeCommonStruct.type(n) === ELEMENT_NODE && XmlTreeCommonStruct.name_(n) === local) return xmlNodeGetContent(n);
  }
  return undefined;
}

/** The value of the unqualified attribute `name` (as XML gives unprefixed attributes no namespace). */
export function attrValue(el: XmlElement, name: string): string | undefined {
  return attribute(el, '', name);
}

/** The value of attribute {ns}local, whatever prefix the sender bound to ns. */
export function attrValueNs(el: XmlElement, ns: string, local: string): string | undefined {
  return attribute(el, ns, local);
}

/** The namespaces declared on this element itself, by prefix ('' = the default namespace). */
export function nsDeclarations(el: XmlElement): Record<string, string> {
  const declared: Record<string, string> = {};
  for (let ns = XmlNodeStruct.nsDef(el.ptr); ns !== 0; ns = XmlNsStruct.next(ns)) declared[XmlNsStruct.prefix(ns)] = XmlNsStruct.href(ns);
  return declared;
}

function attribute(el: XmlElement, ns: string, local: string): string | undefined {
  for (let a = XmlNodeStruct.properties(el.ptr); a !== 0; a = XmlTreeCommonStruct.next(a)) {
    if (XmlTreeCommonStruct.name_(a) === local && namespaceOf(a) === ns) return xmlNodeGetContent(a);
  }
  return undefined;
}

function namespaceOf(ptr: number): string {
  const ns = XmlNodeStruct.namespace(ptr);
  return ns === 0 ? '' : XmlNsStruct.href(ns);
}

/**
 * The same element as libxml2-wasm's class, for its XsdValidator, which reads
 * nothing of it but the node pointer. Built without its node factory (not
 * exported), hence the prototype and the field it reads.
 */
export function libraryElement(el: XmlElement): LibraryElement {
  const element = Object.create(LibraryElement.prototype) as LibraryElement & { _nodePtr: number };
  element._nodePtr = el.ptr;
  return element;
}

function libraryPointer(el: LibraryElement): number {
  return (el as unknown as { _nodePtr: number })._nodePtr;
}
