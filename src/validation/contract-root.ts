// The one check that an element is the contract element a reader expects
// (a document's root, a batch's record): in the contract namespace, with the
// expected name. Every reader asks here, so the rule and its message are one.
import { ValidationFailedError } from '../errors.js';
import { NS } from '../xml/namespaces.js';
import type { XmlElement } from '../xml/dom.js';

/** The element's name when it is in the contract namespace. */
export function contractName(element: XmlElement): string | undefined {
  return element.namespaceUri === NS.crm ? element.name : undefined;
}

/** Whether `found` is the contract's `expected` element. */
export function isContractElement(found: XmlElement | undefined, expected: string): found is XmlElement {
  return found !== undefined && contractName(found) === expected;
}

/** What to say when `found` is not the contract's `expected` element (a document's root or a batch's record). */
export function unexpectedElement(found: XmlElement | undefined, expected: string, what: 'document' | 'record'): string {
  return `Expected a {${NS.crm}}${expected} ${what}, found ${found === undefined ? 'nothing' : `{${found.namespaceUri}}${found.name}`}`;
}

/** VALIDATION_FAILED unless `root` is the contract's `expected` document. */
export function expectRoot(root: XmlElement | undefined, expected: string): asserts root is XmlElement {
  if (!isContractElement(root, expected)) throw new ValidationFailedError(unexpectedElement(root, expected, 'document'));
}
