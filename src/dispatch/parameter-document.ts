// Parameters (a path's id, a URL's query, a command-line option) as the
// contract document they stand for, so the XSD checks them as it checks the
// same element in a SOAP request. Each parameter is an element on a line of
// its own: a schema error's line then tells which parameter it is about, and
// locate() turns it into where that parameter is in what the client sent.
// Unknown and repeated parameters are kept as elements too, so refusing them
// is the XSD's word as well, and happens in the pipeline, after the stages.
import type { SchemaErrorDetail } from '../errors.js';
import { escapeAttr } from '../xml/xml-tree.js';
import { NS } from '../xml/namespaces.js';
import { parseXml } from '../xml/parse-xml.js';
import type { Dispatcher, Message } from './dispatcher.js';
import type { DocumentEntry } from './operation-table.js';
import type { RequestContext } from './request-context.js';

export interface Parameter {
  /** As sent (decoded): the element it becomes when it is one of the document's. */
  readonly name: string;
  readonly value: string;
  /** How the client names it, starting each of its errors' messages: "query parameter limit", "path segment id". */
  readonly label: string;
  /** Where a JSON client is told it is (contract v1.1: `{"path":"limit","in":"query"}`). */
  readonly in?: 'query' | 'path' | undefined;
  /** Where it starts in what the client sent (for HTTP: on the request line, line 1). */
  readonly line: number;
  readonly column: number;
}

/** Where errors about the parameters as a whole point, and how they are named. */
export type Whole = Pick<Parameter, 'label' | 'line' | 'column'>;

export interface ParameterDocument {
  readonly message: Message;
  /** Frees the parsed document (it lives in WebAssembly memory). */
  dispose(): void;
}

/** The namespace of parameters a request does not take. */
const NOT_TAKEN = 'urn:crm-bridge:parameter-not-taken';

/** `<wrapper>` with one child per parameter: those of `order` in that order (the xs:sequence's), the others after them. */
export function parameterDocument(wrapper: string, order: readonly string[], parameters: readonly Parameter[], whole: Whole): ParameterDocument {
  const rank = (p: Parameter): number => {
    const i = order.indexOf(p.name);
    return i === -1 ? order.length : i;
  };
  const placed = [...parameters].sort((a, b) => rank(a) - rank(b));
  const lines = [`<${wrapper} xmlns="${NS.crm}">`];
  for (const p of placed) {
    const name = elementName(p.name);
    // One the request does not take is put in a namespace of its own, so the XSD refuses it even where the wrapper has an element of that name.
    lines.push(`<${name}${order.includes(p.name) ? '' : ` xmlns="${NOT_TAKEN}"`}>${oneLineText(p.value)}</${name}>`);
  }
  lines.push(`</${wrapper}>`);
  const source = Buffer.from(lines.join('\n'), 'utf8');
  const doc = parseXml(source);
  const locate = (e: SchemaErrorDetail): SchemaErrorDetail => {
    // Line 1 is the wrapper, line k + 2 the k-th placed parameter.
    const p = placed[e.line - 2];
    const at: Whole = p ?? whole;
    return { line: at.line, column: at.column, message: `${at.label}: ${e.message}`, path: p?.name ?? '', in: p?.in };
  };
  return { message: { root: doc.root, source, payload: doc.root, locate }, dispose: () => doc.dispose() };
}

/** A name sent as a parameter, as an element name: itself when it can be one; else its characters that can. */
function elementName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

/** Text on one line: line breaks as character references, so each parameter keeps its own line. */
function oneLineText(value: string): string {
  return escapeAttr(value).replaceAll('>', '&gt;');
}

/** Dispatches `entry` on the document its root element makes of `parameters` (in the order `order`). */
export async function dispatchParameters<Req, Res>(
  dispatcher: Dispatcher,
  context: RequestContext,
  entry: DocumentEntry<Req, Res>,
  order: readonly string[],
  parameters: readonly Parameter[],
  whole: Whole,
): Promise<Res> {
  const document = parameterDocument(entry.root, order, parameters, whole);
  try {
    return await dispatcher.dispatch(context, entry, document.message);
  } finally {
    document.dispose();
  }
}
