// A fault as a plain value, and faultFor() (operatorFault() for the command
// line): the one place an error becomes a fault. Unknown errors become
// INTERNAL with a request id; their detail goes to the log only, never to the
// client.
import type { FaultCode, SchemaErrorDetail } from './errors.js';
import {
  BridgeError,
  InternalError,
  MalformedJsonError,
  MalformedXmlError,
  MethodNotAllowedError,
  MustUnderstandError,
  SoapVersionMismatchError,
  UnavailableError,
  ValidationFailedError,
} from './errors.js';

/** Who is at fault, as SOAP tells it: each version names these its own way (envelope/soap-version.ts). */
export type SoapFaultKind = 'sender' | 'receiver' | 'versionMismatch' | 'mustUnderstand';

export interface Fault {
  readonly code: FaultCode;
  readonly message: string;
  readonly errors: readonly SchemaErrorDetail[];
  readonly kind: SoapFaultKind;
  /** Header blocks to list in a SOAP 1.2 NotUnderstood header. */
  readonly notUnderstood: readonly { ns: string; local: string }[];
  /** When to send it again (HTTP Retry-After, seconds): UNAVAILABLE only. */
  readonly retryAfterSeconds?: number | undefined;
  /** The methods the path takes (HTTP Allow): a method it does not take only. */
  readonly allow?: string | undefined;
}

export interface FaultLogger {
  error(obj: object, msg: string): void;
}

/** The fault a client reads: a failure on our side shows only a request id, its detail goes to the log. */
export function faultFor(err: unknown, requestId: string, log: FaultLogger): Fault {
  return resolve(err, { requestId, log });
}

/**
 * The fault the operator who ran a command on their own machine reads: a
 * failure on our side keeps its own message (a file that cannot be read,
 * SQLITE_BUSY), since the one reading it is the one who can fix it.
 */
export function operatorFault(err: unknown): Fault {
  return resolve(err, undefined);
}

/** The one mapping of an error to a fault; `client` when a client reads it. */
function resolve(err: unknown, client: { requestId: string; log: FaultLogger } | undefined): Fault {
  if (!(err instanceof BridgeError)) {
    client?.log.error({ err, requestId: client.requestId }, 'unexpected error');
    return {
      code: 'INTERNAL',
      message: client === undefined ? describeError(err) : `Internal error; quote request id ${client.requestId} to the operator`,
      errors: [],
      kind: 'receiver',
      notUnderstood: [],
    };
  }
  if (err instanceof InternalError) client?.log.error({ err, requestId: client.requestId }, err.message);
  const errors = err instanceof ValidationFailedError || err instanceof MalformedXmlError || err instanceof MalformedJsonError ? err.errors : [];
  return {
    code: err.code,
    message: err instanceof InternalError && client !== undefined ? `${err.message}; quote request id ${client.requestId} to the operator` : err.message,
    errors,
    kind: kindOf(err),
    notUnderstood: err instanceof MustUnderstandError ? err.notUnderstood : [],
    retryAfterSeconds: err instanceof UnavailableError ? err.retryAfterSeconds : undefined,
    allow: err instanceof MethodNotAllowedError ? err.allow : undefined,
  };
}

/** An unexpected error's message with its code (SQLITE_BUSY, ENOSPC) when the message does not say it already. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !(err instanceof BridgeError) && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}

function kindOf(err: BridgeError): SoapFaultKind {
  if (err instanceof SoapVersionMismatchError) return 'versionMismatch';
  if (err instanceof MustUnderstandError) return 'mustUnderstand';
  return err.senderFault ? 'sender' : 'receiver';
}
