// What every operation may use. Passed in, never imported, so tests can give a
// fixed clock and a store on a temporary database.
import type { Store } from '../store/store.js';

export interface OperationDeps {
  readonly store: Store;
  /** Now, as an xs:dateTime in UTC with milliseconds. */
  readonly now: () => string;
  readonly newId: () => string;
}
