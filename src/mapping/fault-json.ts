// A fault as an /api error body (contract v1.1): {"code","message","errors":[...]},
// `errors` always present; each error's `path` a JSON Pointer into the body,
// or a parameter's name with `in` ("query", "path").
import type { Fault } from '../fault.js';

export function faultJson(fault: Fault): Record<string, unknown> {
  return {
    code: fault.code,
    message: fault.message,
    errors: fault.errors.map((e) => (e.in === undefined
      ? { path: e.path ?? '', message: e.message, line: e.line, column: e.column }
      : { path: e.path ?? '', in: e.in, message: e.message })),
  };
}
