// What one run of the bench measured: one result per phase that ran.
import type { AuthPhaseResult } from '../phases/auth-phase.js';
import type { BatchesPhaseResult } from '../phases/batches-phase.js';
import type { CeilingsPhaseResult } from '../phases/ceilings-phase.js';
import type { ComparePhaseResult } from '../phases/compare-phase.js';
import type { ExchangePhaseResult } from '../phases/exchange-phase.js';
import type { JsonPhaseResult } from '../phases/json-phase.js';
import type { LayoutsPhaseResult } from '../phases/layouts-phase.js';
import type { LoadPhaseResult } from '../phases/load-phase.js';
import type { RoundtripPhaseResult } from '../phases/roundtrip-phase.js';

export interface BenchResults {
  readonly ceilings?: CeilingsPhaseResult;
  readonly compare?: ComparePhaseResult;
  readonly auth?: AuthPhaseResult;
  readonly json?: JsonPhaseResult;
  readonly load?: LoadPhaseResult;
  readonly exchange?: ExchangePhaseResult;
  readonly batches?: BatchesPhaseResult;
  readonly layouts?: LayoutsPhaseResult;
  readonly roundtrip?: RoundtripPhaseResult;
}
