import { expect } from 'chai';
import { columnOfError } from '../../src/validation/error-position.js';

describe('columnOfError (schema error columns)', () => {
  const msg = (el: string, value?: string): string =>
    `Element '{urn:crm-bridge:customer:v1}${el}': ${value === undefined ? 'Missing child element(s).' : `[facet 'pattern'] The value '${value}' is not accepted.`}`;

  it('points at the start tag of the element the message names', () => {
    expect(columnOfError(['', '   <c:name>x</c:name>'], 2, msg('name'))).to.equal(4);
  });

  it('picks the occurrence holding the rejected value when the element repeats on the line', () => {
    const line = '<country>DE</country><country>xx</country>';
    expect(columnOfError([line], 1, msg('country', 'xx'))).to.equal(22);
  });

  it('does not mistake a longer name with the same prefix for the element', () => {
    expect(columnOfError(['<nameSuffix/><name/>'], 1, msg('name'))).to.equal(14);
  });

  it('answers 1 when the line or element cannot be found', () => {
    expect(columnOfError([''], 5, msg('name'))).to.equal(1);
    expect(columnOfError(['<a/>'], 1, 'Something else')).to.equal(1);
  });
});
