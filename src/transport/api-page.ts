// GET /api/docs: the OpenAPI document (openapi-document.ts) as one plain
// HTML page a person can read: each route with its parameters, body,
// answers and examples, then every schema. Made from the document itself at
// start-up, so it says what /openapi.json says. Self-contained: no script, no
// stylesheet or font from elsewhere (the machine may be offline), and its
// Content-Security-Policy forbids loading anything.
import type { JsonSchema } from '../contract/json-schema.js';

export const API_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

type Media = { schema?: JsonSchema; examples?: Record<string, { value: unknown }> };
type Operation = {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema; description?: string; example?: unknown }[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
};

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f5f5f5;padding:.6em;overflow:auto}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
section.op{border-top:2px solid #ccc;margin-top:1.6em}.method{font-weight:bold;text-transform:uppercase}`;

/** Text as element content (attribute values on this page are anchors and fixed paths: no quote to escape). */
function esc(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An anchor name for a schema or an operation. */
function anchor(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** A schema named by reference, as a link to it on this page; an inline one as JSON. */
function schemaLink(schema: JsonSchema | undefined): string {
  if (schema === undefined) return '';
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const name = ref.split('/').pop() ?? ref;
    return `<a href="#${anchor('schema', name)}">${esc(name)}</a>`;
  }
  return `<code>${esc(JSON.stringify(schema))}</code>`;
}

/** Escaped schema JSON with each "$ref" to a component a link to it. */
function linked(escapedJson: string): string {
  return escapedJson.replace(/"#\/components\/schemas\/([A-Za-z0-9_-]+)"/g, (_m, name: string) => `"<a href="#${anchor('schema', name)}">#/components/schemas/${name}</a>"`);
}

function examples(media: Media | undefined): string {
  return Object.entries(media?.examples ?? {})
    .map(([name, e]) => `<p>Example <code>${esc(name)}</code>:</p><pre>${esc(JSON.stringify(e.value, null, 2))}</pre>`)
    .join('');
}

function operation(path: string, method: string, op: Operation): string {
  const out = [`<section class="op" id="${anchor('op', op.operationId ?? `${method}${path}`)}">`,
    `<h3><span class="method">${esc(method)}</span> <code>${esc(path)}</code></h3>`,
    `<p>${esc(op.summary ?? '')}${op.operationId === undefined ? '' : ` (<code>${esc(op.operationId)}</code>)`}</p>`];
  if (op.parameters !== undefined && op.parameters.length > 0) {
    out.push('<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th></th></tr>');
    for (const p of op.parameters) {
      out.push(`<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required === true ? 'yes' : 'no'}</td>` +
        `<td>${schemaLink(p.schema)}</td><td>${esc(p.description ?? '')}</td></tr>`);
    }
    out.push('</table>');
  }
  for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
    out.push(`<p>Body (<code>${esc(type)}</code>): ${schemaLink(media.schema)}</p>${examples(media)}`);
  }
  out.push('<table><tr><th>status</th><th>answer</th><th>body</th></tr>');
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const media = Object.values(r.content ?? {})[0];
    out.push(`<tr><td>${esc(status)}</td><td>${esc(r.description ?? '')}</td><td>${schemaLink(media?.schema)}</td></tr>`);
  }
  out.push('</table>');
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    for (const media of Object.values(r.content ?? {})) {
      const shown = examples(media);
      if (shown !== '') out.push(`<p><b>${esc(status)}</b></p>${shown}`);
    }
  }
  out.push('</section>');
  return out.join('\n');
}

/** The page of `doc` (an OpenAPI 3.1 document as openApiDocument makes it). */
export function apiPage(doc: JsonSchema): string {
  const info = (doc['info'] ?? {}) as { title?: string; version?: string; description?: string };
  const paths = (doc['paths'] ?? {}) as Record<string, Record<string, Operation>>;
  const schemas = ((doc['components'] ?? {}) as { schemas?: Record<string, JsonSchema> }).schemas ?? {};
  const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(info.title ?? 'API')}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${esc(info.title ?? 'API')} <small>${esc(info.version ?? '')}</small></h1>`,
    `<p>${esc(info.description ?? '')}</p>`,
    '<p>The same document as JSON: <a href="/openapi.json">/openapi.json</a>.</p>',
    '<h2>Routes</h2><ul>',
    ...ops.map(({ path, method, op }) => `<li><a href="#${anchor('op', op.operationId ?? `${method}${path}`)}"><span class="method">${esc(method)}</span> <code>${esc(path)}</code></a> ${esc(op.summary ?? '')}</li>`),
    '</ul>',
    ...ops.map(({ path, method, op }) => operation(path, method, op)),
    '<h2>Schemas</h2>',
    ...Object.entries(schemas).map(([name, s]) => `<h3 id="${anchor('schema', name)}">${esc(name)}</h3><pre>${linked(esc(JSON.stringify(s, null, 2)))}</pre>`),
    '</body></html>',
    '',
  ].join('\n');
}
