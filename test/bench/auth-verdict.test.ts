// The auth phase's reading of its figures (bench/phases/auth-phase.ts): each
// round against the mean of the no-auth servers before and after it, and
// issue 17's "a token or a digest must not halve GetCustomer's throughput"
// judged only where every request of both succeeded.
import { expect } from 'chai';
import type { LoadResult } from '../../bench/load.js';
import { AUTH_MODES, authVerdict, baselineOf, keepsHalf, type AuthMode, type AuthPhaseResult } from '../../bench/phases/auth-phase.js';

function load(reqPerSec: number, failed = 0): LoadResult {
  return {
    title: 't', requests: reqPerSec, windowSeconds: 1, reqPerSec, p50Ms: 1000 / reqPerSec, p99Ms: 4000 / reqPerSec, maxMs: 0, meanBytes: 0,
    serverCpuMicros: Math.round(1e6 / reqPerSec), admissionMs: 0, non2xx: failed, errors: 0, firstFault: undefined,
  };
}

function run(baselines: readonly [number, number][], rounds: readonly Partial<Record<AuthMode, LoadResult>>[]): AuthPhaseResult {
  return {
    customers: 10,
    baselines: baselines.map(([soap, xml]) => ({ soap: load(soap), xml: load(xml) })),
    rounds: rounds.map((r) => ({
      results: Object.fromEntries(AUTH_MODES.map((m) => [m, r[m] ?? load(1000)])) as Record<AuthMode, LoadResult>,
      coldBasic: { firstMs: [], againMs: [] },
    })),
  };
}

describe('bench: the auth phase against no auth', () => {
  it('reads a round against the mean of the no-auth servers around it, of its own channel', () => {
    const result = run([[1000, 2000], [3000, 4000], [9000, 9000]], [{}, {}]);
    expect(baselineOf(result, 0, 'soap')).to.include({ reqPerSec: 2000 }).and.to.deep.include({ range: [1000, 3000] });
    expect(baselineOf(result, 1, 'xml')).to.include({ reqPerSec: 6500 });
  });

  it('finds a digest at 0.4× halved, and says which, while 0.5× keeps half', () => {
    const result = run([[1000, 1000], [1000, 1000]], [{ 'soap-digest': load(400), 'soap-es256': load(500) }]);
    expect(keepsHalf(result, 0, 'soap-digest')).to.equal(false);
    expect(keepsHalf(result, 0, 'soap-es256')).to.equal(true);
    expect(authVerdict(result)).to.match(/NOT met by SOAP, WS-Security PasswordDigest[^;]*; lowest: .*PasswordDigest.*0\.40×/);
  });

  it('judges only what verifies each request: a slow Basic alone does not fail the verdict', () => {
    const result = run([[1000, 1000], [1000, 1000]], [{ 'soap-basic': load(100) }]);
    expect(authVerdict(result)).to.match(/: met in every round/);
  });

  it('does not judge a figure with failed requests', () => {
    const result = run([[1000, 1000], [1000, 1000]], [{ 'soap-rs256': load(900, 3) }]);
    expect(keepsHalf(result, 0, 'soap-rs256')).to.equal(undefined);
    expect(authVerdict(result)).to.match(/not judged \(failed requests\)/);
  });
});
