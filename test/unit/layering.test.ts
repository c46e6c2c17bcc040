// Imports point one way. Every module of src/ is in one layer below, and may
// import only from the layers listed for it: each from those beneath it, never
// back up. A new folder or top-level file must be placed here (the test fails
// for a module no layer names), so the order stays whole.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

/** Bottom first. `unit`: a folder of src/ or a top-level file; `may`: the units it may import (its own always). */
const LAYERS: readonly { unit: string; may: readonly string[]; why: string }[] = [
  { unit: 'errors.ts', may: [], why: 'the catalogue of failures knows nothing else' },
  { unit: 'config.ts', may: [], why: 'settings are read from the environment alone' },
  { unit: 'logger.ts', may: [], why: 'logging is a leaf' },
  { unit: 'domain', may: ['errors.ts'], why: 'the rules need no I/O, XML or store' },
  { unit: 'this-process.ts', may: ['domain'], why: "this process's identity is a leaf" },
  { unit: 'fault.ts', may: ['errors.ts'], why: 'a fault is a value made from an error' },
  { unit: 'xml', may: ['errors.ts'], why: 'parsing and building XML knows no contract' },
  { unit: 'files', may: [], why: 'writing a file whole is a leaf' },
  { unit: 'json', may: ['errors.ts'], why: 'parsing JSON knows no contract' },
  { unit: 'contract', may: ['errors.ts', 'xml'], why: 'the XSD read as data, and what is derived from it (JSON Schema), knows no request' },
  { unit: 'validation', may: ['errors.ts', 'xml', 'json', 'contract'], why: 'the XSD checks XML, and the schema derived from it JSON, nothing more' },
  { unit: 'store', may: ['errors.ts', 'domain'], why: 'the store holds statements, no XML and no rule (see below)' },
  { unit: 'auth', may: ['errors.ts', 'domain', 'files', 'store'], why: 'authentication checks credentials against users, keys and nonces; it knows no XML, HTTP or channel' },
  { unit: 'operations', may: ['errors.ts', 'domain', 'store', 'this-process.ts'], why: 'operations know the store, no XML, no transport' },
  { unit: 'mapping', may: ['errors.ts', 'domain', 'fault.ts', 'xml'], why: 'mapping converts XML and records, it neither stores nor runs operations' },
  { unit: 'envelope', may: ['errors.ts', 'domain', 'fault.ts', 'xml', 'mapping'], why: 'only the SOAP edge knows envelopes' },
  { unit: 'import', may: ['errors.ts', 'config.ts', 'domain', 'xml', 'json', 'validation', 'mapping', 'operations'], why: 'the streamed import knows no transport and no drop folder' },
  { unit: 'dispatch', may: ['errors.ts', 'domain', 'xml', 'json', 'validation', 'mapping', 'operations', 'import'], why: 'the dispatcher every channel enters knows no SOAP, HTTP, file or command line' },
  { unit: 'drop-folder', may: ['errors.ts', 'fault.ts', 'domain', 'this-process.ts', 'files', 'validation', 'store', 'mapping', 'operations', 'import', 'dispatch'], why: 'the drop folder is a channel: it knows no HTTP' },
  { unit: 'cli', may: ['errors.ts', 'fault.ts', 'domain', 'files', 'auth', 'validation', 'mapping', 'operations', 'import', 'dispatch'], why: 'the command is a channel: it knows no HTTP' },
  { unit: 'metrics.ts', may: ['drop-folder'], why: 'metrics read what they count' },
  { unit: 'transport', may: ['errors.ts', 'fault.ts', 'domain', 'xml', 'json', 'contract', 'validation', 'mapping', 'operations', 'envelope', 'dispatch', 'import', 'metrics.ts'], why: 'HTTP is the outermost channel' },
  { unit: 'cluster', may: ['config.ts', 'logger.ts', 'store'], why: 'worker processes know the store, not the channels' },
  { unit: 'app.ts', may: ['*'], why: 'the composition root wires everything' },
  { unit: 'serve.ts', may: ['*'], why: 'the process that serves' },
  { unit: 'main.ts', may: ['*'], why: 'the process entry' },
];

