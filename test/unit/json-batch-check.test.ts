// Pass 1 of a JSON batch in two speeds (src/import/json-batch.ts): the quick
// check vouches for a batch only when the exact check (every token through the
// tokenizer and grammar) accepts it too, with the same head; it never lets
// through what the exact check refuses. Held to that over hand-picked edge
// cases and thousands of seeded mutations of real batches, cut into chunks of
// several sizes, under the service's limits and under small ones.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { exactCheckJsonBatch, quickCheckJsonBatch, type JsonBatchHead } from '../../src/import/json-batch.js';
import type { BatchSource } from '../../src/import/batch-source.js';
import type { CutLimits } from '../../src/json/json-batch-cutter.js';
import { AjvJsonValidator } from '../../src/validation/json-validator.js';
import { Random } from '../fuzz/random.js';

const validator = new AjvJsonValidator();
const SERVICE_LIMITS: CutLimits = { maxRecordChars: 1 << 20, maxDepth: 64, maxTextChars: 64 * 1024 };
/** Limits small enough for mutations to cross them. */
const SMALL_LIMITS: CutLimits = { maxRecordChars: 400, maxDepth: 5, maxTextChars: 24 };
const CHUNK_SIZES = [Infinity, 5, 64];

function source(text: Buffer, size: number): BatchSource {
  return {
    open: async function* () {
      for (let i = 0; i < text.length; i += Math.min(size, text.length)) yield text.subarray(i, i + size);
    },
    close: async () => undefined,
  };
}

type Verdict = { head: JsonBatchHead } | { refused: string };

async function exact(text: Buffer, size: number, limits: CutLimits): Promise<Verdict> {
  try {
    return { head: await exactCheckJsonBatch(source(text, size), validator, limits) };
  } catch (err) {
    return { refused: err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err) };
  }
}

/** Compares both speeds on `text`; returns whether the quick check vouched for it. */
async function holdsTo(text: Buffer, size: number, limits: CutLimits, what: string): Promise<boolean> {
  const quick = await quickCheckJsonBatch(source(text, size), validator, limits);
  if (quick === undefined) return false;
  expect(await exact(text, size, limits), `${what} (chunks of ${size}): ${JSON.stringify(text.toString('latin1'))}`).to.deep.equal({ head: quick });
  return true;
}

const SAMPLES = path.resolve('samples/json');
const BATCHES = ['12-batch.request.json', '13-batch-atomic.request.json'].map((f) => fs.readFileSync(path.join(SAMPLES, f)));

const GOOD: Record<string, string> = {
  'one record a line': '{"batchId":"b-1","mode":"PARTIAL","customers":[\n{"externalId":"A","type":"PERSON","name":"A"},\n{"externalId":"B","type":"PERSON","name":"B"}\n]}\n',
  'pretty, CRLF, spaces before commas': '{\r\n  "mode" : "ATOMIC" ,\r\n  "customers" : [\r\n    {\r\n      "name" : "x"\r\n    } ,\r\n    { "name" : "y" }\t\r\n  ]\r\n}\r\n',
  'strings holding brackets, commas, quotes, backslashes and escapes': '{"customers":[{"name":"a, [b] {c} \\"d\\" \\\\","x":"\\u005d\\\\"},{"name":"\\\\\\""},{"n":"é ü 😀 ,]}"}]}',
  'records that are not objects': '{"customers":[1, -2.5e3 ,"s",true,null,[1,[2]],{"k":false}]}',
  'an empty records array': '{"mode":"PARTIAL","customers":[]}',
  'an empty records array with space': '{"customers":[ \n ]}',
  'a byte-order mark': '\uFEFF{"customers":[{"name":"bom"}]}',
  'records far apart': `{"customers":[{"a":1}${' '.repeat(200)},${'\n'.repeat(100)}{"b":2}]}`,
  'no batchId, no mode': '{"customers":[{}]}',
};

