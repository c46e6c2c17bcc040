// The one way an /api body becomes a value (json/parse-json.ts): where a
// syntax error or a repeated member is, at any nesting depth. The places are
// those jsonc-parser's own parser reports, which served here before the
// slow paths became loops: its recursion overflowed the call stack on a body
// nested some thousands deep (RangeError, answered INTERNAL).
import { expect } from 'chai';
import jsonc from 'jsonc-parser';
import { MalformedJsonError } from '../../src/errors.js';
import { parseJson } from '../../src/json/parse-json.js';

const NOT_JSON = [
  '{\n  "type": "PERSON",\n  "name": "A",\n}', '{"a":1} {}', '[1,]', '{"a" 1}', '["a\u0001"]', '{"a":1}x', 'tru', '[1 2]', '{a:1}', '/*c*/{}',
  '{"a":1,//x\n}', "{'a':1}", '{"a":NaN}', '{"a":007}', '[', '{', '{"a":', '{"a"', '"abc', '"\\x"', '"\\u12"', '[1,,2]', '{,}', '{"a":1,,"b":2}',
  ']', '}', ':', '{"a":1}}', '[[[]]', '{"a":[}', '-', '1.', '.5', '01', '+1', '"a\nb"', '[true false]', '{"a":1 "b":2}', '\u00a0{}', '\u000b{}',
];

function refused(text: string): MalformedJsonError {
  try {
    parseJson(Buffer.from(text, 'utf8'));
  } catch (err) {
    if (err instanceof MalformedJsonError) return err;
    throw err;
  }
  throw new Error(`parsed: ${text.slice(0, 40)}`);
}

describe('parseJson', () => {
  it('places a syntax error where jsonc-parser\'s parser does', () => {
    for (const text of NOT_JSON) {
      let first: { line: number; column: number } | undefined;
      jsonc.visit(text, { onError: (_e, _o, _l, line, column) => { first ??= { line: line + 1, column: column + 1 }; } }, { disallowComments: true });
      const err = refused(text);
      expect(err.message, JSON.stringify(text)).to.contain(`line ${first?.line}, column ${first?.column}`);
    }
  });

  it('places a syntax error 100000 levels deep without overflowing the stack', () => {
    const err = refused(`{"a":${'['.repeat(100_000)}"x"`);
    expect(err.message).to.equal('The body is not JSON: a closing bracket was expected at line 1, column 100009');
    expect(refused(`${'['.repeat(100_000)}1,]`).message).to.match(/a value was expected at line 1, column 100003$/);
  });

  it('finds a repeated member 100000 levels deep, with its pointer', () => {
    const depth = 100_000;
    const doc = parseJson(Buffer.from(`${'{"a":['.repeat(depth)}{"x":1,"x":2}${']}'.repeat(depth)}`));
    expect(doc.duplicates).to.have.length(1);
    expect(doc.duplicates[0]?.path).to.equal(`${'/a/0'.repeat(depth)}/x`);
    expect(doc.duplicates[0]?.column).to.equal(6 * depth + 8);
  });
});
