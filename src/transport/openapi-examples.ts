// The examples of the OpenAPI document: a request and its answer for each
// /api route, replayed against the running service by
// test/api/openapi.test.ts (ids and times in answers are the service's own
// and stand for any). `{id}` in a path stands for the customer the create
// example made.
export const EXAMPLE_ID = '0195f3a2-7c4e-7d3a-9b1e-2f6a8c0d4e51';
export const EXAMPLE_TIME = '2026-11-25T09:30:00.000Z';

export const CUSTOMER_REQUEST = {
  externalId: 'ERP-4711',
  type: 'ORGANIZATION',
  name: 'Müller & Söhne GmbH',
  email: 'info@mueller.example',
  phone: '+49 30 1234567',
  status: 'PROSPECT',
  vatNumber: 'DE123456789',
  addresses: [{ type: 'BILLING', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' }],
  contacts: [{ firstName: 'Zoë', lastName: 'Adams', email: 'zoe@mueller.example', role: 'Buyer' }],
};

export const CUSTOMER_ANSWER = {
  id: EXAMPLE_ID,
  ...CUSTOMER_REQUEST,
  version: 1,
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
};

export const REPLACE_REQUEST = { ...CUSTOMER_REQUEST, name: 'Müller & Söhne AG', status: 'ACTIVE', version: 1 };
export const REPLACE_ANSWER = { ...CUSTOMER_ANSWER, name: 'Müller & Söhne AG', status: 'ACTIVE', version: 2 };

export const INVALID_REQUEST = { type: 'PERSON', addresses: [{ type: 'BILLING', line1: 'Hauptstr. 1', city: 'Berlin', country: 'de' }] };
export const INVALID_ANSWER = {
  code: 'VALIDATION_FAILED',
  message: 'The message fails the schema with 2 errors; the first: /name: the required member name is missing',
  errors: [
    { path: '/name', message: '/name: the required member name is missing', line: 1, column: 1 },
    { path: '/addresses/0/country', message: '/addresses/0/country: must match pattern "^(?:[A-Z]{2})$"', line: 1, column: 97 },
  ],
};

export const SEARCH_ANSWER = { total: 1, offset: 0, customers: [REPLACE_ANSWER] };

export const EXPORT_ANSWER = { customers: [REPLACE_ANSWER] };

export const HISTORY_ANSWER = {
  changes: [
    { version: 1, at: EXAMPLE_TIME, operation: 'CREATE', actor: 'erp', requestId: 'erp-run-7:create.1' },
    { version: 2, at: EXAMPLE_TIME, operation: 'UPDATE', actor: 'erp', requestId: 'erp-run-7:update.1' },
  ],
};

export const NOT_FOUND_ANSWER = { code: 'NOT_FOUND', message: `No customer with id '${EXAMPLE_ID}'`, errors: [] };

/** A batch: the replaced customer again (UNCHANGED) and a record that breaks a rule (FAILED alone, its pointer relative to it). */
export const BATCH_REQUEST = {
  batchId: 'erp-run-7',
  mode: 'PARTIAL',
  customers: [
    { externalId: 'ERP-4711', type: 'ORGANIZATION', name: 'Müller & Söhne AG', email: 'info@mueller.example', phone: '+49 30 1234567', status: 'ACTIVE', vatNumber: 'DE123456789',
      addresses: [{ type: 'BILLING', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' }],
      contacts: [{ firstName: 'Zoë', lastName: 'Adams', email: 'zoe@mueller.example', role: 'Buyer' }] },
    { externalId: 'ERP-4712', type: 'PERSON', name: 'Jane Roe', addresses: [{ type: 'BILLING', line1: 'Main St 1', city: 'Berlin', country: 'de' }] },
  ],
};

export const BATCH_ANSWER = {
  batchId: 'erp-run-7',
  created: 0,
  updated: 0,
  unchanged: 1,
  failed: 1,
  results: [
    { index: 1, externalId: 'ERP-4711', id: EXAMPLE_ID, status: 'UNCHANGED' },
    {
      index: 2,
      externalId: 'ERP-4712',
      status: 'FAILED',
      error: {
        code: 'VALIDATION_FAILED',
        message: '/addresses/0/country: must match pattern "^(?:[A-Z]{2})$"',
        errors: [{ path: '/addresses/0/country', message: '/addresses/0/country: must match pattern "^(?:[A-Z]{2})$"' }],
      },
    },
  ],
};
