// Deterministic synthetic customers: customer n is always the same record, so
// two runs of the bench load the same data. Names look like an ERP's (company
// or person) and end in the zero-padded customer number behind a '#', so a
// name search for '#' plus all digits but the last finds exactly ten
// customers, whatever the size of the store.

export interface SyntheticAddress {
  readonly type: 'BILLING' | 'SHIPPING';
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface SyntheticContact {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly role: string;
}

export interface SyntheticCustomer {
  readonly externalId: string;
  readonly type: 'PERSON' | 'ORGANIZATION';
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly addresses: readonly SyntheticAddress[];
  readonly contacts: readonly SyntheticContact[];
}

const STEMS = ['Bergmann', 'Nordwind', 'Alpen', 'Rheinland', 'Sonnenschein', 'Hanse', 'Adler', 'Falken', 'Blau', 'Eichen',
  'Atlas', 'Orion', 'Vega', 'Linde', 'Kessler', 'Brandt', 'Vogel', 'Krüger', 'Dupont', 'Van Dijk'];
const TRADES = ['Logistik', 'Maschinenbau', 'Elektro', 'Bau', 'Handel', 'Software', 'Druck', 'Metall', 'Textil', 'Foods',
  'Consulting', 'Medical'];
const FORMS = ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'SE', 'S.A.', 'B.V.', 'Ltd'];
const FIRST = ['Anna', 'Lukas', 'Zoë', 'Jonas', 'Marie', 'Felix', 'Léa', 'Paul', 'Sofia', 'Emil', 'Hanna', 'Noah', 'Jörg', 'Clara'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Martin', 'Bernard', 'de Vries', 'Rossi'];
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Industriestraße', 'Lagerweg', 'Am Hafen', 'Rue de la Paix', 'Kerkstraat', 'Ringstraße'];
const CITIES: readonly (readonly [string, string])[] = [['Berlin', 'DE'], ['Hamburg', 'DE'], ['München', 'DE'], ['Köln', 'DE'],
  ['Wien', 'AT'], ['Zürich', 'CH'], ['Lyon', 'FR'], ['Rotterdam', 'NL'], ['Milano', 'IT'], ['Leipzig', 'DE']];
const ROLES = ['Purchasing', 'Accounting', 'Management', 'Logistics', 'IT'];

/** A cheap integer hash, so the fields of one customer vary independently. */
function pick<T>(list: readonly T[], n: number, salt: number): T {
  let h = Math.imul(n ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return list[(h >>> 0) % list.length] as T;
}

/** Digits of the customer number: seven, or more for a store over ten million. */
export function numberWidth(count: number): number {
  return Math.max(7, String(Math.max(0, count - 1)).length);
}

export function customerNumber(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The name filter that matches customers n - n%10 ... n - n%10 + 9 (ten, or fewer at the very end). */
export function nameTermFor(n: number, width: number): string {
  return `#${customerNumber(n, width).slice(0, -1)}`;
}

function slug(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z0-9]+/g, '').toLowerCase();
}

export function syntheticCustomer(n: number, width: number): SyntheticCustomer {
  const number = customerNumber(n, width);
  const first = pick(FIRST, n, 1);
  const last = pick(LAST, n, 2);
  const person = n % 10 < 3;
  const stem = pick(STEMS, n, 3);
  const name = person ? `${first} ${last} #${number}` : `${stem} ${pick(TRADES, n, 4)} ${pick(FORMS, n, 5)} #${number}`;
  const domain = `${slug(person ? last : stem)}-${number}.example`;
  const address = (type: SyntheticAddress['type'], salt: number): SyntheticAddress => {
    const [city, country] = pick(CITIES, n, salt);
    return { type, line1: `${pick(STREETS, n, salt + 1)} ${1 + (n % 97)}`, city, postalCode: String(10000 + ((n * 37 + salt) % 89999)), country };
  };
  return {
    externalId: `ERP-${number}`,
    type: person ? 'PERSON' : 'ORGANIZATION',
    name,
    email: `${person ? slug(first) : 'info'}@${domain}`,
    phone: `+49 30 ${number}`,
    addresses: [address('BILLING', 10), address('SHIPPING', 20)],
    contacts: [{ firstName: pick(FIRST, n, 6), lastName: pick(LAST, n, 7), email: `contact@${domain}`, role: pick(ROLES, n, 8) }],
  };
}
