// A conditional request (HTTP If-Match, RFC 9110 13.1.1) on an operation
// that takes an expected version: when the version came from the
// precondition, the operation's VERSION_CONFLICT is the precondition failing
// (answered 412 on /xml), not a stale body. Decided here once, for every
// operation that takes one.
import { PreconditionFailedError, VersionConflictError } from '../errors.js';
import type { RequestDeps } from '../operations/operation-deps.js';

/** An entry of either table (XML documents, JSON bodies): how it reads its request, what runs. */
interface Conditional<Req, Res> {
  readonly read: (...args: never[]) => Req;
  readonly run: (request: Req, deps: RequestDeps) => Promise<Res>;
}

/**
 * `entry` under a precondition naming `expected`: undefined when there is
 * none (or "*"), NaN when it names no version a customer can have.
 */
export function preconditioned<Req, Res, E extends Conditional<Req, Res>>(entry: E, expected: number | undefined): E {
  if (expected === undefined) return entry;
  const conditional: Conditional<Req, Res> = {
    read: (...args: never[]) => {
      if (Number.isNaN(expected)) throw new PreconditionFailedError('If-Match names no version this customer can have');
      return entry.read(...args);
    },
    run: async (request, deps) => {
      try {
        return await entry.run(request, deps);
      } catch (err) {
        if (err instanceof VersionConflictError && !(err instanceof PreconditionFailedError)) throw new PreconditionFailedError(err.message);
        throw err;
      }
    },
  };
  return { ...entry, ...conditional };
}
