// Where the elements of a message are, found in its text (read as latin1, so
// one character is one byte and any bytes survive a round trip): enough for
// structural mutations of the well-formed samples, and forgiving of the
// damage earlier mutations did (what no longer pairs is left out).

export interface Span {
  /** The tag's name as written, prefix included. */
  readonly name: string;
  readonly local: string;
  /** Offset of '<' of the start tag. */
  readonly start: number;
  /** Offset just after the start tag's '>'. */
  readonly openEnd: number;
  /** Offset of the end tag's '<' (openEnd for an empty-element tag). */
  readonly closeStart: number;
  /** Offset just after the element. */
  readonly end: number;
  readonly depth: number;
  /** Offset of the parent's start tag, -1 for the root: siblings share it. */
  readonly parent: number;
}

const TAG = /<(\/?)([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s[^<>]*?)?)(\/?)>/g;

export function spans(text: string): Span[] {
  const out: (Span | undefined)[] = [];
  const stack: { name: string; start: number; openEnd: number; index: number; parent: number }[] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m !== null; m = TAG.exec(text)) {
    const [, close, name = '', , empty] = m;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    const parent = stack.length === 0 ? -1 : (stack[stack.length - 1]?.start ?? -1);
    if (close === '/') {
      // Nearly always the innermost open element (a deeply nested message would be quadratic otherwise).
      let at = stack.length - 1;
      while (at >= 0 && stack[at]?.name !== name) at -= 1;
      if (at === -1) continue;
      const open = stack[at];
      stack.length = at;
      if (open === undefined) continue;
      out[open.index] = { name, local, start: open.start, openEnd: open.openEnd, closeStart: m.index, end: TAG.lastIndex, depth: at, parent: open.parent };
    } else if (empty === '/') {
      out.push({ name, local, start: m.index, openEnd: TAG.lastIndex, closeStart: TAG.lastIndex, end: TAG.lastIndex, depth: stack.length, parent });
    } else {
      stack.push({ name, start: m.index, openEnd: TAG.lastIndex, index: out.length, parent });
      out.push(undefined);
    }
  }
  return out.filter((s): s is Span => s !== undefined);
}

/** Elements with text and no child element. */
export function leaves(text: string, all = spans(text)): Span[] {
  return all.filter((s) => s.closeStart > s.openEnd && !text.slice(s.openEnd, s.closeStart).includes('<'));
}

export function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

/** `s` (any Unicode) as the latin1 string of its UTF-8 bytes, for splicing into a message text. */
export function utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}
