// The /api resources (contract v1.1, JSON over HTTP), socket-free: a channel
// adapter, as xml-endpoint.ts is for /xml. A body is parsed as JSON
// (json/parse-json.ts) and dispatched with the JSON entries
// (dispatch/json-resource-table.ts); a path id and the query are the same
// parameter documents as on /xml, so the XSD checks them as it checks them
// there; the result is rendered as JSON. No rule of the contract is decided here.
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { EXPORT, EXPORT_PARAMETERS } from '../dispatch/export-entry.js';
import type { JsonEntry } from '../dispatch/json-entry.js';
import { CREATE_JSON_RESOURCE, replaceJsonResource } from '../dispatch/json-resource-table.js';
import type { DocumentEntry } from '../dispatch/operation-table.js';
import { dispatchParameters, parameterDocument, type Parameter, type ParameterDocument } from '../dispatch/parameter-document.js';
import type { RequestContext } from '../dispatch/request-context.js';
import { HISTORY_RESOURCE, PATH_ID_DOCUMENT, READ_RESOURCE, removeResource, SEARCH_PARAMETERS, SEARCH_RESOURCE } from '../dispatch/resource-table.js';
import type { Customer } from '../domain/customer.js';
import { UnsupportedMediaTypeError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import os from 'node:os';
import { spooledSource } from '../import/batch-source.js';
import { parseJson } from '../json/parse-json.js';
import { reportJsonStream } from '../mapping/report-json.js';
import { customerJson, historyJson, searchPageJson } from '../mapping/customer-json.js';
import { customerBatchJsonStream } from '../mapping/export-json.js';
import { etagOf, ifMatchVersion, ifNoneMatchHits } from './conditional.js';
import { parseContentType } from './content-type.js';
import { header, type HttpReply, type HttpRequestLike, type Outcome } from './http-reply.js';
import { SUCCESS_STATUS } from './http-status.js';
import { JSON_CONTENT_TYPE, jsonError } from './json-error.js';
import { pathSegment, queryParameters, requestTarget } from './request-parameters.js';

/** Where the /api resources are (the prefix of every Location). */
export const API_PREFIX = '/api';

export interface JsonEndpointOptions {
  readonly maxBodyBytes: number;
  /** Where streamed batch bodies are copied while their structure is checked (POST /api/batches). */
  readonly spoolDir?: string;
  /** The most characters one record of a batch may hold (CRM_MAX_RECORD_BYTES). */
  readonly maxRecordChars?: number;
  /** WWW-Authenticate of a 401 (http-status.ts authChallenge): Bearer too when tokens are on. */
  readonly authChallenge?: string;
}

/** application/json and any application/*+json (RFC 6839), in UTF-8 (RFC 8259 8.1). */
export function isJsonMediaType(contentType: string | undefined): { ok: true } | { ok: false; why: string } {
  const { mediaType, params } = parseContentType(contentType);
  if (mediaType !== 'application/json' && !/^application\/[^/]+\+json$/.test(mediaType)) {
    return { ok: false, why: `Content-Type '${mediaType}' is not accepted here: send application/json` };
  }
  const charset = params.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return { ok: false, why: `charset '${charset}' is not accepted here: JSON is UTF-8` };
  return { ok: true };
}

export class JsonEndpoint {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly options: JsonEndpointOptions,
    private readonly log: FaultLogger,
  ) {}

  /** POST /api/customers */
  create(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'CreateCustomer', async () => {
      const customer = await this.fromBody(req, CREATE_JSON_RESOURCE);
      return customerReply(SUCCESS_STATUS.created, customer, { location: `${API_PREFIX}/customers/${encodeURIComponent(customer.id)}` });
    });
  }

  /** GET /api/customers/{id} */
  read(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'GetCustomer', async () => {
      const customer = await this.fromParameters(req, READ_RESOURCE, ['id'], [pathSegment(req, 'id', id)]);
      if (ifNoneMatchHits(header(req, 'if-none-match'), customer)) {
        return { status: SUCCESS_STATUS.notModified, headers: { etag: etagOf(customer) }, body: Buffer.alloc(0) };
      }
      return customerReply(SUCCESS_STATUS.ok, customer);
    });
  }

  /** GET /api/customers/{id}/history: {"changes":[...]}, oldest first, also once deleted. */
  history(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, HISTORY_RESOURCE.name, async () => {
      const history = await this.fromParameters(req, HISTORY_RESOURCE, ['id'], [pathSegment(req, 'id', id, 1)]);
      return jsonReply(SUCCESS_STATUS.ok, historyJson(history));
    });
  }

  /** PUT /api/customers/{id}: the whole customer; version from the body, or from If-Match (then a mismatch is 412). */
  replace(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'UpdateCustomer', async () => {
      const entry = replaceJsonResource(id, ifMatchVersion(header(req, 'if-match')));
      return customerReply(SUCCESS_STATUS.ok, await this.fromBody(req, entry, [pathSegment(req, 'id', id)]));
    });
  }

  /** DELETE /api/customers/{id}: with If-Match, only at that version (412 otherwise). */
  remove(req: HttpRequestLike, id: string): Promise<Outcome> {
    return this.answer(req, 'DeleteCustomer', async () => {
      await this.fromParameters(req, removeResource(ifMatchVersion(header(req, 'if-match'))), ['id'], [pathSegment(req, 'id', id)]);
      return { status: SUCCESS_STATUS.noContent, headers: {}, body: Buffer.alloc(0) };
    });
  }

  /** GET /api/customers?name=&...: SearchCustomers' filters, as on /xml. */
  search(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'SearchCustomers', async () => {
      const page = await this.fromParameters(req, SEARCH_RESOURCE, SEARCH_PARAMETERS, queryParameters(req));
      return jsonReply(SUCCESS_STATUS.ok, searchPageJson(page));
    });
  }

  /** POST /api/batches: {"batchId","mode","customers":[...]} of any size, read as a stream; the report streams back. */
  batches(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, 'UpsertCustomers', async () => {
      const accepted = isJsonMediaType(header(req, 'content-type'));
      if (!accepted.ok) throw new UnsupportedMediaTypeError(accepted.why);
      const source = spooledSource(req.bodyStream(), this.options.spoolDir ?? os.tmpdir(), 'json');
      let result;
      try {
        result = await this.dispatcher.importJsonBatch(contextOf(req), source, { maxRecordChars: this.options.maxRecordChars });
      } finally {
        await source.close();
      }
      const { session, summary } = result;
      return {
        status: SUCCESS_STATUS.ok,
        headers: { 'content-type': JSON_CONTENT_TYPE },
        body: closing(reportJsonStream(summary, session.results()), () => session.close()),
      };
    });
  }

  /** GET /api/export?updatedSince=: every customer as {"customers":[...]}, streamed; the Export entry of GET /xml/export. */
  export(req: HttpRequestLike): Promise<Outcome> {
    return this.answer(req, EXPORT.name, async () => {
      const pages = await this.fromParameters(req, EXPORT, EXPORT_PARAMETERS, queryParameters(req));
      return { status: SUCCESS_STATUS.ok, headers: { 'content-type': JSON_CONTENT_TYPE }, body: customerBatchJsonStream(pages) };
    });
  }

  /** Runs `work`, turning any failure into a JSON error answer. */
  async answer(req: HttpRequestLike, operation: string, work: () => Promise<HttpReply>): Promise<Outcome> {
    try {
      return { reply: await work(), operation, faultCode: undefined };
    } catch (err) {
      const { faultCode, ...reply } = jsonError(err, req.requestId, this.log, this.options.authChallenge);
      return { reply, operation, faultCode };
    }
  }

  /** Reads, checks and parses a JSON body (with the path's id beside it, when the resource has one), then dispatches it as `entry`. */
  private async fromBody<Req, Res>(req: HttpRequestLike, entry: JsonEntry<Req, Res>, path: readonly Parameter[] = []): Promise<Res> {
    const accepted = isJsonMediaType(header(req, 'content-type'));
    if (!accepted.ok) throw new UnsupportedMediaTypeError(accepted.why);
    const document = parseJson(await req.readBody(this.options.maxBodyBytes));
    let parameters: ParameterDocument | undefined;
    try {
      parameters = path.length === 0 ? undefined : parameterDocument(PATH_ID_DOCUMENT, ['id'], path, requestTarget(req));
      return await this.dispatcher.dispatchJson(contextOf(req), entry, { document, parameters: parameters?.message });
    } finally {
      parameters?.dispose();
    }
  }

  private fromParameters<Req, Res>(req: HttpRequestLike, entry: DocumentEntry<Req, Res>, order: readonly string[], parameters: readonly Parameter[]): Promise<Res> {
    return dispatchParameters(this.dispatcher, contextOf(req), entry, order, parameters, requestTarget(req));
  }
}

/** The request's context on the JSON channel: its Authorization header as sent, for the auth stage. */
export function contextOf(req: HttpRequestLike): RequestContext {
  return { channel: 'json', requestId: req.requestId, credentials: { authorization: header(req, 'authorization') } };
}

/** `pieces`, then `close()` however the consumer stops. */
async function* closing(pieces: AsyncIterable<string>, close: () => Promise<void>): AsyncGenerator<string> {
  try {
    yield* pieces;
  } finally {
    await close();
  }
}

function jsonReply(status: number, value: unknown, extra: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...extra }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

function customerReply(status: number, customer: Customer, extra: Record<string, string> = {}): HttpReply {
  return jsonReply(status, customerJson(customer), { etag: etagOf(customer), ...extra });
}
