// The ServiceFault element: the detail of every SOAP fault and the body of
// every XML-over-HTTP error.
import type { Fault } from '../fault.js';
import { el, newDocument, serialize, type XmlParent } from '../xml/build.js';

/** A ServiceFault as a whole document: an /xml error body, or the report of a file that could not be read. */
export function serviceFaultDocument(fault: Fault): Buffer {
  const doc = newDocument();
  writeServiceFault(doc, fault);
  return serialize(doc);
}

export function writeServiceFault(parent: XmlParent, fault: Fault): void {
  const node = el(parent, 'ServiceFault');
  el(node, 'code', fault.code);
  el(node, 'message', fault.message);
  for (const e of fault.errors) {
    const error = el(node, 'error');
    el(error, 'line', e.line);
    el(error, 'column', e.column);
    el(error, 'message', e.message);
  }
}
