// The /api resources that take a JSON body, as entries of the one
// dispatcher: the very operations of POST and PUT /xml/customers
// (resource-table.ts), a Customer read from JSON instead of XML. The /api
// resources without a body (GET, DELETE, search, history) are the /xml
// entries themselves: their path id and query are the same XSD-checked
// parameter documents, only rendered as JSON.
import type { Customer, CustomerInput } from '../domain/customer.js';
import { ValidationFailedError } from '../errors.js';
import { readCustomerJson } from '../mapping/customer-json.js';
import { createCustomer } from '../operations/create-customer.js';
import { updateCustomer } from '../operations/update-customer.js';
import type { JsonEntry } from './json-entry.js';
import { preconditioned } from './precondition.js';

/** POST /api/customers: the body's customer. */
export const CREATE_JSON_RESOURCE: JsonEntry<CustomerInput, Customer> = {
  name: 'CreateCustomer',
  root: 'Customer',
  read: readCustomerJson,
  run: createCustomer,
};

/** PUT /api/customers/{id}: the whole customer replaced; an id in the body must be the path's; the version from the body or If-Match. */
export function replaceJsonResource(id: string, ifMatchVersion: number | undefined): JsonEntry<CustomerInput, Customer> {
  return preconditioned<CustomerInput, Customer, JsonEntry<CustomerInput, Customer>>({
    name: 'UpdateCustomer',
    root: 'Customer',
    read: (value) => {
      const input = readCustomerJson(value);
      if (input.id !== undefined && input.id !== id) {
        throw new ValidationFailedError(`The body is customer '${input.id}' but the path names '${id}'`, [
          { line: 1, column: 1, path: '/id', message: `/id: '${input.id}' is not the path's id '${id}'` },
        ]);
      }
      return { ...input, id, version: ifMatchVersion ?? input.version };
    },
    run: updateCustomer,
  }, ifMatchVersion);
}
