// The JSON rules of /api that are not a schema's (src/validation/json-validator.ts):
// null and [] are absent wherever they stand, the value otherwise as sent (its
// members in their order), the body as parsed left as it was, and every
// error at its own pointer however deep.
import { expect } from 'chai';
import { AjvJsonValidator } from '../../src/validation/json-validator.js';

const validator = new AjvJsonValidator();
const nowhere = (): { line: number; column: number } => ({ line: 1, column: 1 });

const address = { type: 'BILLING', line1: 'Hauptstraße 1', city: 'Leipzig', postalCode: '04109', country: 'DE' };
const contact = { firstName: 'Zoë', lastName: 'de Vries', role: 'Management' };
const customer = { externalId: 'E-1', type: 'PERSON', name: 'Ada', email: 'ada@example.org', addresses: [address, { ...address, type: 'SHIPPING' }], contacts: [contact] };

/** `text` parsed, validated as a Customer; the parsed value is checked to be untouched. */
function check(text: string): { value: unknown; paths: string[] } {
  const parsed: unknown = JSON.parse(text);
  const checked = validator.validate('Customer', parsed, nowhere);
  expect(parsed, 'the parsed body').to.deep.equal(JSON.parse(text));
  return { value: checked.value, paths: checked.errors.map((e) => e.path ?? '') };
}

describe('the JSON rules before the schema', () => {
  it('gives a customer with nothing absent as sent, member order kept', () => {
    const text = JSON.stringify(Object.fromEntries(Object.entries(customer).reverse()));
    const { value, paths } = check(text);
    expect(paths).to.deep.equal([]);
    expect(JSON.stringify(value)).to.equal(text);
  });

  it('drops null and [] as the first, a middle and the last member, and inside array items, keeping the order of the rest', () => {
    const withAbsent = {
      phone: null, externalId: 'E-1', type: 'PERSON', vatNumber: null, name: 'Ada', email: 'ada@example.org',
      addresses: [{ type: 'BILLING', line2: null, line1: 'Hauptstraße 1', city: 'Leipzig', postalCode: '04109', country: 'DE', region: null }, { ...address, type: 'SHIPPING' }],
      contacts: [{ ...contact, email: null }], status: null,
    };
    const { value, paths } = check(JSON.stringify(withAbsent));
    expect(paths).to.deep.equal([]);
    expect(JSON.stringify(value)).to.equal(JSON.stringify({
      externalId: 'E-1', type: 'PERSON', name: 'Ada', email: 'ada@example.org',
      addresses: [{ type: 'BILLING', line1: 'Hauptstraße 1', city: 'Leipzig', postalCode: '04109', country: 'DE' }, { ...address, type: 'SHIPPING' }],
      contacts: [contact],
    }));
    expect(JSON.stringify(check('{"type":"PERSON","name":"A","addresses":[],"contacts":null}').value)).to.equal('{"type":"PERSON","name":"A"}');
  });

  it('keeps a member named __proto__ as a member (refused as unknown), never as the prototype', () => {
    const { value, paths } = check('{"type":"PERSON","email":null,"__proto__":{"name":"B"},"name":"A"}');
    expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
    expect(Object.keys(value as object)).to.deep.equal(['type', '__proto__', 'name']);
    expect(paths).to.include('/__proto__');
  });

  it('points at each error where it is, however deep, and at nothing it passed by', () => {
    const text = JSON.stringify({
      ...customer, fax: null,
      addresses: [address, { ...address, floor: [] }],
      contacts: [contact, { ...contact, lastName: 'de\u0001Vries' }],
    });
    const { paths } = check(text);
    expect(paths).to.have.members(['/fax', '/addresses/1/floor', '/contacts/1/lastName']);
  });
});
