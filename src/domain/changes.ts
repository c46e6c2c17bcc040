// GetChanges' cursor: a change stamp is a UTC instant in whole microseconds,
// unique and strictly increasing in commit order, so it is both a time an ERP
// can read and an exact position in the change log. It travels as an
// xs:dateTime with six fractional digits.
import type { Customer } from './customer.js';
import { ValidationFailedError } from '../errors.js';

export const DEFAULT_CHANGES_LIMIT = 100;
export const MAX_CHANGES_LIMIT = 1000;

export interface ChangesPage {
  /** Created or updated after the cursor, each once, in its latest state, in change order. */
  readonly customers: readonly Customer[];
  /** Deleted after the cursor, in change order. */
  readonly deletedIds: readonly string[];
  /** The stamp to pass back as `since` on the next call. */
  readonly nextStamp: number;
}

/** xs:dateTime (any offset, any precision; no offset = UTC) -> microseconds since the epoch, floored. */
export function stampOf(dateTime: string): number {
  const m = /^(-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(dateTime.trim());
  if (m === null) throw notADateTime(dateTime);
  const seconds = Date.parse(`${m[1] ?? ''}${m[3] ?? 'Z'}`);
  if (Number.isNaN(seconds)) throw notADateTime(dateTime);
  const micros = Number(((m[2] ?? '') + '000000').slice(0, 6));
  return seconds * 1000 + micros;
}

// The schema admits a few xs:dateTime values a JavaScript Date cannot hold (year 0, far past).
function notADateTime(dateTime: string): ValidationFailedError {
  return new ValidationFailedError(`'${dateTime}' is not a date and time this service can use (years 1 to 9999)`);
}

/** Microseconds since the epoch -> xs:dateTime in UTC with six fractional digits. */
export function dateTimeOfStamp(stamp: number): string {
  const ms = Math.floor(stamp / 1000);
  const micros = stamp - ms * 1000;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(micros).padStart(3, '0')}Z`);
}
