// XSD regular expressions (XML Schema Part 2, appendix F) as ECMAScript
// patterns for the `u` flag (Ajv compiles JSON Schema patterns with it; so
// do OpenAPI tools). What differs and is translated here:
//  - an XSD pattern matches the whole value: the result is anchored, ^(?:...)$;
//  - ^ and $ are ordinary characters in XSD;
//  - \s is [ \t\n\r] only (ECMAScript's \s also takes NBSP, U+2028 and more),
//    \d is any Unicode decimal digit (\p{Nd}), \w is [^\p{P}\p{Z}\p{C}],
//    . is [^\n\r] (ECMAScript's also leaves out U+2028/2029);
//  - \i and \c (XML name characters) have no ECMAScript escape: spelled out;
//  - character class subtraction [a-z-[aeiou]] has none either: a lookahead,
//    (?:(?![aeiou])[a-z]);
//  - a needless escape such as \- outside a class is a syntax error under `u`.
// Block escapes (\p{IsBasicLatin}) have no ECMAScript form and are refused.

/**
 * XSD's \i and \c are XML 1.0's Letter | _ | : and NameChar of the editions
 * before the 5th (libxml2 keeps those tables: a digit such as U+0663 is no
 * name start, no astral character is a name character). Their appendix B
 * rule, by Unicode category, within the BMP: start characters Ll Lu Lo Lt Nl,
 * other name characters Mc Me Mn Lm Nd. This follows the rule with today's
 * Unicode where libxml2 has Unicode 2.0's tables, so the two can differ on
 * characters assigned since; customer.xsd uses neither escape.
 */
const NAME_START = '_:\\p{Ll}\\p{Lu}\\p{Lo}\\p{Lt}\\p{Nl}';
const NAME_CHAR = `${NAME_START}\\-.\\u00B7\\p{Mc}\\p{Me}\\p{Mn}\\p{Lm}\\p{Nd}`;
/** Only characters of the Basic Multilingual Plane, before a class of name characters. */
const BMP = '(?=[\\u0000-\\uFFFF])';
const SPACE = ' \\t\\n\\r';

/** Multi-character escapes: [positive form usable inside a class (or undefined), the atom outside a class]. */
const MULTI: Readonly<Record<string, readonly [string | undefined, string]>> = {
  s: [SPACE, `[${SPACE}]`],
  S: [undefined, `[^${SPACE}]`],
  d: ['\\p{Nd}', '\\p{Nd}'],
  D: ['\\P{Nd}', '\\P{Nd}'],
  i: [undefined, `(?:${BMP}[${NAME_START}])`],
  I: [undefined, `(?:(?!${BMP}[${NAME_START}])[^])`],
  c: [undefined, `(?:${BMP}[${NAME_CHAR}])`],
  C: [undefined, `(?:(?!${BMP}[${NAME_CHAR}])[^])`],
  w: [undefined, '[^\\p{P}\\p{Z}\\p{C}]'],
  W: ['\\p{P}\\p{Z}\\p{C}', '[\\p{P}\\p{Z}\\p{C}]'],
};

/** Single-character escapes of XSD (F.1.1 SingleCharEsc), as ECMAScript writes them. */
const SINGLE: Readonly<Record<string, string>> = {
  n: '\\n', r: '\\r', t: '\\t', '\\': '\\\\', '|': '\\|', '.': '\\.', '-': '\\-', '^': '\\^', '?': '\\?',
  '*': '\\*', '+': '\\+', '{': '\\{', '}': '\\}', '(': '\\(', ')': '\\)', '[': '\\[', ']': '\\]',
};

export class XsdPatternError extends Error {
  override readonly name = 'XsdPatternError';
}

/** The ECMAScript pattern (flag `u`) that matches exactly the values the XSD pattern does. */
export function xsdPatternToEcma(pattern: string): string {
  const p = new Translator(pattern);
  const body = p.branches();
  if (!p.done()) p.fail('an unbalanced )');
  return `^(?:${body})$`;
}

class Translator {
  private i = 0;
  constructor(private readonly src: string) {}

  done(): boolean {
    return this.i >= this.src.length;
  }

