// A socket-free HTTP exchange: what the pipeline receives and returns, so the
// whole service can be driven in tests without a socket.

export type HeaderValue = string | string[] | undefined;

export interface HttpRequestLike {
  readonly requestId: string;
  readonly method: string;
  /** The request-target as sent (path and query, not decoded): where parameters are on the request line. */
  readonly target: string;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** Reads the whole body; rejects with PayloadTooLargeError past `limit` bytes. */
  readonly readBody: (limit: number) => Promise<Buffer>;
  /** The body as a stream, for documents of any size. */
  readonly bodyStream: () => AsyncIterable<Buffer>;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A whole body, or one written piece by piece as it is produced. */
  readonly body: Buffer | AsyncIterable<string>;
}

/** What an endpoint answers, with what the metrics and logs need to know of it. */
export interface Outcome {
  readonly reply: HttpReply;
  /** The operation the request named, when it got that far. */
  readonly operation: string | undefined;
  readonly faultCode: string | undefined;
}

export function header(req: HttpRequestLike, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
