// Every knob of `npm run bench`, read once from the environment and checked,
// so no other bench module reads process.env. The list of knobs with their
// meaning is in the header of run.ts and in docs/performance.md.
import { LAYOUTS, type Layout } from './batch-layouts.js';

export const PHASES = ['ceilings', 'compare', 'auth', 'json', 'load', 'exchange', 'batches', 'layouts', 'roundtrip'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchConfig {
  readonly phases: ReadonlySet<Phase>;
  /** Store size of the load phase (GetCustomer, SearchCustomers, GetChanges at scale). */
  readonly customers: number;
  /** Store size of the compare phase, where crm-bridge and the baselines hold the same customers; the auth phase's too. */
  readonly compareCustomers: number;
  /** Servers with auth in the auth phase, each between two without (no auth, auth, no auth, ...). */
  readonly authRounds: number;
  /** Customers in the streamed batch import/export and in the xmllint and better-sqlite3 bulk ceilings. */
  readonly batchCustomers: number;
  /** Rounds of the batches phase: each imports the batch as XML and as JSON, in alternating order. */
  readonly batchRounds: number;
  /** Customers of each file of the layouts phase (every layout imported with `crm-bridge import`). */
  readonly layoutCustomers: number;
  /** The layouts phase's files, in the order imported; the first is the one the others are compared with. */
  readonly layoutOrder: readonly Layout[];
  /** Customers written one transaction each for the durable single-write ceiling. */
  readonly singleWrites: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly inFlight: number;
  readonly serverNodeArgs: readonly string[];
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

function phasesEnv(env: NodeJS.ProcessEnv): ReadonlySet<Phase> {
  const raw = env['BENCH_PHASES'];
  if (raw === undefined || raw.trim() === '') return new Set(PHASES);
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_PHASES: unknown phase ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  return new Set(names as Phase[]);
}

/** Every layout once, between two runs of the generator layout. */
export const LAYOUT_ORDER: readonly Layout[] = ['generator', ...LAYOUTS.filter((l) => l !== 'generator'), 'generator'];

/** BENCH_LAYOUTS, e.g. `generator,pretty,generator,pretty` to alternate two layouts on a noisy machine. */
function layoutsEnv(env: NodeJS.ProcessEnv): readonly Layout[] {
  const raw = env['BENCH_LAYOUTS'];
  if (raw === undefined || raw.trim() === '') return LAYOUT_ORDER;
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !(LAYOUTS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_LAYOUTS: unknown layout ${unknown.join(', ')}; known: ${LAYOUTS.join(', ')}`);
  return names as Layout[];
}

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const customers = intEnv(env, 'BENCH_CUSTOMERS', 1_000_000, 1);
  const batchCustomers = intEnv(env, 'BENCH_BATCH_CUSTOMERS', customers, 0);
  return {
    phases: phasesEnv(env),
    customers,
    compareCustomers: intEnv(env, 'BENCH_COMPARE_CUSTOMERS', 10_000, 1),
    authRounds: intEnv(env, 'BENCH_AUTH_ROUNDS', 1, 1),
    // 0 used to skip the exchange; BENCH_PHASES says that now, but 0 still means "none".
    batchCustomers,
    batchRounds: intEnv(env, 'BENCH_BATCH_ROUNDS', 2, 1),
    layoutCustomers: intEnv(env, 'BENCH_LAYOUT_CUSTOMERS', batchCustomers, 0),
    layoutOrder: layoutsEnv(env),
    singleWrites: intEnv(env, 'BENCH_SINGLE_WRITES', 2000, 1),
    seconds: intEnv(env, 'BENCH_SECONDS', 10, 1),
    warmupSeconds: intEnv(env, 'BENCH_WARMUP_SECONDS', 2, 0),
    connections: intEnv(env, 'BENCH_CONNECTIONS', 32, 1),
    inFlight: intEnv(env, 'BENCH_IN_FLIGHT', 4, 1),
    serverNodeArgs: (env['BENCH_SERVER_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== ''),
  };
}
