// The table of the /api resources: each route's path, method, the
// operation it is (as the stages name it), how the endpoint serves it, and
// what the OpenAPI document says of it. The router (json-router.ts) serves
// exactly these and the OpenAPI document (openapi-document.ts) describes
// exactly these, so a route cannot be served undocumented or documented unserved.
import { EXPORT_PARAMETERS } from '../dispatch/export-entry.js';
import type { HttpRequestLike, Outcome } from './http-reply.js';
import type { JsonEndpoint } from './json-endpoint.js';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** Statuses a route answers besides its success, each with the contract's error body. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 503;

export interface ApiRoute {
  /** The OpenAPI path template, under /api. */
  readonly path: string;
  readonly method: Method;
  /** The operation's name (operationId; what the stages and operation-access.ts see). */
  readonly operation: string;
  readonly summary: string;
  /** The body's contract type, when the route takes one. */
  readonly body?: 'Customer' | 'CustomerBatch';
  /** Whether If-Match / If-None-Match are read. */
  readonly conditional?: 'if-match' | 'if-none-match';
  /** The query parameters: those of a contract element (SearchCustomers), typed by it. */
  readonly query?: { readonly element: string; readonly names: readonly string[] };
  readonly success: { readonly status: 200 | 201 | 204; readonly schema?: 'Customer' | 'SearchAnswer' | 'History' | 'BatchReport' | 'Export' };
  readonly errors: readonly ErrorStatus[];
  readonly serve: (endpoint: JsonEndpoint, req: HttpRequestLike, id: string) => Promise<Outcome>;
}

const AUTH: readonly ErrorStatus[] = [401, 403, 503];

export const SEARCH_QUERY = ['name', 'email', 'status', 'country', 'externalId', 'updatedSince', 'offset', 'limit'] as const;

export const API_ROUTES: readonly ApiRoute[] = [
  {
    path: '/customers', method: 'post', operation: 'CreateCustomer', summary: 'Create a customer (201, Location, ETag)',
    body: 'Customer', success: { status: 201, schema: 'Customer' }, errors: [400, 409, 413, 415, ...AUTH],
    serve: (e, req) => e.create(req),
  },
  {
    path: '/customers', method: 'get', operation: 'SearchCustomers', summary: 'Search customers, ordered by id',
    query: { element: 'SearchCustomers', names: SEARCH_QUERY }, success: { status: 200, schema: 'SearchAnswer' }, errors: [400, ...AUTH],
    serve: (e, req) => e.search(req),
  },
  {
    path: '/customers/{id}', method: 'get', operation: 'GetCustomer', summary: 'Read a customer (ETag; 304 for a matching If-None-Match)',
    conditional: 'if-none-match', success: { status: 200, schema: 'Customer' }, errors: [400, 404, ...AUTH],
    serve: (e, req, id) => e.read(req, id),
  },
  {
    path: '/customers/{id}', method: 'put', operation: 'UpdateCustomer', summary: 'Replace a customer whole (version from the body or If-Match)',
    body: 'Customer', conditional: 'if-match', success: { status: 200, schema: 'Customer' }, errors: [400, 404, 409, 412, 413, 415, ...AUTH],
    serve: (e, req, id) => e.replace(req, id),
  },
  {
    path: '/customers/{id}', method: 'delete', operation: 'DeleteCustomer', summary: 'Delete a customer (with If-Match, only at that version)',
    conditional: 'if-match', success: { status: 204 }, errors: [400, 404, 412, ...AUTH],
    serve: (e, req, id) => e.remove(req, id),
  },
  {
    path: '/customers/{id}/history', method: 'get', operation: 'GetCustomerHistory', summary: "A customer's stored changes, oldest first (also once deleted)",
    success: { status: 200, schema: 'History' }, errors: [400, 404, ...AUTH],
    serve: (e, req, id) => e.history(req, id),
  },
  {
    path: '/batches', method: 'post', operation: 'ImportBatch', summary: 'Import a batch of any size, streamed (PARTIAL or ATOMIC; a batchId replays its first report)',
    body: 'CustomerBatch', success: { status: 200, schema: 'BatchReport' }, errors: [400, 413, 415, ...AUTH],
    serve: (e, req) => e.batches(req),
  },
  {
    path: '/export', method: 'get', operation: 'Export', summary: 'Every customer (or those updated since a time) as a batch without batchId, streamed; POST /api/batches takes it back',
    query: { element: 'SearchCustomers', names: EXPORT_PARAMETERS }, success: { status: 200, schema: 'Export' }, errors: [400, ...AUTH],
    serve: (e, req) => e.export(req),
  },
];
