// The catalogue of failures. Every error the service raises on purpose is a
// BridgeError subclass with a stable contract `code`; fault-for.ts is the only
// place that turns one into a fault. Never throw strings or ad-hoc objects.

export type FaultCode =
  | 'MALFORMED_XML'
  | 'MALFORMED_JSON'
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_OPERATION'
  | 'NOT_FOUND'
  | 'DUPLICATE_EXTERNAL_ID'
  | 'VERSION_CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** Where a schema error is in the message as it was sent (1-based). */
export interface SchemaErrorDetail {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /**
   * Where it is for a JSON client (contract v1.1, /api): a JSON Pointer into
   * the body (`/addresses/0/country`), or a parameter's name with `in`.
   */
  readonly path?: string | undefined;
  /** Set when `path` names a request parameter rather than a place in the body. */
  readonly in?: 'query' | 'path' | undefined;
}

export abstract class BridgeError extends Error {
  abstract readonly code: FaultCode;
  /** True when the sender can fix it (SOAP Client/Sender); false for Server/Receiver. */
  readonly senderFault: boolean = true;
}

/** The bytes are not well-formed XML, carry a DOCTYPE, or are not a SOAP envelope at all. */
export class MalformedXmlError extends BridgeError {
  override readonly name: string = 'MalformedXmlError';
  readonly code = 'MALFORMED_XML';
  constructor(message: string, readonly errors: readonly SchemaErrorDetail[] = []) {
    super(message);
  }
}

/** An /api body is not JSON (contract v1.1): not UTF-8, not one JSON text; `errors` says where (line, column). */
export class MalformedJsonError extends BridgeError {
  override readonly name: string = 'MalformedJsonError';
  readonly code = 'MALFORMED_JSON';
  constructor(message: string, readonly errors: readonly SchemaErrorDetail[] = []) {
    super(message);
  }
}

/** The SOAP envelope namespace disagrees with the Content-Type (SOAP 1.1 §4.4, SOAP 1.2 Part 1 §5.4.7). */
export class SoapVersionMismatchError extends MalformedXmlError {
  override readonly name: string = 'SoapVersionMismatchError';
}

/** The payload fails the XSD, or a rule the operation states on top of it (id required on update). */
export class ValidationFailedError extends BridgeError {
  override readonly name: string = 'ValidationFailedError';
  readonly code = 'VALIDATION_FAILED';
  constructor(message: string, readonly errors: readonly SchemaErrorDetail[] = []) {
    super(message);
  }
}

/** A header block marked mustUnderstand that this service does not understand (SOAP 1.2 Part 1 §5.4.8). */
export class MustUnderstandError extends ValidationFailedError {
  override readonly name: string = 'MustUnderstandError';
  constructor(readonly notUnderstood: readonly { ns: string; local: string }[]) {
    super(
      `Header block(s) marked mustUnderstand are not understood by this service: ${notUnderstood
        .map((q) => `{${q.ns}}${q.local}`)
        .join(', ')}`,
    );
  }
}

/** The payload root names no operation, or the SOAPAction/action names another one. */
export class UnknownOperationError extends BridgeError {
  override readonly name: string = 'UnknownOperationError';
  readonly code = 'UNKNOWN_OPERATION';
}

/** The path is known but no operation answers it with this method (HTTP 405); `allow` lists the methods that do. */
export class MethodNotAllowedError extends UnknownOperationError {
  override readonly name: string = 'MethodNotAllowedError';
  constructor(message: string, readonly allow: string) {
    super(message);
  }
}

/** No customer with the given id or externalId. */
export class NotFoundError extends BridgeError {
  override readonly name: string = 'NotFoundError';
  readonly code = 'NOT_FOUND';
}

/** Another customer already holds this externalId. */
export class DuplicateExternalIdError extends BridgeError {
  override readonly name: string = 'DuplicateExternalIdError';
  readonly code = 'DUPLICATE_EXTERNAL_ID';
}

