// The parameters of an HTTP request (its path's id, its query), read from the
// request-target as sent, each with where it starts on the request line: a
// schema error about a parameter points there (line 1, the request line;
// the column of the parameter's first character), which is a place in what
// the client sent, as the line and column of a body's error are.
import type { Parameter, Whole } from '../dispatch/parameter-document.js';
import type { HttpRequestLike } from './http-reply.js';

/** Column on the request line ("METHOD SP request-target SP HTTP/x") of the target's character at `offset`. */
function column(req: HttpRequestLike, offset: number): number {
  return req.method.length + 2 + offset;
}

/** The request-target as a whole: where errors about no single parameter point. */
export function requestTarget(req: HttpRequestLike): Whole {
  return { label: 'request', line: 1, column: column(req, 0) };
}

/** Every query parameter as sent, in order, repeats included (form-decoded: `+` is a space). */
export function queryParameters(req: HttpRequestLike): Parameter[] {
  const start = req.target.indexOf('?');
  if (start === -1) return [];
  const out: Parameter[] = [];
  let offset = start + 1;
  for (const part of req.target.slice(start + 1).split('&')) {
    const pair = part === '' ? undefined : [...new URLSearchParams(part)][0];
    if (pair !== undefined) {
      const [name, value] = pair;
      out.push({ name, value, label: `query parameter ${name}`, in: 'query', line: 1, column: column(req, offset) });
    }
    offset += part.length + 1;
  }
  return out;
}

/**
 * The path's last segment, or the one `fromEnd` segments before it (the id
 * of /xml/customers/{id}/history: 1), as parameter `name` (`value` as the
 * router decoded it).
 */
export function pathSegment(req: HttpRequestLike, name: string, value: string, fromEnd = 0): Parameter {
  const path = req.target.split('?')[0] ?? '';
  let end = path.endsWith('/') ? path.length - 1 : path.length;
  for (let i = 0; i < fromEnd; i++) end = path.lastIndexOf('/', end - 1);
  return { name, value, label: `path segment ${name}`, in: 'path', line: 1, column: column(req, path.lastIndexOf('/', end - 1) + 1) };
}
