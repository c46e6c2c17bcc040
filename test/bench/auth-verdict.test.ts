// The auth phase's reading of its figures (bench/phases/auth-phase.ts): each
// credential against the mean of the no-auth figures just before and after it, and
// issue 17's "a token or a digest must not halve GetCustomer's throughput"
// judged only where every request of both succeeded.
import { expect } from 'chai';
import type { LoadResult } from '../../bench/load.js';
import { AUTH_MODES, authVerdict, baselineOf, keepsHalf, type AuthMode, type AuthPhaseResult, type ModeFigure } from '../../bench/phases/auth-phase.js';

function load(reqPerSec: number, failed = 0): LoadResult {
  return {
    title: 't', requests: reqPerSec, windowSeconds: 1, reqPerSec, p50Ms: 1000 / reqPerSec, p99Ms: 4000 / reqPerSec, maxMs: 0, meanBytes: 0,
    serverCpuMicros: Math.round(1e6 / reqPerSec), admissionMs: 0, non2xx: failed, errors: 0, firstFault: undefined,
  };
}

/** Rounds of figures: each credential at `auth` req/s between no-auth figures at `before` and `after` (1000 each unless given). */
function run(rounds: readonly Partial<Record<AuthMode, { before?: number; auth: number; after?: number; failed?: number }>>[]): AuthPhaseResult {
  return {
    customers: 10,
    idle: undefined,
    rounds: rounds.map((r) => ({
      results: Object.fromEntries(AUTH_MODES.map((m): [AuthMode, ModeFigure] => {
        const f = r[m] ?? { auth: 1000 };
        return [m, { before: load(f.before ?? 1000), auth: load(f.auth, f.failed), after: load(f.after ?? 1000) }];
      })) as Record<AuthMode, ModeFigure>,
      coldBasic: { firstMs: [], againMs: [] },
    })),
  };
}

describe('bench: the auth phase against no auth', () => {
  it('reads a credential against the mean of the no-auth figures just before and after it', () => {
    const result = run([{ 'soap-text': { before: 1000, auth: 900, after: 3000 } }, { 'xml-es256': { before: 6000, auth: 900, after: 7000 } }]);
    expect(baselineOf(result, 0, 'soap-text')).to.include({ reqPerSec: 2000 }).and.to.deep.include({ range: [1000, 3000] });
    expect(baselineOf(result, 1, 'xml-es256')).to.include({ reqPerSec: 6500 });
    expect(keepsHalf(result, 1, 'xml-es256')).to.equal(false);
  });

  it('finds a digest at 0.4× halved, and says which, while 0.5× keeps half', () => {
    const result = run([{ 'soap-digest': { auth: 400 }, 'soap-es256': { auth: 500 } }]);
    expect(keepsHalf(result, 0, 'soap-digest')).to.equal(false);
    expect(keepsHalf(result, 0, 'soap-es256')).to.equal(true);
    expect(authVerdict(result)).to.match(/NOT met by SOAP, WS-Security PasswordDigest[^;]*; lowest: .*PasswordDigest.*0\.40×/);
  });

  it('judges only what verifies each request: a slow Basic alone does not fail the verdict', () => {
    const result = run([{ 'soap-basic': { auth: 100 } }]);
    expect(authVerdict(result)).to.match(/: met in every round/);
  });

  it('does not judge a figure with failed requests', () => {
    const result = run([{ 'soap-rs256': { auth: 900, failed: 3 } }]);
    expect(keepsHalf(result, 0, 'soap-rs256')).to.equal(undefined);
    expect(authVerdict(result)).to.match(/not judged \(failed requests\)/);
  });
});
