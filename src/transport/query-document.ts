// Query parameters as the operation's request element, so they are checked by
// the same XSD types as a SOAP request (a bad limit is VALIDATION_FAILED, the
// same message either way) and read by the same reader.
import { ValidationFailedError } from '../errors.js';
import { el, newDocument, serialize } from '../xml/build.js';

/**
 * `<wrapper>` with one child per allowed parameter that is present, in `order`
 * (the xs:sequence order). Unknown or repeated parameters are refused.
 */
export function queryDocument(wrapper: string, order: readonly string[], query: Readonly<Record<string, unknown>>): Buffer {
  const unknown = Object.keys(query).filter((k) => !order.includes(k));
  if (unknown.length > 0) {
    throw new ValidationFailedError(`Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; allowed: ${order.join(', ')}`);
  }
  const doc = newDocument();
  const root = el(doc, wrapper);
  for (const name of order) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ValidationFailedError(`Query parameter ${name} must be given once`);
    el(root, name, value);
  }
  return serialize(doc);
}
