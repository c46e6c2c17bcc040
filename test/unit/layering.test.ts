// Imports point one way (design.md): nothing imports transport/ or app.ts;
// operations/ and store/ never import xml/ or libxmljs2; mapping/ never imports store/.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => {
    const spec = m[1] ?? '';
    return spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : spec;
  });
}

const RULES: readonly { from: RegExp; forbidden: RegExp; why: string }[] = [
  { from: /^(?!app\.ts|main\.ts|serve\.ts|transport\/)/, forbidden: /^transport\/|^app\.js$/, why: 'only the composition root wires transports' },
  { from: /^(operations|store|domain)\//, forbidden: /^(xml|envelope|mapping|transport)\/|^libxmljs2$|^xmlbuilder2/, why: 'operations and the store know no XML' },
  { from: /^mapping\//, forbidden: /^store\//, why: 'mapping converts, it does not store' },
  { from: /^(dispatch|validation|mapping|operations|store|domain)\//, forbidden: /^envelope\//, why: 'only the SOAP edge knows envelopes' },
];

describe('module layering', () => {
  for (const file of filesUnder(SRC)) {
    const rel = path.relative(SRC, file);
    for (const rule of RULES.filter((r) => r.from.test(rel))) {
      it(`${rel}: ${rule.why}`, () => {
        const bad = importsOf(file).filter((i) => rule.forbidden.test(i));
        expect(bad, `${rel} imports ${bad.join(', ')}`).to.deep.equal([]);
      });
    }
  }
});
