// Customer payloads for tests, as XML fragments in the contract's order.
export const FULL_CUSTOMER = `<c:customer>
  <c:externalId>EXT</c:externalId>
  <c:type>ORGANIZATION</c:type>
  <c:name>Müller &amp; Söhne GmbH — 東京支店</c:name>
  <c:email>info@mueller.example</c:email>
  <c:phone>+49 30 1234567</c:phone>
  <c:status>PROSPECT</c:status>
  <c:vatNumber>DE123456789</c:vatNumber>
  <c:addresses>
    <c:address type="SHIPPING"><c:line1>Lager 7</c:line1><c:line2>Tor 3</c:line2><c:city>Hamburg</c:city><c:region>HH</c:region><c:postalCode>20095</c:postalCode><c:country>DE</c:country></c:address>
    <c:address type="BILLING"><c:line1>Hauptstr. 1</c:line1><c:city>Berlin</c:city><c:country>DE</c:country></c:address>
  </c:addresses>
  <c:contacts>
    <c:contact><c:firstName>Zoë</c:firstName><c:lastName>Adams</c:lastName><c:email>zoe@mueller.example</c:email><c:phone>+49 1</c:phone><c:role>Buyer</c:role></c:contact>
    <c:contact><c:lastName>Brandt</c:lastName></c:contact>
  </c:contacts>
</c:customer>`;

let counter = 0;
/** FULL_CUSTOMER with a fresh externalId, so tests never collide. */
export function fullCustomer(): { xml: string; externalId: string } {
  counter += 1;
  const externalId = `EXT-${process.pid}-${counter}`;
  return { xml: FULL_CUSTOMER.replace('<c:externalId>EXT</c:externalId>', `<c:externalId>${externalId}</c:externalId>`), externalId };
}

export function minimalCustomer(name = 'Ada Lovelace'): string {
  return `<c:customer><c:type>PERSON</c:type><c:name>${name}</c:name></c:customer>`;
}
