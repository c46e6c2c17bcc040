// Export as the dispatcher runs it: its one parameter, updatedSince, arrives
// as a SearchCustomers document (the element of the same name and XSD type),
// whether from GET /xml/export?updatedSince= or crm-bridge export
// --updated-since; the answer is the customers, page by page, for the
// channel to stream.
import type { Customer } from '../domain/customer.js';
import { readSearchRequest } from '../mapping/search-messages.js';
import { exportCustomers, type ExportRequest } from '../operations/export-customers.js';
import type { DocumentEntry } from './operation-table.js';

export const EXPORT: DocumentEntry<ExportRequest, AsyncGenerator<Customer[]>> = {
  name: 'Export',
  root: 'SearchCustomers',
  read: (root) => ({ updatedSince: readSearchRequest(root).updatedSince }),
  // Not awaited page by page here: the channel streams them, in bounded memory.
  run: (request, deps) => Promise.resolve(exportCustomers(request, deps)),
};

/** Export's parameters, as SearchCustomers children. */
export const EXPORT_PARAMETERS = ['updatedSince'] as const;
