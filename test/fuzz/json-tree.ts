// A JSON body as the JSON mutations change it: objects keep their members as
// an ordered list (so a member can be repeated, which no JS object can hold),
// and a value may be raw text written as it is (numbers JSON.parse would
// round, strings with raw control characters, anything not JSON at all).
// Text is a JS string of the body's characters; the body is its UTF-8 bytes.

export class JObj {
  constructor(public entries: [string, JVal][]) {}
}

export class JRaw {
  constructor(readonly text: string) {}
}

export type JVal = null | boolean | number | string | JRaw | JObj | JVal[];

/** The body decoded and parsed into a tree; undefined when it is not UTF-8 JSON (then only byte and text mutations apply). */
export function readTree(body: Buffer | undefined): JVal | undefined {
  if (body === undefined || body.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Nested too deep for the recursive copy and writer here (a deep-nesting mutation before): bytes and text mutations only.
  return depthOf(value) > MAX_DEPTH ? undefined : toTree(value);
}

const MAX_DEPTH = 200;

function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, d] = top;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function toTree(v: unknown): JVal {
  if (Array.isArray(v)) return v.map(toTree);
  if (typeof v === 'object' && v !== null) return new JObj(Object.keys(v).map((k) => [k, toTree((v as Record<string, unknown>)[k])]));
  return v as JVal;
}

/** A copy of `v` that shares nothing with it. */
export function clone(v: JVal): JVal {
  if (v instanceof JObj) return new JObj(v.entries.map(([k, x]) => [k, clone(x)]));
  return Array.isArray(v) ? v.map(clone) : v;
}

/** The tree as JSON text, compact or indented by two spaces. */
export function writeTree(v: JVal, pretty: boolean): string {
  const nl = pretty ? '\n' : '';
  const out = (x: JVal, indent: string): string => {
    if (x instanceof JRaw) return x.text;
    if (x instanceof JObj) {
      if (x.entries.length === 0) return '{}';
      const inner = indent + (pretty ? '  ' : '');
      return `{${nl}${x.entries.map(([k, val]) => `${inner}${JSON.stringify(k)}:${pretty ? ' ' : ''}${out(val, inner)}`).join(`,${nl}`)}${nl}${indent}}`;
    }
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      const inner = indent + (pretty ? '  ' : '');
      return `[${nl}${x.map((val) => `${inner}${out(val, inner)}`).join(`,${nl}`)}${nl}${indent}]`;
    }
    // JSON.stringify escapes lone surrogates (\ud800) and C0 controls; U+FFFE and friends go raw.
    return JSON.stringify(x);
  };
  return out(v, '');
}

/** A place in the tree: the value there, its pointer, and how to replace it or (for a member) remove or rename it. */
export interface Place {
  readonly pointer: string;
  readonly value: JVal;
  /** The member name, when the place is an object member. */
  readonly name: string | undefined;
  readonly parent: JObj | JVal[] | undefined;
  readonly index: number;
}

/** Every place of the tree, the root first (raw values are leaves). */
export function places(root: JVal): Place[] {
  const out: Place[] = [{ pointer: '', value: root, name: undefined, parent: undefined, index: -1 }];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as Place;
    const v = p.value;
    if (v instanceof JObj) {
      v.entries.forEach(([k, val], index) => out.push({ pointer: `${p.pointer}/${k}`, value: val, name: k, parent: v, index }));
    } else if (Array.isArray(v)) {
      v.forEach((val, index) => out.push({ pointer: `${p.pointer}/${index}`, value: val, name: undefined, parent: v, index }));
    }
  }
  return out;
}

/** Puts `value` where `p` is; returns the new root (a new value when `p` is the root). */
export function replaceAt(root: JVal, p: Place, value: JVal): JVal {
  if (p.parent === undefined) return value;
  if (p.parent instanceof JObj) (p.parent.entries[p.index] as [string, JVal])[1] = value;
  else p.parent[p.index] = value;
  return root;
}
