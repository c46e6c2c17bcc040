// The XML-over-HTTP resources, socket-free: a channel adapter. Each request
// becomes a contract document (its body; its path id and query parameters as
// the request element they stand for) with its RequestContext, goes through
// the same Dispatcher as SOAP, and its result is rendered as the resource's
// answer. Errors are ServiceFault documents with the contract's HTTP status
// (xml-error.ts). No rule of the contract is decided here.
import type { Dispatcher, Message } from '../dispatch/dispatcher.js';
import { EXPORT, EXPORT_PARAMETERS } from '../dispatch/export-entry.js';
import type { DocumentEntry } from '../dispatch/operation-table.js';
import { dispatchParameters, parameterDocument, type Parameter, type ParameterDocument } from '../dispatch/parameter-document.js';
import type { RequestContext } from '../dispatch/request-context.js';
import {
  CREATE_RESOURCE,
  HISTORY_RESOURCE,
  PATH_ID_DOCUMENT,
  READ_RESOURCE,
  removeResource,
  replaceResource,
  SEARCH_PARAMETERS,
  SEARCH_RESOURCE,
} from '../dispatch/resource-table.js';
import type { Customer } from '../domain/customer.js';
import { UnsupportedMediaTypeError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import { customerBatchStream } from '../mapping/export-stream.js';
import { reportStream } from '../mapping/report-stream.js';
import { writeCustomerDocument, writeCustomerList } from '../mapping/resource-documents.js';
import { writeCustomerHistory } from '../mapping/history-document.js';
import { spooledSource } from '../import/batch-source.js';
import type { WorkerPolicy } from '../import/record-stream.js';
import { newDocument, serialize, type XmlParent } from '../xml/build.js';
import { parseXml } from '../xml/parse-xml.js';
import { etagOf, ifMatchVersion, ifNoneMatchHits } from './conditional.js';
import { parseContentType } from './content-type.js';
import { header, type HttpReply, type HttpRequestLike, type Outcome } from './http-reply.js';
import { SUCCESS_STATUS } from './http-status.js';
import { pathSegment, queryParameters, requestTarget } from './request-parameters.js';
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
  readonly maxRecordChars: number;
  /** WWW-Authenticate of a 401 (http-status.ts authChallenge): Bearer too when tokens are on. */
  readonly authChallenge?: string;
}

