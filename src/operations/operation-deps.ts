// What every operation may use. Passed in, never imported, so tests can give a
// fixed clock and a store on a temporary database.
import type { CustomerStore } from '../store/customer-store.js';

export interface OperationDeps {
  readonly store: CustomerStore;
  /** Now, as an xs:dateTime in UTC with milliseconds. */
  readonly now: () => string;
  readonly newId: () => string;
}
