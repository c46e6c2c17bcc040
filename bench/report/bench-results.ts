// What one run of the bench measured: one result per phase that ran.
import type { ExchangePhaseResult } from '../phases/exchange-phase.js';
import type { LoadPhaseResult } from '../phases/load-phase.js';

export interface BenchResults {
  readonly load?: LoadPhaseResult;
  readonly exchange?: ExchangePhaseResult;
}
