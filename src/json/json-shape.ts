// The shape limits of xml/shape-limits.ts as they apply to a parsed JSON
// body: how deep its objects and arrays nest, how long one string or member
// name runs. The same settings (CRM_MAX_DEPTH, CRM_MAX_TEXT_CHARS) and the
// same fault (PAYLOAD_TOO_LARGE); checked without recursion, before anything
// walks the value recursively.
import { PayloadTooLargeError } from '../errors.js';
import { pointerOf } from './json-pointer.js';

export interface JsonShapeLimits {
  readonly maxDepth: number;
  readonly maxTextChars: number;
}

/** A value on the walk's stack, with the way back up (a pointer is built only for a breach). */
interface Visit {
  readonly v: unknown;
  readonly depth: number;
  readonly up: Visit | undefined;
  readonly key: string | number;
}

function where(at: Visit): string {
  const keys: (string | number)[] = [];
  for (let n: Visit | undefined = at; n?.up !== undefined; n = n.up) keys.unshift(n.key);
  return pointerOf(keys) || '/';
}

/** PAYLOAD_TOO_LARGE when `value` nests deeper than maxDepth (the top value being depth 1) or a string or name is longer than maxTextChars. */
export function checkJsonShape(value: unknown, limits: JsonShapeLimits): void {
  const stack: Visit[] = [{ v: value, depth: 1, up: undefined, key: '' }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const v = top.v;
    if (typeof v === 'string') {
      if (v.length > limits.maxTextChars) throw new PayloadTooLargeError(`A string is longer than ${limits.maxTextChars} characters at ${where(top)} (the service's limit, CRM_MAX_TEXT_CHARS)`);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (top.depth > limits.maxDepth) throw new PayloadTooLargeError(`Objects and arrays nest deeper than ${limits.maxDepth} levels at ${where(top)} (the service's limit, CRM_MAX_DEPTH)`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: top.depth + 1, up: top, key: i });
    } else {
      for (const key in v) {
        if (key.length > limits.maxTextChars) throw new PayloadTooLargeError(`A member name is longer than ${limits.maxTextChars} characters at ${where(top)} (the service's limit, CRM_MAX_TEXT_CHARS)`);
        stack.push({ v: (v as Record<string, unknown>)[key], depth: top.depth + 1, up: top, key });
      }
    }
  }
}