export class XmlEndpoint {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly options: XmlEndpointOptions,
    private readonly log: FaultLogger,
  ) {}

  /** POST /xml/batches: a CustomerBatch of any size, read as a stream; the BatchReport streams back. */
  batches(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'UpsertCustomers', async () => {
      this.acceptXml(req);
      const source = spooledSource(req.bodyStream(), this.options.spoolDir);
      let result;
      try {
        result = await this.dispatcher.importBatch(contextOf(req), source, { workers: this.options.importWorkers, maxRecordChars: this.options.maxRecordChars });
      } finally {
        await source.close();
      }
      const { session, summary } = result;
      return {
        status: SUCCESS_STATUS.ok,
        headers: { 'content-type': CONTENT_TYPE },
        body: closing(reportStream(summary, session.results()), () => session.close()),
      };
    });
  }

  /** GET /xml/export?updatedSince=: every customer as a CustomerBatch, streamed. */
  export(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'Export', async () => {
      const pages = await this.fromParameters(req, EXPORT, EXPORT_PARAMETERS, queryParameters(req));
      return { status: SUCCESS_STATUS.ok, headers: { 'content-type': CONTENT_TYPE }, body: customerBatchStream(pages) };
    });
  }

  /** POST /xml/customers */
  create(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'CreateCustomer', async () => {
      const customer = await this.fromBody(req, CREATE_RESOURCE);
      return customerReply(SUCCESS_STATUS.created, customer, { location: `/xml/customers/${encodeURIComponent(customer.id)}` });
    });
  }

  /** GET /xml/customers/{id} */
  read(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'GetCustomer', async () => {
      const customer = await this.fromParameters(req, READ_RESOURCE, ['id'], [pathSegment(req, 'id', id)]);
      if (ifNoneMatchHits(header(req, 'if-none-match'), customer)) {
        return { status: SUCCESS_STATUS.notModified, headers: { etag: etagOf(customer) }, body: Buffer.alloc(0) };
      }
      return customerReply(SUCCESS_STATUS.ok, customer);
    });
  }

  /** GET /xml/customers/{id}/history: its changes oldest first, also once deleted; NOT_FOUND for an id never stored. */
  history(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, HISTORY_RESOURCE.name, async () => {
      const history = await this.fromParameters(req, HISTORY_RESOURCE, ['id'], [pathSegment(req, 'id', id, 1)]);
      return { status: SUCCESS_STATUS.ok, headers: { 'content-type': CONTENT_TYPE }, body: write((doc) => writeCustomerHistory(doc, history)) };
    });
  }

  /** PUT /xml/customers/{id}: version from the body, or from If-Match (then a mismatch is 412). */
  replace(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'UpdateCustomer', async () => {
      const entry = replaceResource(id, ifMatchVersion(header(req, 'if-match')));
      return customerReply(SUCCESS_STATUS.ok, await this.fromBody(req, entry, [pathSegment(req, 'id', id)]));
    });
  }

  /** DELETE /xml/customers/{id}: with If-Match, only at that version (412 otherwise). */
  remove(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'DeleteCustomer', async () => {
      await this.fromParameters(req, removeResource(ifMatchVersion(header(req, 'if-match'))), ['id'], [pathSegment(req, 'id', id)]);
      return { status: SUCCESS_STATUS.noContent, headers: {}, body: Buffer.alloc(0) };
    });
  }

  /** GET /xml/customers?name=&...: the SearchCustomers filters as query parameters. */
  search(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'SearchCustomers', async () => {
      const page = await this.fromParameters(req, SEARCH_RESOURCE, SEARCH_PARAMETERS, queryParameters(req));
      return { status: SUCCESS_STATUS.ok, headers: { 'content-type': CONTENT_TYPE }, body: write((doc) => writeCustomerList(doc, page)) };
    });
  }

  /** Runs `work`, turning any failure into a ServiceFault reply. */
  async answer(req: HttpRequestLike, operation: string, work: () => Promise<HttpReply>): Promise<Outcome> {
    try {
      return { reply: await work(), operation, faultCode: undefined };
    } catch (err) {
      const { faultCode, ...reply } = xmlError(err, req.requestId, this.log, this.options.authChallenge);
      return { reply, operation, faultCode };
    }
  }

  private acceptXml(req: HttpRequestLike): void {
    const mediaType = parseContentType(header(req, 'content-type')).mediaType;
    if (!XML_MEDIA_TYPES.includes(mediaType)) {
      throw new UnsupportedMediaTypeError(`Content-Type '${mediaType}' is not accepted here: send application/xml or text/xml`);
    }
  }

  /** Reads, checks and parses a body (with the path's id beside it, when the resource has one), then dispatches it as `entry`. */
  private async fromBody<Req, Res>(req: HttpRequestLike, entry: DocumentEntry<Req, Res>, path: readonly Parameter[] = []): Promise<Res> {
    this.acceptXml(req);
    const source = await req.readBody(this.options.maxBodyBytes);
    const doc = parseXml(source);
    let parameters: ParameterDocument | undefined;
    try {
      parameters = path.length === 0 ? undefined : parameterDocument(PATH_ID_DOCUMENT, ['id'], path, requestTarget(req));
      const message: Message = { root: doc.root, source, payload: doc.root, parameters: parameters?.message };
      return await this.dispatcher.dispatch(contextOf(req), entry, message);
    } finally {
      parameters?.dispose();
      // The DOM lives in WebAssembly memory, which no garbage collector frees.
      doc.dispose();
    }
  }

  private fromParameters<Req, Res>(req: HttpRequestLike, entry: DocumentEntry<Req, Res>, order: readonly string[], parameters: readonly Parameter[]): Promise<Res> {
    return dispatchParameters(this.dispatcher, contextOf(req), entry, order, parameters, requestTarget(req));
  }
}

/** The request's context: its Authorization header collected as sent, for the auth stage to read and verify. */
export function contextOf(req: HttpRequestLike): RequestContext {
  return { channel: 'xml', requestId: req.requestId, credentials: { authorization: header(req, 'authorization') } };
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
