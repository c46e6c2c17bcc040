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

  it('finds the columns of many errors on one long line in one pass over it, not one pass per error', () => {
    // Found by the fuzzer (test/fuzz): 50,000 attributes an element does not allow, on one line, kept the event loop 17 s.
    const n = 20_000;
    const line = Array.from({ length: n }, (_, i) => `<c:country>v${i}</c:country>`).join('');
    const found = new Map();
    const started = performance.now();
    const columns = Array.from({ length: n }, (_, i) => columnOfError([line], 1, msg('country', `v${i}`), found));
    const elapsed = performance.now() - started;
    expect(columns[0]).to.equal(1);
    expect(columns[n - 1]).to.equal(line.lastIndexOf('<c:country>') + 1);
    expect(columns[12345]).to.equal(line.indexOf('<c:country>v12345<') + 1);
    // One pass per error took 10 s and more here; one pass in all, tens of milliseconds.
    expect(elapsed).to.be.below(1500);
  });
});
