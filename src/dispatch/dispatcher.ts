// dispatch: the one pipeline every channel's request goes through. A channel
// turns its input into a contract document (or, for a streamed batch, a
// source) with a RequestContext; here the stages admit it, the document's
// root and the XSD are checked, the request is read and the operation run.
// Also the one place every channel's document meets the shape limits (depth,
// attributes, text; xml/shape-limits.ts): a whole message here, a streamed
// batch in its pass 1. Knows nothing about SOAP, HTTP, files or the command line.
import { ValidationFailedError, UnknownOperationError, type SchemaErrorDetail } from '../errors.js';
import type { BatchSource } from '../import/batch-source.js';
import { importBatch, importJsonBatch, type ImportOptions, type ImportResult, type SessionOptions } from '../import/import-batch.js';
import { previewBatch, type Preview, type PreviewOptions } from '../import/preview-batch.js';
import type { OperationDeps, RequestDeps } from '../operations/operation-deps.js';
import { contractName, expectRoot } from '../validation/contract-root.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import type { XmlElement } from '../xml/dom.js';
import { checkJsonShape } from '../json/json-shape.js';
import { jsonLocator } from '../json/locate-json.js';
import type { JsonDocument } from '../json/parse-json.js';
import { AjvJsonValidator, type JsonValidator } from '../validation/json-validator.js';
import { checkMessageShape, DEFAULT_SHAPE_LIMITS, type ShapeLimits } from '../xml/shape-limits.js';
import { NS, SOAP_ACTION_PREFIX } from '../xml/namespaces.js';
import type { JsonEntry } from './json-entry.js';
import { OPERATIONS, type DocumentEntry, type OperationEntry } from './operation-table.js';
import { attributionOf, type RequestContext } from './request-context.js';
import type { Stage } from './stage.js';

export interface Message {
  /** What is validated: the SOAP Envelope, or a bare document's root. */
  readonly root: XmlElement;
  /** The bytes as sent: schema error positions refer to them. */
  readonly source: Uint8Array;
  readonly payload: XmlElement;
  /** Where a schema error is in what the client sent, when that is not `source` (a document built from parameters). */
  readonly locate?: (error: SchemaErrorDetail) => SchemaErrorDetail;
  /** The request's parameters (a path's id beside a body) as a document of their own, validated first. */
  readonly parameters?: Message;
}

/** A JSON body (/api) with its parameters (a path's id beside it) as the document they stand for. */
export interface JsonMessage {
  readonly document: JsonDocument;
  readonly parameters?: Message | undefined;
}

/** The streamed operations' names, as stages see them. */
const IMPORT_BATCH = 'ImportBatch';
const PREVIEW_BATCH = 'PreviewBatch';

export class Dispatcher {
  constructor(
    private readonly validator: PayloadValidator,
    private readonly deps: OperationDeps,
    private readonly stages: readonly Stage[] = [],
    private readonly shape: ShapeLimits = DEFAULT_SHAPE_LIMITS,
    private readonly json: JsonValidator = sharedJsonValidator(),
  ) {}

  /** The operation a payload names; UNKNOWN_OPERATION when none, or when the action disagrees. */
  resolve(payload: XmlElement, action: string): OperationEntry {
    const name = contractName(payload);
    const entry = name === undefined ? undefined : OPERATIONS.get(name);
    if (entry === undefined) {
      throw new UnknownOperationError(
        `{${payload.namespaceUri}}${payload.name} is not an operation of CustomerService; expected one of ${[...OPERATIONS.keys()].join(', ')} in namespace ${NS.crm}`,
      );
    }
    // Routing is by the payload; a header naming another operation is refused, never followed.
    if (action !== '' && action !== SOAP_ACTION_PREFIX + entry.name) {
      throw new UnknownOperationError(
        `The SOAP action '${action}' does not match the payload ${entry.name}; expected '${SOAP_ACTION_PREFIX}${entry.name}' or none`,
      );
    }
    return entry;
  }

