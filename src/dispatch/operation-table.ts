// One entry per wsdl:operation (a test checks the two agree): how to read its
// request wrapper, which operation runs, how to write its response wrapper.
import {
  readCustomerKey,
  readCustomerRequest,
  readDeleteRequest,
  writeCustomerResponse,
  writeIdResponse,
} from '../mapping/operation-messages.js';
import { readUpsertRequest, writeUpsertResponse } from '../mapping/batch-messages.js';
import { readChangesRequest, writeChangesResponse } from '../mapping/changes-messages.js';
import { readSearchRequest, writeSearchResponse } from '../mapping/search-messages.js';
import { createCustomer } from '../operations/create-customer.js';
import { getChanges } from '../operations/get-changes.js';
import { searchCustomers } from '../operations/search-customers.js';
import { upsertCustomers } from '../operations/upsert-customers.js';
import { deleteCustomer } from '../operations/delete-customer.js';
import { getCustomer } from '../operations/get-customer.js';
import type { RequestDeps } from '../operations/operation-deps.js';
import { updateCustomer } from '../operations/update-customer.js';
import type { XmlParent } from '../xml/build.js';
import type { XmlElement } from '../xml/dom.js';
import type { ReadContext } from '../mapping/read-context.js';

/** What the dispatcher needs to run an operation on a document: its name, the root it takes, how to read it, what runs. */
export interface DocumentEntry<Req = unknown, Res = unknown> {
  readonly name: string;
  /** The contract element the document's root must be: the wrapper of the same name for SOAP, Customer for a /xml body. */
  readonly root: string;
  /** True when the wrapper holds batch records that are validated one at a time. */
  readonly recordWise?: boolean;
  readonly read: (wrapper: XmlElement, context: ReadContext) => Req;
  /** `deps`: the request's (the dispatcher's deps and who the request's changes are recorded as made by). */
  readonly run: (request: Req, deps: RequestDeps) => Promise<Res>;
}

/** A document operation with the writer of its answer document. */
export interface OperationEntry<Req = unknown, Res = unknown> extends DocumentEntry<Req, Res> {
  readonly write: (parent: XmlParent, result: Res) => void;
}

/** A SOAP operation: its request wrapper is named after it. */
function entry<Req, Res>(e: Omit<OperationEntry<Req, Res>, 'root'>): OperationEntry {
  return { ...e, root: e.name } as unknown as OperationEntry;
}

export const OPERATIONS: ReadonlyMap<string, OperationEntry> = new Map(
  [
    entry({ name: 'CreateCustomer', read: readCustomerRequest, run: createCustomer, write: writeCustomerResponse('CreateCustomerResponse') }),
    entry({ name: 'GetCustomer', read: readCustomerKey, run: getCustomer, write: writeCustomerResponse('GetCustomerResponse') }),
    entry({ name: 'UpdateCustomer', read: readCustomerRequest, run: updateCustomer, write: writeCustomerResponse('UpdateCustomerResponse') }),
    entry({ name: 'DeleteCustomer', read: readDeleteRequest, run: deleteCustomer, write: writeIdResponse('DeleteCustomerResponse') }),
    entry({ name: 'SearchCustomers', read: readSearchRequest, run: searchCustomers, write: writeSearchResponse }),
    entry({ name: 'UpsertCustomers', recordWise: true, read: readUpsertRequest, run: upsertCustomers, write: writeUpsertResponse }),
    entry({ name: 'GetChanges', read: readChangesRequest, run: getChanges, write: writeChangesResponse }),
  ].map((e) => [e.name, e]),
);
