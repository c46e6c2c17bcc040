// The XML-over-HTTP resources, socket-free: transport -> parse -> dispatch
// (validate -> read -> operation) -> write, with the same dispatcher, schema
// and operations as SOAP. Errors are ServiceFault documents with the
// contract's HTTP status (xml-error.ts).
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { OperationEntry } from '../dispatch/operation-table.js';
import { CREATE_RESOURCE, replaceResource, SEARCH_PARAMETERS, SEARCH_RESOURCE } from '../dispatch/resource-table.js';
import type { Customer } from '../domain/customer.js';
import {
  PreconditionFailedError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
  VersionConflictError,
} from '../errors.js';
import type { FaultLogger } from '../fault.js';
import { writeCustomerDocument } from '../mapping/resource-documents.js';
import { customerBatchStream } from '../mapping/export-stream.js';
import { reportStream } from '../mapping/report-stream.js';
import { importBatch } from '../import/import-batch.js';
import type { WorkerPolicy } from '../import/record-stream.js';
import { spooledSource } from '../import/batch-source.js';
import { exportCustomers } from '../operations/export-customers.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { updatedSinceBound } from '../mapping/search-messages.js';
import { childText, type XmlElement } from '../xml/dom.js';
import { deleteCustomer } from '../operations/delete-customer.js';
import { getCustomer } from '../operations/get-customer.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import { newDocument, serialize, type XmlParent } from '../xml/build.js';
import { NS } from '../xml/namespaces.js';
import { parseXml } from '../xml/parse-xml.js';
import { etagOf, ifMatchVersion, ifNoneMatchHits } from './conditional.js';
import { parseContentType } from './content-type.js';
import { header, type HttpReply, type HttpRequestLike, type Outcome } from './http-reply.js';
import { queryDocument } from './query-document.js';
import { xmlError } from './xml-error.js';

export const XML_MEDIA_TYPES = ['application/xml', 'text/xml'];
const CONTENT_TYPE = 'application/xml; charset=utf-8';

export interface XmlEndpointOptions {
  readonly maxBodyBytes: number;
  /** Where streamed batch bodies are copied while their structure is checked. */
  readonly spoolDir: string;
  /** Whether a large batch reads its records in a worker thread. */
  readonly importWorkers: WorkerPolicy;
  /** The most characters one record of a batch may hold (CRM_MAX_RECORD_BYTES). */
  readonly maxRecordBytes: number;
}

