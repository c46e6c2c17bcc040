// The XML-over-HTTP resources as operation entries: the very operations of
// the SOAP table, read from the resource documents (a Customer body) instead
// of the SOAP wrappers, and the one a resource has alone (a customer's
// history); the channel writes their answers (Customer, CustomerList,
// CustomerHistory). Path ids and query
// parameters arrive as the SOAP request elements they stand for
// (GetCustomer, DeleteCustomer, SearchCustomers), so the XSD checks them as
// it checks a SOAP request.
import type { Customer, CustomerInput, CustomerKey } from '../domain/customer.js';
import type { HistoryEntry } from '../domain/history.js';
import type { SearchPage, SearchQuery } from '../domain/search.js';
import { ValidationFailedError } from '../errors.js';
import { readCustomerKey, readDeleteRequest } from '../mapping/operation-messages.js';
import { readSearchRequest } from '../mapping/search-messages.js';
import { readCustomerDocument } from '../mapping/resource-documents.js';
import { readHistoryRequest } from '../mapping/history-document.js';
import { createCustomer } from '../operations/create-customer.js';
import { deleteCustomer, type DeleteRequest } from '../operations/delete-customer.js';
import { getCustomer } from '../operations/get-customer.js';
import { getCustomerHistory } from '../operations/get-customer-history.js';
import { searchCustomers } from '../operations/search-customers.js';
import { updateCustomer } from '../operations/update-customer.js';
import type { DocumentEntry } from './operation-table.js';
import { preconditioned } from './precondition.js';

/** POST /xml/customers: the body's Customer. */
export const CREATE_RESOURCE: DocumentEntry<CustomerInput, Customer> = {
  name: 'CreateCustomer',
  root: 'Customer',
  read: readCustomerDocument,
  run: createCustomer,
};

/** GET /xml/customers/{id}: a GetCustomer document of the path's id. */
export const READ_RESOURCE: DocumentEntry<CustomerKey, Customer> = {
  name: 'GetCustomer',
  root: 'GetCustomer',
  read: readCustomerKey,
  run: getCustomer,
};

/** The document a path id is checked as: GetCustomer's id has the XSD's CustomerId type. */
export const PATH_ID_DOCUMENT = 'GetCustomer';

/**
 * GET /xml/customers/{id}/history (v1.1): a GetCustomer document of the
 * path's id, as GET /xml/customers/{id}. No SOAP operation: the contract
 * names the history as a resource only. A reader's (operation-access.ts).
 */
export const HISTORY_RESOURCE: DocumentEntry<{ id: string }, HistoryEntry[]> = {
  name: 'GetCustomerHistory',
  root: PATH_ID_DOCUMENT,
  read: readHistoryRequest,
  run: getCustomerHistory,
};

/** PUT /xml/customers/{id}: the body's customer with the id of the path and the version of If-Match (when sent). */
export function replaceResource(id: string, ifMatchVersion: number | undefined): DocumentEntry<CustomerInput, Customer> {
  return preconditioned<CustomerInput, Customer, DocumentEntry<CustomerInput, Customer>>({
    name: 'UpdateCustomer',
    root: 'Customer',
    read: (root, context) => {
      const input = readCustomerDocument(root, context);
      if (input.id !== undefined && input.id !== id) {
        throw new ValidationFailedError(`The body is customer '${input.id}' but the path names '${id}'`);
      }
      return { ...input, id, version: ifMatchVersion ?? input.version };
    },
    run: updateCustomer,
  }, ifMatchVersion);
}

/** DELETE /xml/customers/{id}: a DeleteCustomer document of the path's id, only at If-Match's version when sent. */
export function removeResource(ifMatchVersion: number | undefined): DocumentEntry<DeleteRequest, string> {
  return preconditioned<DeleteRequest, string, DocumentEntry<DeleteRequest, string>>({
    name: 'DeleteCustomer',
    root: 'DeleteCustomer',
    read: (root) => ({ ...readDeleteRequest(root), expectedVersion: ifMatchVersion }),
    run: deleteCustomer,
  }, ifMatchVersion);
}

/** GET /xml/customers?...: a SearchCustomers document of the query parameters. */
export const SEARCH_RESOURCE: DocumentEntry<SearchQuery, SearchPage> = {
  name: 'SearchCustomers',
  root: 'SearchCustomers',
  read: readSearchRequest,
  run: searchCustomers,
};

/** Query parameters of GET /xml/customers, in the order of SearchCustomers' xs:sequence. */
export const SEARCH_PARAMETERS = ['name', 'email', 'status', 'country', 'externalId', 'updatedSince', 'offset', 'limit'] as const;
