// node-soap client (the `soap` npm package), built from the served WSDL at run time.
//
// usage: node node-soap-client.mjs WSDL_URL PORT_NAME TAG
// node-soap does not take the SOAP version from the binding: every port sends SOAP 1.1
// envelopes unless forceSoap12Headers is set, so it is set for the SOAP 1.2 port.
// Prints one line per check; exits 1 if any check failed.
import { isDeepStrictEqual } from 'node:util';
import soap from 'soap';

const [wsdlUrl, portName, tag] = process.argv.slice(2);
const label = `node-soap ${portName}`;
let failures = 0;

function check(what, ok, info = '') {
  if (!ok) failures += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${what}${ok ? '' : ` -- ${JSON.stringify(info)}`}`);
}

let client;
let port;
try {
  client = await soap.createClientAsync(wsdlUrl, { forceSoap12Headers: portName === 'CustomerServiceSoap12' });
  port = client.CustomerService[portName];
  if (!port) throw new Error(`no port ${portName} in service CustomerService`);
} catch (err) {
  check('load WSDL and find the port', false, String(err));
  process.exit(1);
}

// The per-port methods are callback style; this picks the port explicitly rather than
// the client's default (first) port that the *Async shortcuts use.
function call(operation, args) {
  return new Promise((resolve, reject) => {
    port[operation](args, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

// Runs the operation expecting a SOAP fault; returns ServiceFault/code from its detail
// (node-soap keeps the envelope's own names: detail in SOAP 1.1, Detail in SOAP 1.2).
async function faultCode(operation, args) {
  try {
    await call(operation, args);
    return 'no fault';
  } catch (err) {
    const fault = err.root?.Envelope?.Body?.Fault;
    return (fault?.detail ?? fault?.Detail)?.ServiceFault?.code ?? `fault without ServiceFault detail: ${err.message}`;
  }
}

const customer = {
  externalId: `interop-node-soap-${portName}-${tag}`,
  type: 'ORGANIZATION',
  name: 'Müller & Söhne <Zürich> 東京',
  email: 'einkauf@mueller-soehne.example',
  phone: '+49 89 1234-0',
  status: 'PROSPECT',
  vatNumber: 'DE123456789',
  addresses: {
    address: [
      { attributes: { type: 'SHIPPING' }, line1: 'Lagerstraße 5', line2: 'Tor 3', city: 'München',
        region: 'Bayern', postalCode: '80331', country: 'DE' },
      { attributes: { type: 'BILLING' }, line1: 'Postfach 12 34', city: 'Zürich', postalCode: '8001', country: 'CH' },
    ],
  },
  contacts: {
    contact: [
      { firstName: 'Zoë', lastName: 'Zimmermann', email: 'zoe@mueller-soehne.example',
        phone: '+49 89 1234-10', role: 'Einkauf' },
      { lastName: 'Ångström', role: 'Buchhaltung' },
    ],
  },
};
const envelope = {
  CustomerServiceSoap: 'http://schemas.xmlsoap.org/soap/envelope/',
  CustomerServiceSoap12: 'http://www.w3.org/2003/05/soap-envelope',
}[portName];

async function scenario() {
  const { customer: created } = await call('CreateCustomer', { customer });
  check(`sends the ${portName} binding's SOAP envelope`, client.lastRequest.includes(`"${envelope}"`), client.lastRequest);
  check('CreateCustomer assigns an id', Boolean(created.id), created.id);
  // node-soap converts only built-in XSD types, so tns:Version (an xs:int restriction) comes back a string.
  check('CreateCustomer answers version 1', created.version === '1', created.version);
  // Arrays compare in order, so this also checks the order of addresses and contacts.
  const mismatch = Object.keys(customer).filter((key) => !isDeepStrictEqual(created[key], customer[key]));
  check('CreateCustomer round-trips every field in order', mismatch.length === 0,
    mismatch.map((key) => ({ [key]: created[key] })));

  const { customer: byId } = await call('GetCustomer', { id: created.id });
  check('GetCustomer by id answers the stored customer', isDeepStrictEqual(byId, created), byId);
  const { customer: byExt } = await call('GetCustomer', { externalId: customer.externalId });
  check('GetCustomer by externalId answers the stored customer', isDeepStrictEqual(byExt, created), byExt);

  // createdAt/updatedAt are left out: node-soap parses xs:dateTime into Date objects but
  // serializes a Date as an empty element, which the schema rightly refuses.
  const { createdAt, updatedAt, ...stored } = created;
  const changed = { ...stored, phone: '+49 89 9999-0', status: 'ACTIVE' };
  const { customer: updated } = await call('UpdateCustomer', { customer: changed });
  check('UpdateCustomer with the current version answers version 2', updated.version === '2', updated.version);
  check('UpdateCustomer stores the change', updated.phone === '+49 89 9999-0' && updated.status === 'ACTIVE', updated);

  let code = await faultCode('UpdateCustomer', { customer: changed });
  check('UpdateCustomer with a stale version faults VERSION_CONFLICT', code === 'VERSION_CONFLICT', code);
  code = await faultCode('GetCustomer', { id: `no-such-customer-${tag}` });
  check('GetCustomer of an unknown id faults NOT_FOUND', code === 'NOT_FOUND', code);

  const { id: deleted } = await call('DeleteCustomer', { id: created.id });
  check('DeleteCustomer answers the id', deleted === created.id, deleted);
  code = await faultCode('GetCustomer', { id: created.id });
  check('GetCustomer after DeleteCustomer faults NOT_FOUND', code === 'NOT_FOUND', code);
}

// Anything thrown outside faultCode() is a failure of its own; node-soap's errors carry
// the whole HTTP exchange, so only the message is printed.
await scenario().catch((err) => check('runs without an unexpected error', false, err?.message ?? String(err)));
process.exit(failures ? 1 : 0);