export class XmlEndpoint {
  private readonly maxBodyBytes: number;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly validator: PayloadValidator,
    private readonly deps: OperationDeps,
    private readonly options: XmlEndpointOptions,
    private readonly log: FaultLogger,
  ) {
    this.maxBodyBytes = options.maxBodyBytes;
  }

  /** POST /xml/batches: a CustomerBatch of any size, read as a stream; the BatchReport streams back. */
  batches(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'UpsertCustomers', async () => {
      this.acceptXml(req);
      const source = spooledSource(req.bodyStream(), this.options.spoolDir);
      let result;
      try {
        result = await importBatch(source, { deps: this.deps, validator: this.validator, workers: this.options.importWorkers, maxRecordChars: this.options.maxRecordBytes });
      } finally {
        await source.close();
      }
      const { session, summary } = result;
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE },
        body: closing(reportStream(summary, session.results()), () => session.close()),
      };
    });
  }

  /** GET /xml/export?updatedSince=: every customer as a CustomerBatch, streamed. */
  export(req: HttpRequestLike, query: Readonly<Record<string, unknown>>): Promise<Outcome> {
    return this.answer(req, 'Export', async () => {
      // updatedSince is checked as SearchCustomers' element of the same name and type.
      const updatedSince = this.checkedQuery(queryDocument('SearchCustomers', ['updatedSince'], query), (root) => {
        const value = childText(root, 'updatedSince');
        return value === undefined ? undefined : updatedSinceBound(value);
      });
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE },
        body: customerBatchStream(exportCustomers({ updatedSince }, this.deps)),
      };
    });
  }

  /** POST /xml/customers */
  create(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'CreateCustomer', async () => {
      const customer = await this.fromBody(req, CREATE_RESOURCE);
      return customerReply(201, customer, { location: `/xml/customers/${encodeURIComponent(customer.id)}` });
    });
  }

  /** GET /xml/customers/{id} */
  read(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'GetCustomer', async () => {
      const customer = await getCustomer({ id }, this.deps);
      if (ifNoneMatchHits(header(req, 'if-none-match'), customer)) {
        return { status: 304, headers: { etag: etagOf(customer) }, body: Buffer.alloc(0) };
      }
      return customerReply(200, customer);
    });
  }

  /** PUT /xml/customers/{id}: version from the body, or from If-Match (then a mismatch is 412). */
  replace(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'UpdateCustomer', async () => {
      const expected = this.precondition(req);
      const customer = await this.conditionally(expected, () => this.fromBody(req, replaceResource(id, expected)));
      return customerReply(200, customer);
    });
  }

  /** DELETE /xml/customers/{id}: with If-Match, only at that version (412 otherwise). */
  remove(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'DeleteCustomer', async () => {
      const expected = this.precondition(req);
      await this.conditionally(expected, () => deleteCustomer({ id, expectedVersion: expected }, this.deps));
      return { status: 204, headers: {}, body: Buffer.alloc(0) };
    });
  }

  /** GET /xml/customers?name=&...: the SearchCustomers filters as query parameters. */
  search(req: HttpRequestLike, query: Readonly<Record<string, unknown>>): Promise<Outcome> {
    return this.answer(req, 'SearchCustomers', async () => {
      const source = queryDocument('SearchCustomers', SEARCH_PARAMETERS, query);
      const done = await this.dispatchDocument(source, SEARCH_RESOURCE, 'SearchCustomers').catch((err: unknown) => {
        throw err instanceof ValidationFailedError ? asQueryErrors(err) : err;
      });
      return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: write(done.writeResponse) };
    });
  }

  /** Runs `work`, turning any failure into a ServiceFault reply. */
  async answer(req: HttpRequestLike, operation: string, work: () => Promise<HttpReply>): Promise<Outcome> {
    try {
      return { reply: await work(), operation, faultCode: undefined };
    } catch (err) {
      const { faultCode, ...reply } = xmlError(err, req.requestId, this.log);
      return { reply, operation, faultCode };
    }
  }

  private acceptXml(req: HttpRequestLike): void {
    const mediaType = parseContentType(header(req, 'content-type')).mediaType;
    if (!XML_MEDIA_TYPES.includes(mediaType)) {
      throw new UnsupportedMediaTypeError(`Content-Type '${mediaType}' is not accepted here: send application/xml or text/xml`);
    }
  }

  /** Reads, checks and parses a body, then dispatches it as `entry`. */
  async fromBody<Req, Res>(req: HttpRequestLike, entry: OperationEntry<Req, Res>): Promise<Res> {
    this.acceptXml(req);
    const source = await req.readBody(this.maxBodyBytes);
    return (await this.dispatchDocument(source, entry, 'Customer')).result;
  }

  private async dispatchDocument<Req, Res>(source: Buffer, entry: OperationEntry<Req, Res>, rootName: string) {
    const doc = parseXml(source);
    try {
      const root = doc.root;
      if (root.name !== rootName || root.namespaceUri !== NS.crm) {
        throw new ValidationFailedError(`Expected a {${NS.crm}}${rootName} document, got {${root.namespaceUri}}${root.name}`);
      }
      return await this.dispatcher.dispatch(entry, { root, source, payload: root });
    } finally {
      doc.dispose();
    }
  }

  /** A query document validated by the XSD, then read; nothing runs. */
  private checkedQuery<T>(source: Buffer, read: (root: XmlElement) => T): T {
    const doc = parseXml(source);
    try {
      const errors = this.validator.validate(doc.root, source);
      if (errors.length > 0) throw asQueryErrors(new ValidationFailedError('query', errors));
      return read(doc.root);
    } finally {
      doc.dispose();
    }
  }

  private precondition(req: HttpRequestLike): number | undefined {
    const expected = ifMatchVersion(header(req, 'if-match'));
    if (Number.isNaN(expected)) throw new PreconditionFailedError('If-Match names no version this customer can have');
    return expected;
  }

  /** A VERSION_CONFLICT against an If-Match version is the precondition failing: 412. */
  private async conditionally<T>(expected: number | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (expected !== undefined && err instanceof VersionConflictError) throw new PreconditionFailedError(err.message);
      throw err;
    }
  }
}

/** Schema errors of a query document, told by parameter: a line in a document the client never saw means nothing. */
function asQueryErrors(err: ValidationFailedError): ValidationFailedError {
  const errors = err.errors.map((e) => {
    const parameter = /^Element '\{[^}]*\}([^']+)'/.exec(e.message)?.[1];
    return { line: 0, column: 0, message: parameter === undefined ? e.message : `query parameter ${parameter}: ${e.message}` };
  });
  return new ValidationFailedError(errors.length > 0 ? `Invalid ${errors[0]?.message ?? ''}` : err.message, errors);
}

/** `pieces`, then `close()` however the consumer stops. */
async function* closing(pieces: AsyncIterable<string>, close: () => Promise<void>): AsyncGenerator<string> {
  try {
    yield* pieces;
  } finally {
    await close();
  }
}

function write(writeBody: (parent: XmlParent) => void): Buffer {
  const doc = newDocument();
  writeBody(doc);
  return serialize(doc);
}

function customerReply(status: number, customer: Customer, extra: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE, etag: etagOf(customer), ...extra },
    body: write((doc) => writeCustomerDocument(doc, customer)),
  };
}

