// One request the fuzzer sends, with what it may achieve at most (its
// credentials' role as built: a mutation never raises it), and how it is
// shown in a failure so that it can be replayed by hand.

export type Channel = 'soap11' | 'soap12' | 'xml' | 'json';
/** The channels FUZZ_CHANNELS may name. */
export const CHANNELS: readonly Channel[] = ['soap11', 'soap12', 'xml', 'json'];
/** Who the request's credentials could prove at most: `none` must never be served, `reader` must never write. */
export type RoleBound = 'none' | 'reader' | 'writer';

export interface FuzzRequest {
  readonly channel: Channel;
  /** The sample it was made from. */
  readonly template: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Raw bytes; undefined for a request without a body. */
  body: Buffer | undefined;
  role: RoleBound;
  /** What the Authorization header alone could prove: who the caller becomes when a Security token beside it is taken away. */
  authorizationRole: RoleBound;
  /** What was done to the sample, in order, as a failure shows it. */
  readonly mutations: string[];
  /** A mutation of document shape (nesting, attributes per element, text length): limits another branch adds (issue 17, item 8). */
  shape: boolean;
}

/** The Security token is gone (removed, moved, addressed elsewhere): the Authorization header, if any, decides now. */
export function tokenGone(req: FuzzRequest): void {
  req.role = req.authorizationRole;
}

export function lowerRole(req: FuzzRequest, to: RoleBound): void {
  const order: RoleBound[] = ['none', 'reader', 'writer'];
  if (order.indexOf(to) < order.indexOf(req.role)) req.role = to;
}

const SHOWN = 3000;

/** The request as a failure shows it: the body as a JSON string of its bytes read as latin1 (Buffer.from(JSON.parse(s), 'latin1') gives them back). */
export function showRequest(req: FuzzRequest): string {
  const lines = [
    `${req.method} ${req.path}   (${req.channel}, from ${req.template}, role at most ${req.role}${req.shape ? ', SHAPE mutation' : ''})`,
    `mutations: ${req.mutations.join(' | ') || '(none)'}`,
    `headers: ${JSON.stringify(req.headers)}`,
  ];
  if (req.body !== undefined) {
    const text = req.body.toString('latin1');
    const shown = text.length <= SHOWN ? text : `${text.slice(0, SHOWN - 500)}…[${text.length} bytes in all]…${text.slice(-500)}`;
    lines.push(`body (${req.body.length} bytes, latin1 JSON): ${JSON.stringify(shown)}`);
  }
  return lines.join('\n');
}