const BAD: Record<string, string> = {
  'a trailing comma': '{"customers":[1,]}',
  'a leading comma': '{"customers":[,1]}',
  'two commas': '{"customers":[1,,2]}',
  'no comma': '{"customers":[1 2]}',
  'a colon between records': '{"customers":[1:2]}',
  'a bracket closing a record\'s object': '{"customers":[{"a":1]}]}',
  'text after the batch': '{"customers":[]} x',
  'an unterminated string': '{"customers":["a\\"]}',
  'a leading zero': '{"customers":[01]}',
  'customers twice': '{"customers":[1],"customers":[2]}',
  'the end missing': '{"customers":[1]',
  'empty': '',
  'whitespace only': '  \n',
  'an array': '[{"customers":[]}]',
  'a string': '"customers"',
  'a lone continuation byte': '{"customers":[{"a":"\u0080"}]}',
  'a raw control character': '{"customers":[{"a":"\u0001"}]}',
  'mode after the records': '{"customers":[],"mode":"ATOMIC"}',
  'an unknown member': '{"customers":[],"extra":1}',
  'a BOM inside': '{"customers":[\uFEFF1]}',
  'a string inside a record over the limit': `{"customers":[{"a":"${'x'.repeat(SERVICE_LIMITS.maxTextChars + 1)}"}]}`,
  'nesting over the limit inside a record': `{"customers":[${'['.repeat(64)}${']'.repeat(64)}]}`,
};

describe('JSON batch, pass 1: the quick check vouches only for what the exact check accepts', () => {
  it('vouches for every good batch, with the exact check\'s head, for every chunk size', async () => {
    const good = [...BATCHES, ...Object.values(GOOD).map((t) => Buffer.from(t, 'utf8'))];
    for (const text of good) {
      for (const size of [...CHUNK_SIZES, 1, 3]) {
        expect(await holdsTo(text, size, SERVICE_LIMITS, 'good'), `vouched for ${text.toString('utf8').slice(0, 60)} in chunks of ${size}`).to.equal(true);
      }
    }
  });

  it('never vouches for a text the exact check refuses', async () => {
    for (const [name, text] of Object.entries(BAD)) {
      const bytes = name === 'a lone continuation byte' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
      for (const size of CHUNK_SIZES) {
        expect(await holdsTo(bytes, size, SERVICE_LIMITS, name), name).to.equal(false);
        expect(await exact(bytes, size, SERVICE_LIMITS), name).to.have.property('refused');
      }
    }
  });

  it('holds to the exact check over 3,000 seeded mutations of real batches, under the service\'s limits and small ones', async () => {
    let vouched = 0;
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      const random = Random.forRequest(18, n);
      const text = mutate(random, random.pick(BATCHES), random.between(1, 3));
      const limits = random.chance(0.3) ? SMALL_LIMITS : SERVICE_LIMITS;
      const size = random.pick(CHUNK_SIZES);
      if (await holdsTo(text, size, limits, `mutation ${n}`)) vouched++;
      else refused++;
    }
    // Both kinds occur, or the corpus proves nothing.
    expect(vouched, 'mutations the quick check vouched for').to.be.greaterThan(100);
    expect(refused, 'mutations the quick check left to the exact one').to.be.greaterThan(1000);
  });
});

/** Pieces a mutation inserts or writes over: JSON's own characters, broken UTF-8, a BOM, limits' food. */
const PIECES: readonly Buffer[] = [
  '{', '}', '[', ']', ',', ':', '"', '\\', '\\u12', '\\ud800', '0', '-', '1e', '.5', ' ', '\n', '\u0001', 'é', '😀', 'tru', 'null',
  '"customers":[', '"batchId":"x",', '"mode":"ATOMIC",', '{"a":[[[[[1]]]]]}', `"${'y'.repeat(30)}"`,
].map((s) => Buffer.from(s, 'utf8')).concat([Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xef, 0xbb, 0xbf])]);

function mutate(random: Random, original: Buffer, edits: number): Buffer {
  let text = original;
  for (let e = 0; e < edits; e++) {
    const at = random.below(text.length + 1);
    const kind = random.below(4);
    if (kind === 0) {
      text = Buffer.concat([text.subarray(0, at), text.subarray(Math.min(text.length, at + random.between(1, 4)))]);
    } else if (kind === 1) {
      text = Buffer.concat([text.subarray(0, at), random.pick(PIECES), text.subarray(at)]);
    } else if (kind === 2) {
      const piece = random.pick(PIECES);
      text = Buffer.concat([text.subarray(0, at), piece, text.subarray(Math.min(text.length, at + piece.length))]);
    } else {
      // A span copied elsewhere: records repeated, members repeated, brackets unbalanced.
      const from = random.below(text.length);
      const span = text.subarray(from, Math.min(text.length, from + random.between(1, 80)));
      text = Buffer.concat([text.subarray(0, at), span, text.subarray(at)]);
    }
  }
  return text;
}
