// One entry per wsdl:operation (a test checks the two agree): how to read its
// request wrapper, which operation runs, how to write its response wrapper.
import { NotImplementedError } from '../errors.js';
import {
  readCustomerKey,
  readCustomerRequest,
  readIdRequest,
  writeCustomerResponse,
  writeIdResponse,
} from '../mapping/operation-messages.js';
import { createCustomer } from '../operations/create-customer.js';
import { deleteCustomer } from '../operations/delete-customer.js';
import { getCustomer } from '../operations/get-customer.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import { updateCustomer } from '../operations/update-customer.js';
import type { XmlNode } from '../xml/build.js';
import type { XmlElement } from '../xml/dom.js';

export interface OperationEntry<Req = unknown, Res = unknown> {
  readonly name: string;
  readonly read: (wrapper: XmlElement) => Req;
  readonly run: (request: Req, deps: OperationDeps) => Promise<Res>;
  readonly write: (parent: XmlNode, result: Res) => void;
}

function entry<Req, Res>(e: OperationEntry<Req, Res>): OperationEntry {
  return e as unknown as OperationEntry;
}

function notYet(name: string): OperationEntry {
  return entry<null, never>({
    name,
    read: () => null,
    run: async () => {
      throw new NotImplementedError(`${name} is declared in the WSDL but not implemented by this build yet`);
    },
    write: () => undefined,
  });
}

export const OPERATIONS: ReadonlyMap<string, OperationEntry> = new Map(
  [
    entry({ name: 'CreateCustomer', read: readCustomerRequest, run: createCustomer, write: writeCustomerResponse('CreateCustomerResponse') }),
    entry({ name: 'GetCustomer', read: readCustomerKey, run: getCustomer, write: writeCustomerResponse('GetCustomerResponse') }),
    entry({ name: 'UpdateCustomer', read: readCustomerRequest, run: updateCustomer, write: writeCustomerResponse('UpdateCustomerResponse') }),
    entry({ name: 'DeleteCustomer', read: readIdRequest, run: deleteCustomer, write: writeIdResponse('DeleteCustomerResponse') }),
    notYet('SearchCustomers'),
    notYet('UpsertCustomers'),
    notYet('GetChanges'),
  ].map((e) => [e.name, e]),
);