/** Packages that belong to one part: only these folders may import them. */
const PACKAGES: readonly { name: string; only: readonly string[] }[] = [
  { name: 'better-sqlite3', only: ['store'] },
  { name: 'libxml2-wasm', only: ['xml', 'validation'] },
  { name: 'libxmljs2', only: ['transport'] },
  { name: 'express', only: ['transport', 'app.ts'] },
  { name: 'jose', only: ['auth'] },
  { name: 'ajv', only: ['validation'] },
  { name: 'jsonc-parser', only: ['json'] },
  { name: '@streamparser/json', only: ['json'] },
];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The unit of a path relative to src/: its first folder, or the file itself at the top. */
function unitOf(rel: string): string {
  const [first, ...rest] = rel.split(path.sep);
  return rest.length > 0 ? (first ?? rel) : rel.replace(/\.js$/, '.ts');
}

/** Units of src/ that `file` imports (npm packages aside). */
function importedUnits(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)[^'";]*?from\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2] ?? '');
  return specs.filter((s) => s.startsWith('.')).map((s) => unitOf(path.relative(SRC, path.resolve(path.dirname(file), s))));
}

/**
 * Domain modules the store may take values from, not only types: how names
 * are folded (the search index stores the folded form, and its queries fold
 * the same way).
 */
const STORE_USES_FROM_DOMAIN: readonly string[] = ['fold.ts'];

/** Domain modules `file` takes values from (an import that is not `import type` and names something without `type`). */
function domainValuesImported(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(?!type\b)([^;]*?)\s*from\s*'([^']+)'/gm)]
    .filter((m) => {
      const names = /\{([^}]*)\}/.exec(m[1] ?? '')?.[1];
      return names === undefined || names.split(',').some((n) => n.trim() !== '' && !n.trim().startsWith('type '));
    })
    .map((m) => path.relative(SRC, path.resolve(path.dirname(file), (m[2] ?? '').replace(/\.js$/, '.ts'))))
    .filter((rel) => rel.startsWith(`domain${path.sep}`))
    .map((rel) => rel.slice('domain/'.length));
}

describe('module layering', () => {
  const files = filesUnder(SRC);

  it('store takes only types from domain, and a few values (STORE_USES_FROM_DOMAIN): every rule is the operations\' to apply', () => {
    const bad = files
      .filter((f) => unitOf(path.relative(SRC, f)) === 'store')
      .flatMap((f) => domainValuesImported(f).filter((d) => !STORE_USES_FROM_DOMAIN.includes(d)).map((d) => `${path.relative(SRC, f)} uses domain/${d}`));
    expect(bad).to.deep.equal([]);
  });

  it('places every module of src/ in a layer', () => {
    const known = new Set(LAYERS.map((l) => l.unit));
    const unplaced = [...new Set(files.map((f) => unitOf(path.relative(SRC, f))))].filter((u) => !known.has(u));
    expect(unplaced, 'add these to LAYERS').to.deep.equal([]);
  });

  for (const layer of LAYERS.filter((l) => !l.may.includes('*'))) {
    it(`${layer.unit} imports only ${layer.may.length === 0 ? 'npm packages' : layer.may.join(', ')}: ${layer.why}`, () => {
      const own = files.filter((f) => unitOf(path.relative(SRC, f)) === layer.unit);
      const bad = own.flatMap((f) =>
        importedUnits(f)
          .filter((u) => u !== layer.unit && !layer.may.includes(u))
          .map((u) => `${path.relative(SRC, f)} imports ${u}`),
      );
      expect(bad).to.deep.equal([]);
    });
  }

  for (const pkg of PACKAGES) {
    it(`only ${pkg.only.join(', ')} import ${pkg.name}`, () => {
      const bad = files
        .filter((f) => !pkg.only.includes(unitOf(path.relative(SRC, f))))
        .filter((f) => new RegExp(`from '${pkg.name}(/[^']*)?'`).test(fs.readFileSync(f, 'utf8')))
        .map((f) => path.relative(SRC, f));
      expect(bad).to.deep.equal([]);
    });
  }

  it('lists each layer only above what it may import', () => {
    const order = new Map(LAYERS.map((l, i) => [l.unit, i]));
    const upward = LAYERS.flatMap((l, i) => l.may.filter((u) => u !== '*' && (order.get(u) ?? -1) >= i).map((u) => `${l.unit} -> ${u}`));
    expect(upward).to.deep.equal([]);
  });
});