  /** Runs `entry` on `message`: admit -> root -> validate -> read -> operation; answers the operation's result for the channel to render. */
  async dispatch<Req, Res>(context: RequestContext, entry: DocumentEntry<Req, Res>, message: Message): Promise<Res> {
    // Before the stages, as the body size is checked before them: a limit of what the service reads at all.
    checkMessageShape(message.source, this.shape);
    await this.admit(context, entry.name);
    expectRoot(message.payload, entry.root);
    const errors = message.parameters === undefined ? [] : this.schemaErrors(message.parameters, false);
    errors.push(...this.schemaErrors(message, entry.recordWise === true));
    if (errors.length > 0) {
      throw new ValidationFailedError(
        `The message fails the schema with ${errors.length} error${errors.length === 1 ? '' : 's'}; the first: ${errors[0]?.message ?? ''}`,
        errors,
      );
    }
    const request = entry.read(message.payload, {
      validateRecord: (record) => this.validator.validateRecord(record, message.source),
      validExternalId: (value) => this.validator.validExternalId(value),
    });
    return entry.run(request, this.depsOf(context));
  }

  /**
   * Runs `entry` on a JSON body: the same steps as dispatch(), with the
   * XSD-derived JSON Schema as the validation of the body (the parameters are
   * XSD-checked documents, as on /xml): shape -> admit -> validate -> read -> operation.
   */
  async dispatchJson<Req, Res>(context: RequestContext, entry: JsonEntry<Req, Res>, message: JsonMessage): Promise<Res> {
    const { document } = message;
    checkJsonShape(document.value, this.shape);
    await this.admit(context, entry.name);
    const errors = message.parameters === undefined ? [] : this.schemaErrors(message.parameters, false);
    for (const d of document.duplicates) errors.push({ line: d.line, column: d.column, path: d.path, message: `${d.path}: the member is repeated in its object` });
    const checked = this.json.validate(entry.root, document.value, jsonLocator(document.text));
    errors.push(...checked.errors);
    if (errors.length > 0) {
      throw new ValidationFailedError(
        `The message fails the schema with ${errors.length} error${errors.length === 1 ? '' : 's'}; the first: ${errors[0]?.message ?? ''}`,
        errors,
      );
    }
    return entry.run(entry.read(checked.value), this.depsOf(context));
  }

  /** Every schema error of `message`, where it is in what the client sent. */
  private schemaErrors(message: Message, recordWise: boolean): SchemaErrorDetail[] {
    // A batch wrapper is checked whole but its records one by one, so that one
    // bad record fails alone instead of turning the whole batch away.
    const found = recordWise
      ? this.validator.validateWrapper(message.root, message.source)
      : this.validator.validate(message.root, message.source);
    return message.locate === undefined || found.length === 0 ? found : found.map(message.locate);
  }

  /** A streamed CustomerBatch of any size (POST /xml/batches, crm-bridge import, the drop folder): admit, then import. */
  async importBatch(context: RequestContext, source: BatchSource, options: Omit<ImportOptions, 'deps' | 'validator'>): Promise<ImportResult> {
    await this.admit(context, IMPORT_BATCH);
    return importBatch(source, { ...options, deps: this.depsOf(context), validator: this.validator, shape: this.shape });
  }

  /** A streamed JSON batch of any size (POST /api/batches): admitted as the same operation as an XML one, then imported. */
  async importJsonBatch(context: RequestContext, source: BatchSource, options: Omit<SessionOptions, 'deps' | 'shape'>): Promise<ImportResult> {
    await this.admit(context, IMPORT_BATCH);
    return importJsonBatch(source, { ...options, deps: this.depsOf(context), json: this.json, shape: this.shape });
  }

  /** The dry run of a streamed CustomerBatch: admit, then check every record and store nothing. */
  async previewBatch(context: RequestContext, source: BatchSource, options: Omit<PreviewOptions, 'deps' | 'validator'>): Promise<Preview> {
    await this.admit(context, PREVIEW_BATCH);
    return previewBatch(source, { ...options, deps: this.deps, validator: this.validator, shape: this.shape });
  }

  /** The operation's deps for this request: its changes are recorded as made by whom the stages admitted, under its id. */
  private depsOf(context: RequestContext): RequestDeps {
    return { ...this.deps, by: attributionOf(context) };
  }

  /**
   * The one place a request meets the stages: once per request, every channel,
   * document and streamed operations alike, before anything of it is
   * validated or run.
   */
  private async admit(context: RequestContext, operation: string): Promise<void> {
    for (const stage of this.stages) await stage.admit(context, operation);
  }
}

let json: JsonValidator | undefined;

/** The JSON Schema compiled once a process (Ajv's compiled functions are immutable), as the XSD is. */
function sharedJsonValidator(): JsonValidator {
  json ??= new AjvJsonValidator();
  return json;
}
