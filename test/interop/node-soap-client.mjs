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

// Every record this run writes carries token in its name, so a name search finds exactly them.
const token = `Node-soap/${portName}/${tag}`;
const extBase = `interop-node-soap-${portName}-${tag}`;
const customer = {
  externalId: extBase,
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

function brief(externalId, name, postalCode = '1010') {
  return {
    externalId, type: 'PERSON', name,
    addresses: { address: [{ attributes: { type: 'BILLING' }, line1: 'Ringstraße 5', city: 'Wien', postalCode, country: 'AT' }] },
  };
}

async function scenario() {
  // The cursor is taken before this scenario writes anything, so polling from it later
  // has to see every change made here (and only a few pages on a shared store).
  const firstPage = await call('GetChanges', { since: '', limit: 1000 });
  check('GetChanges accepts an empty since (from the beginning)', Boolean(firstPage?.nextSince), firstPage);
  const cursor = firstPage.nextSince;

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

  // createdAt/updatedAt are left out: node-soap parses an xs:dateTime into a Date and writes
  // a Date as an empty element, which the schema refuses (the service ignores them anyway).
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

  // ---- UpsertCustomers: one new, one existing with a new name, one failing the schema ----

  const { customer: existing } = await call('CreateCustomer', { customer: brief(`${extBase}-b`, `Interop ${token} Bestand`) });
  const batchId = `interop-node-soap-${portName}-${tag}`;
  const records = [
    brief(`${extBase}-n`, `Interop ${token} Neu`),
    brief(`${extBase}-b`, `Interop ${token} Bestand umbenannt`),
    brief(`${extBase}-f`, `Interop ${token} Fehler`, '123456789012345678901234567890'),
  ];
  const batch = { attributes: { batchId }, mode: 'PARTIAL', customer: records };
  const report = await call('UpsertCustomers', batch);
  const results = report.result ?? [];
  check('UpsertCustomers echoes the batchId', report.batchId === batchId, report.batchId);
  const counts = [report.created, report.updated, report.unchanged, report.failed];
  check('UpsertCustomers counts created=1 updated=1 unchanged=0 failed=1', isDeepStrictEqual(counts, [1, 1, 0, 1]), counts);
  const order = results.map((r) => [r.index, r.externalId, r.status]);
  const expectedOrder = ['CREATED', 'UPDATED', 'FAILED'].map((status, i) => [i + 1, records[i].externalId, status]);
  check('UpsertCustomers answers one result per customer, in input order', isDeepStrictEqual(order, expectedOrder), order);
  const ids = results.map((r) => r.id);
  check("UpsertCustomers names the stored ids (the existing customer's for UPDATED, none for FAILED)",
    ids.length === 3 && Boolean(ids[0]) && ids[1] === existing.id && ids[2] === undefined, ids);
  check("UpsertCustomers' FAILED result has error/code VALIDATION_FAILED", results[2]?.error?.code === 'VALIDATION_FAILED', results[2]);

  const replay = await call('UpsertCustomers', batch);
  check('UpsertCustomers re-sent unchanged answers the identical report', isDeepStrictEqual(replay, report), replay);
  const newId = ids[0];
  const { customer: before } = await call('GetCustomer', { id: newId });
  code = await faultCode('UpsertCustomers', { ...batch, customer: [brief(`${extBase}-n`, `Interop ${token} Neu, anders`)] });
  check('UpsertCustomers with a used batchId and another body faults VALIDATION_FAILED', code === 'VALIDATION_FAILED', code);
  const { customer: after } = await call('GetCustomer', { id: newId });
  check('UpsertCustomers refused for its batchId changes nothing', isDeepStrictEqual(after, before) && after.version === '1', after);

  // ---- SearchCustomers: the name holds the run's token, so the answer is exact ----------

  const expected = [];
  for (const id of ids.slice(0, 2)) expected.push((await call('GetCustomer', { id })).customer);
  expected.sort((a, b) => (a.id < b.id ? -1 : 1));
  const needle = token.toLowerCase(); // the stored names are mixed case: the search is case-insensitive
  const page = await call('SearchCustomers', { name: needle, limit: 10 });
  check('SearchCustomers by a lower-case name substring answers total 2 and exactly those customers, by id',
    isDeepStrictEqual([page.total, page.offset, page.customer], [2, 0, expected]), page);
  const pages = [];
  for (const offset of [0, 1, 2]) pages.push(await call('SearchCustomers', { name: needle, offset, limit: 1 }));
  check('SearchCustomers pages with offset 0, 1, 2 and limit 1: one customer each, then none',
    isDeepStrictEqual(pages.map((p) => [p.total, p.offset, p.customer ?? []]),
      [[2, 0, expected.slice(0, 1)], [2, 1, expected.slice(1)], [2, 2, []]]), pages);

  // ---- GetChanges: poll from the cursor, two at a time, until a page is empty -----------

  // A page with changes has to move the cursor on: one that does not (say, a nextSince that
  // lost digits on its way through the toolkit) would answer the same page forever.
  const seen = [];
  const deletedIds = [];
  let since = cursor;
  let polls = 0;
  let advancing = true;
  while (advancing && polls < 1000) {
    polls += 1;
    const changes = await call('GetChanges', { since, limit: 2 });
    if (!changes.customer && !changes.deletedId) break;
    seen.push(...(changes.customer ?? []));
    deletedIds.push(...(changes.deletedId ?? []));
    // A tns:ChangeCursor is text to node-soap (only xs:dateTime itself becomes a Date), and its
    // pattern fixes the width and the zone, so strings compare as instants.
    advancing = changes.nextSince > since;
    since = changes.nextSince;
  }
  check('GetChanges polled nextSince to an empty page, nextSince advancing on every page',
    advancing && polls < 1000, `${polls} polls, last nextSince ${since}`);
  const seenIds = seen.map((c) => c.id);
  const changedIds = [...seenIds, ...deletedIds];
  check('GetChanges saw no change twice', new Set(changedIds).size === changedIds.length, changedIds);
  check('GetChanges saw each customer created or updated here, in its latest state',
    expected.every((c) => seen.some((s) => isDeepStrictEqual(s, c))), { expected, seen });
  check('GetChanges reports the deleted customer as a deletedId, not as a customer',
    deletedIds.includes(created.id) && !seenIds.includes(created.id), { deletedId: deletedIds });
}

// Anything thrown outside faultCode() is a failure of its own; node-soap's errors carry
// the whole HTTP exchange, so only the message is printed.
await scenario().catch((err) => check('runs without an unexpected error', false, err?.message ?? String(err)));
process.exit(failures ? 1 : 0);
