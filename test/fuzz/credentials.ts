// The credentials the fuzzer gives a request before mutating it, each with
// the most it may prove (a wrong password, a forged or expired token: none).
import { basic, securityHeader } from '../helpers/auth.js';
import type { FuzzRequest, RoleBound } from './fuzz-request.js';
import type { Random } from './random.js';

export const FUZZ_USERS = {
  erp: { password: 'fuzz writer pw', role: 'writer' },
  reports: { password: 'fuzz reader pw', role: 'reader' },
} as const;

/** The password of no user: a mutation that renames the user (wsse-username makes "nobody" "erp ") must not make it right. */
const NO_ONES_PASSWORD = 'no one has this password';

/** Bearer tokens made once per run (signing is the slow part): a writer's, a reader's, and ones that must be refused. */
export interface Tokens {
  readonly writer: string;
  readonly reader: string;
  readonly noScope: string;
  readonly expired: string;
  readonly otherAudience: string;
}

type Kind = readonly [name: string, role: RoleBound, soapOnly: boolean];

const KINDS: readonly (readonly [Kind, number])[] = [
  [['none', 'none', false], 14],
  [['basic writer', 'writer', false], 12],
  [['basic reader', 'reader', false], 8],
  [['basic wrong password', 'none', false], 4],
  // An unknown user costs a full-strength dummy hash (~180 ms here, so it takes as long as a wrong password would): rare.
  [['basic unknown user', 'none', false], 1],
  [['bearer writer', 'writer', false], 8],
  [['bearer reader', 'reader', false], 5],
  [['bearer without scope', 'none', false], 2],
  [['bearer expired', 'none', false], 2],
  [['bearer other audience', 'none', false], 2],
  [['wsse text writer', 'writer', true], 10],
  [['wsse digest writer', 'writer', true], 10],
  [['wsse digest reader', 'reader', true], 8],
  [['wsse text wrong password', 'none', true], 3],
  [['wsse digest unknown user', 'none', true], 1],
  // The token decides (a reader), unless a mutation takes it away and the header decides: at most a writer.
  [['wsse text reader + basic writer', 'writer', true], 2],
];

/**
 * Gives `req` credentials of a kind chosen by `rng`; with auth off (`tokens`
 * undefined) a SOAP request sometimes carries a Security header all the
 * same, which must then be refused when it is marked mustUnderstand.
 */
export function addCredentials(req: FuzzRequest, rng: Random, tokens: Tokens | undefined, nonces: string[]): string {
  const soap = req.channel === 'soap11' || req.channel === 'soap12';
  if (tokens === undefined) {
    if (soap && rng.chance(0.1)) {
      wsse(req, 'erp', FUZZ_USERS.erp.password, rng.chance(0.5), rng, nonces);
      return 'wsse header (auth off)';
    }
    if (rng.chance(0.05)) {
      req.headers['authorization'] = basic('erp', FUZZ_USERS.erp.password);
      return 'basic (auth off)';
    }
    return 'none (auth off)';
  }
  const [name, role] = rng.weighted(KINDS.filter(([[, , soapOnly]]) => soap || !soapOnly));
  req.role = role;
  const { erp, reports } = FUZZ_USERS;
  switch (name) {
    case 'basic writer': req.headers['authorization'] = basic('erp', erp.password); break;
    case 'basic reader': req.headers['authorization'] = basic('reports', reports.password); break;
    case 'basic wrong password': req.headers['authorization'] = basic('erp', NO_ONES_PASSWORD); break;
    case 'basic unknown user': req.headers['authorization'] = basic('nobody', NO_ONES_PASSWORD); break;
    case 'bearer writer': req.headers['authorization'] = `Bearer ${tokens.writer}`; break;
    case 'bearer reader': req.headers['authorization'] = `Bearer ${tokens.reader}`; break;
    case 'bearer without scope': req.headers['authorization'] = `Bearer ${tokens.noScope}`; break;
    case 'bearer expired': req.headers['authorization'] = `Bearer ${tokens.expired}`; break;
    case 'bearer other audience': req.headers['authorization'] = `Bearer ${tokens.otherAudience}`; break;
    case 'wsse text writer': wsse(req, 'erp', erp.password, false, rng, nonces); break;
    case 'wsse digest writer': wsse(req, 'erp', erp.password, true, rng, nonces); break;
    case 'wsse digest reader': wsse(req, 'reports', reports.password, true, rng, nonces); break;
    case 'wsse text wrong password': wsse(req, 'erp', NO_ONES_PASSWORD, false, rng, nonces); break;
    case 'wsse digest unknown user': wsse(req, 'nobody', NO_ONES_PASSWORD, true, rng, nonces); break;
    case 'wsse text reader + basic writer':
      wsse(req, 'reports', reports.password, false, rng, nonces);
      req.headers['authorization'] = basic('erp', erp.password);
      break;
    default: break;
  }
  if (req.headers['authorization'] !== undefined) req.authorizationRole = role;
  return name;
}

/** A wsse:Security header in the envelope's Header (made when there is none), with a nonce from `rng`. */
function wsse(req: FuzzRequest, user: string, password: string, digest: boolean, rng: Random, nonces: string[]): void {
  const version = req.channel === 'soap11' ? '1.1' : '1.2';
  const nonce = rng.bytes(16);
  nonces.push(nonce.toString('base64'));
  if (nonces.length > 64) nonces.shift();
  const header = securityHeader(version, user, password, { digest, nonce, mustUnderstand: rng.chance(0.7) });
  const s = (req.body as Buffer).toString('utf8');
  const open = /<(\w+):Envelope\b[^>]*>/.exec(s);
  if (open === null) return;
  const prefix = open[1] as string;
  const at = open.index + open[0].length;
  req.body = Buffer.from(`${s.slice(0, at)}<${prefix}:Header>${header}</${prefix}:Header>${s.slice(at)}`, 'utf8');
}
