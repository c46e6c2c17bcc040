// The XML-over-HTTP resources as operation entries: the very operations of
// the SOAP table, read from and written to the resource documents
// (Customer, CustomerList) instead of the SOAP wrappers.
import type { Customer, CustomerInput } from '../domain/customer.js';
import type { SearchPage, SearchQuery } from '../domain/search.js';
import { readSearchRequest } from '../mapping/search-messages.js';
import { readCustomerDocument, writeCustomerDocument, writeCustomerList } from '../mapping/resource-documents.js';
import { createCustomer } from '../operations/create-customer.js';
import { searchCustomers } from '../operations/search-customers.js';
import { updateCustomer } from '../operations/update-customer.js';
import type { OperationEntry } from './operation-table.js';
import { ValidationFailedError } from '../errors.js';

export const CREATE_RESOURCE: OperationEntry<CustomerInput, Customer> = {
  name: 'CreateCustomer',
  read: readCustomerDocument,
  run: createCustomer,
  write: writeCustomerDocument,
};

/** PUT: the body's customer with the id of the path and the version of If-Match (when sent). */
export function replaceResource(id: string, ifMatchVersion: number | undefined): OperationEntry<CustomerInput, Customer> {
  return {
    name: 'UpdateCustomer',
    read: (root, context) => {
      const input = readCustomerDocument(root, context);
      if (input.id !== undefined && input.id !== id) {
        throw new ValidationFailedError(`The body is customer '${input.id}' but the path names '${id}'`);
      }
      return { ...input, id, version: ifMatchVersion ?? input.version };
    },
    run: updateCustomer,
    write: writeCustomerDocument,
  };
}

export const SEARCH_RESOURCE: OperationEntry<SearchQuery, SearchPage> = {
  name: 'SearchCustomers',
  read: readSearchRequest,
  run: searchCustomers,
  write: writeCustomerList,
};

/** Query parameters of GET /xml/customers, in the order of SearchCustomers' xs:sequence. */
export const SEARCH_PARAMETERS = ['name', 'email', 'status', 'country', 'externalId', 'updatedSince', 'offset', 'limit'] as const;