  fail(what: string): never {
    throw new XsdPatternError(`XSD pattern ${JSON.stringify(this.src)}: ${what} at ${this.i}`);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  /** Takes one code point (astral characters are one XSD character). */
  private next(): string {
    const cp = this.src.codePointAt(this.i);
    if (cp === undefined) this.fail('an unexpected end');
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return ch;
  }

  branches(): string {
    const out = [this.branch()];
    while (this.peek() === '|') {
      this.i++;
      out.push(this.branch());
    }
    return out.join('|');
  }

  private branch(): string {
    let out = '';
    while (!this.done() && this.peek() !== '|' && this.peek() !== ')') {
      out += this.atom() + this.quantifier();
    }
    return out;
  }

  private quantifier(): string {
    const c = this.peek();
    if (c === '?' || c === '*' || c === '+') {
      this.i++;
      return c;
    }
    if (c !== '{') return '';
    const end = this.src.indexOf('}', this.i);
    const q = end === -1 ? undefined : /^\{(\d+)(,(\d*))?\}$/.exec(this.src.slice(this.i, end + 1));
    if (q === undefined || q === null) this.fail('a malformed quantifier');
    this.i = end + 1;
    return q[0];
  }

  private atom(): string {
    const c = this.next();
    switch (c) {
      case '(': {
        const inner = this.branches();
        if (this.peek() !== ')') this.fail('a ( without )');
        this.i++;
        return `(?:${inner})`;
      }
      case '[': return this.charClass();
      case '\\': return this.escapeOutside();
      case '.': return '[^\\n\\r]';
      case '^': return '\\^';
      case '$': return '\\$';
      case ']': case '{': case '}': case '?': case '*': case '+': return this.fail(`a bare ${c}`);
      default: return escapeLiteral(c);
    }
  }

  private escapeOutside(): string {
    const c = this.next();
    const multi = MULTI[c];
    if (multi !== undefined) return multi[1];
    if (c === 'p' || c === 'P') return this.category(c);
    const single = SINGLE[c];
    if (single !== undefined) return c === '-' ? '-' : single;
    return this.fail(`an unknown escape \\${c}`);
  }

  private category(c: 'p' | 'P'): string {
    if (this.next() !== '{') this.fail('\\p without {');
    const end = this.src.indexOf('}', this.i);
    if (end === -1) this.fail('\\p{ without }');
    const name = this.src.slice(this.i, end);
    this.i = end + 1;
    if (name.startsWith('Is')) this.fail(`the block escape \\${c}{${name}}, which ECMAScript has no form for`);
    if (!/^(?:[LMNPZSC][a-z]?)$/.test(name)) this.fail(`an unknown category ${name}`);
    return `\\${c}{${name}}`;
  }

  /** After '[': a positive or negative class, maybe with a subtraction; an ECMAScript atom. */
  private charClass(): string {
    const negative = this.peek() === '^';
    if (negative) this.i++;
    let items = '';
    /** Members ECMAScript cannot put inside a class (\S, \i, \w ...): alternatives beside it. */
    const atoms: string[] = [];
    let first = true;
    let subtracted: string | undefined;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('a [ without ]');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      if (c === '-' && this.src[this.i + 1] === '[') {
        this.i += 2;
        subtracted = this.charClass();
        if (this.next() !== ']') this.fail('a subtraction that does not end its class');
        break;
      }
      first = false;
      const from = this.classChar();
      if (from.kind === 'set') {
        items += from.text;
        continue;
      }
      if (from.kind === 'atom') {
        atoms.push(from.text);
        continue;
      }
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== '[') {
        this.i++;
        const to = this.classChar();
        if (to.kind !== 'char') this.fail('a range ending in a multi-character escape');
        items += `${from.text}-${to.text}`;
      } else {
        items += from.text;
      }
    }
    const members = [...(items === '' ? [] : [`[${items}]`]), ...atoms];
    const any = members.length === 1 ? members[0] ?? '' : `(?:${members.join('|')})`;
    const set = !negative ? any : atoms.length === 0 ? `[^${items}]` : `(?:(?!${any})[^])`;
    return subtracted === undefined ? set : `(?:(?!${subtracted})${set})`;
  }

  /** One character of a class (escaped for ECMAScript), a set escape spelled inside it, or an atom that must stand beside it. */
  private classChar(): { kind: 'char' | 'set' | 'atom'; text: string } {
    const c = this.next();
    if (c === '[') this.fail('a [ inside a class (only a subtraction may nest one)');
    if (c !== '\\') return { kind: 'char', text: c === '-' || c === '^' || c === ']' ? `\\${c}` : c };
    const e = this.next();
    const multi = MULTI[e];
    if (multi !== undefined) return multi[0] === undefined ? { kind: 'atom', text: multi[1] } : { kind: 'set', text: multi[0] };
    if (e === 'p' || e === 'P') return { kind: 'set', text: this.category(e) };
    const single = SINGLE[e];
    if (single === undefined) this.fail(`an unknown escape \\${e}`);
    return { kind: 'char', text: single };
  }
}

function escapeLiteral(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
