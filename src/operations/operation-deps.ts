// What every operation may use. Passed in, never imported, so tests can give a
// fixed clock and a store on a temporary database.
import type { Attribution } from '../domain/history.js';
import type { Store } from '../store/store.js';

export interface OperationDeps {
  readonly store: Store;
  /** Now, as an xs:dateTime in UTC with milliseconds. */
  readonly now: () => string;
  readonly newId: () => string;
}

/**
 * One request's deps: the service's, and who its stored changes are recorded
 * as made by (the dispatcher makes them from the request's context). The
 * operations that write take these, so none can store a change without it.
 */
export interface RequestDeps extends OperationDeps {
  readonly by: Attribution;
}
