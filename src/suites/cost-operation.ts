/**
 * An operation the cost pass measures (run/cost-pass.ts): one call of what a scenario times, run
 * on the pass's own data layer (a pool of one connection), so its statements can be counted.
 * perf-gate's own data layer lists its operations in suites/bench/cost-operations.ts; a perf file's
 * come from its templates (project/templates/cost-operations.ts).
 */
import type { CostSize } from '../results/cost-section.js';
import type { DataLayerUnderTest } from './subject.js';

export interface CostOperation {
  /** The record's id: the id of the scenario that times this call (`bench.pagination:10`). */
  readonly id: string;
  /** The scenario whose thresholds judge its findings, and whose selection includes it. */
  readonly scenarioId: string;
  /** Its family and size, when the same code is measured at several sizes (the N+1 check). */
  readonly size?: CostSize;
  /** Whether it writes: writes are measured after every read, so reads see the seeded data only. */
  readonly writes: boolean;
  /** Unmeasured work before its first call (a row for an update to change). */
  setUp?(db: DataLayerUnderTest): Promise<void>;
  /**
   * One call, in a fresh session of `db`. `index` counts the calls (0 for the warm-up): a write
   * uses it to make each call's input unique, the same in every run.
   */
  call(db: DataLayerUnderTest, index: number): Promise<unknown>;
}