/** The version sent on update is not the stored one (optimistic concurrency). */
export class VersionConflictError extends BridgeError {
  override readonly name: string = 'VersionConflictError';
  readonly code = 'VERSION_CONFLICT';
}

/** The one message of every failed authentication (contract: the same whichever it was). */
export const AUTHENTICATION_FAILED = 'Authentication failed: unknown user, wrong password, or a token that is not valid';

/**
 * Credentials missing or wrong: an unknown user, a wrong password, a replayed
 * nonce, a bad or expired token. The message is the same whichever it was
 * (AUTHENTICATION_FAILED); `reason` says which, for the log only, never for the client.
 */
export class UnauthorizedError extends BridgeError {
  override readonly name: string = 'UnauthorizedError';
  readonly code = 'UNAUTHORIZED';
  constructor(readonly reason: string, message: string = AUTHENTICATION_FAILED) {
    super(message);
  }
}

/** The caller is known but its role may not do this: a reader's write, a token with no crm.* scope. */
export class ForbiddenError extends BridgeError {
  override readonly name: string = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
}

/** The body is larger than the configured limit; raised before any parsing. */
export class PayloadTooLargeError extends BridgeError {
  override readonly name: string = 'PayloadTooLargeError';
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** The request's headers are more than node's maxHeaderSize (16 KiB): PAYLOAD_TOO_LARGE, answered 431 (RFC 6585 5). */
export class HeadersTooLargeError extends PayloadTooLargeError {
  override readonly name: string = 'HeadersTooLargeError';
}

/** The Content-Type is none the endpoint accepts. */
export class UnsupportedMediaTypeError extends BridgeError {
  override readonly name: string = 'UnsupportedMediaTypeError';
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** What was asked is busy elsewhere for now (a batchId a live process is importing): send it again after `retryAfterSeconds` (Retry-After). */
export class UnavailableError extends BridgeError {
  override readonly name: string = 'UnavailableError';
  readonly code = 'UNAVAILABLE';
  override readonly senderFault = false;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** A failure on our side; the client sees only this message and a request id. */
export class InternalError extends BridgeError {
  override readonly name: string = 'InternalError';
  readonly code = 'INTERNAL';
  override readonly senderFault = false;
}

/**
 * The thread reading a batch's records (CRM_IMPORT_WORKERS) died or failed
 * part-way: out of memory, a crash, an error while reading. The import stops
 * there; the message says what happened and how far the thread had got, which
 * is the same on every try of the same file (the drop folder tells a repeated
 * failure by it). Records the thread passed on before are stored as usual.
 */
export class RecordReaderFailedError extends InternalError {
  override readonly name: string = 'RecordReaderFailedError';
  constructor(
    /** What happened, as a sentence: "the thread reading records ran out of memory (ERR_WORKER_OUT_OF_MEMORY)". */
    readonly what: string,
    /** Records the thread had passed on to be stored, all of them before the failure. */
    readonly recordsRead: number,
    /** Bytes of the file the thread had read when it passed on the last of them. */
    readonly bytesRead: number,
    readonly bytes: number,
    options?: ErrorOptions,
  ) {
    super(`${what}, after record ${recordsRead} of the batch (the thread had read ${bytesRead} of ${bytes} bytes by then); records after it were not read`, options);
  }
}

/** If-Match named a version that is not the current one (RFC 9110 13.1.1): VERSION_CONFLICT, answered 412 on /xml. */
export class PreconditionFailedError extends VersionConflictError {
  override readonly name: string = 'PreconditionFailedError';
}

// Signals between the service's own parts: never a fault, never sent to a client.

/** The drop-folder claimant learns it lost its file: another instance took the claim over. Never leaves the drop folder. */
export class ClaimTakenOverError extends Error {
  override readonly name: string = 'ClaimTakenOverError';
  constructor(readonly claim: string) {
    super(`claim ${claim} was taken over by another instance`);
  }
}
